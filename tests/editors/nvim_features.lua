-- The editor features of tests/editors/test_neovim_features.py, one scenario each, for
-- nvim_driver.lua's "feature" mode. Each scenario does what a user does (types, presses the key,
-- calls the documented function) and returns what the user then sees: buffer text, the floating
-- window's lines and highlights, extmarks (virtual text, highlights), the diagnostics list, the
-- quickfix list, messages and the cursor. Runs on Neovim 0.7 through 0.11+; a scenario that needs
-- a newer Neovim says why in M.requires, and the test skips that version with the reason.
--
-- ctx: bufnr, client, cfg (the driver's configuration; cfg.args for the scenario), wait_for(what,
-- predicate), step(name), timeout.

local api = vim.api
local M = {}

local function has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

-- A configuration value, with JSON null (vim.NIL, which is truthy) as nil.
local function given(value)
  if value == vim.NIL then
    return nil
  end
  return value
end

-- What a scenario needs of Neovim: a function per scenario that returns why this Neovim cannot run
-- it (nil when it can). The driver asks before it starts the server, and the test skips with that.
M.requires = {}

function M.requires.inlay_hints()
  if not (vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable) or not has('0.10') then
    return 'has no vim.lsp.inlay_hint (came in 0.10)'
  end
end

function M.requires.pull_diagnostics()
  if not has('0.10') then
    return 'does not pull diagnostics (0.10 does)'
  end
end

function M.requires.semantic_tokens()
  if not vim.lsp.semantic_tokens then
    return 'has no semantic token highlighting (came in 0.9)'
  end
end

function M.requires.on_type_formatting()
  if not vim.lsp.on_type_formatting then
    return 'has no on-type formatting client (0.12 adds vim.lsp.on_type_formatting)'
  end
end

-- Every extmark of the buffer in namespaces whose name starts with `prefix` (all namespaces when
-- prefix is nil), as {row, col, end_row, end_col, hl_group, virt_text}.
local function extmarks(bufnr, prefix)
  local out = {}
  for name, ns in pairs(api.nvim_get_namespaces()) do
    if prefix == nil or name:sub(1, #prefix) == prefix then
      for _, m in ipairs(api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })) do
        local d = m[4] or {}
        local text
        if d.virt_text then
          local parts = {}
          for _, chunk in ipairs(d.virt_text) do
            table.insert(parts, chunk[1])
          end
          text = table.concat(parts)
        end
        table.insert(out, {
          ns = name,
          row = m[2],
          col = m[3],
          end_row = d.end_row,
          end_col = d.end_col,
          hl_group = d.hl_group,
          virt_text = text,
        })
      end
    end
  end
  table.sort(out, function(a, b)
    if a.row ~= b.row then
      return a.row < b.row
    end
    if a.col ~= b.col then
      return a.col < b.col
    end
    return (a.hl_group or '') < (b.hl_group or '')
  end)
  return out
end

local function floating_windows()
  local out = {}
  for _, win in ipairs(api.nvim_list_wins()) do
    if api.nvim_win_get_config(win).relative ~= '' then
      table.insert(out, win)
    end
  end
  return out
end

-- What the message area showed (0.11's window/showMessage handler echoes into the history, 0.7's
-- nvim_out_write lands there too when headless).
local function messages()
  return vim.fn.execute('messages')
end

local function request_sync(ctx, method, params)
  local responses = vim.lsp.buf_request_sync(ctx.bufnr, method, params, ctx.timeout)
  local response = responses and responses[ctx.client.id]
  if not response then
    error('no ' .. method .. ' response')
  end
  if response.err or response.error then
    error(method .. ' failed: ' .. vim.inspect(response.err or response.error))
  end
  return response.result
end

local function text_document(ctx)
  return { uri = vim.uri_from_bufnr(ctx.bufnr) }
end

-- Signature help while typing: `o` + cfg.args.typed on a new line after cfg.args.after_line, then
-- (cfg.args.by == 'key') <C-s> (0.11's insert-mode default mapping) or, where there is none,
-- vim.lsp.buf.signature_help() from Insert mode; with cfg.args.by == 'typing' nothing more (a
-- documented autocommand asks as the trigger characters are typed). The keys are fed with 'x!'
-- (run them now, stay in Insert mode): that returns only once Insert mode ends, so a timer looks at
-- the screen while the user is still typing, until a float shows cfg.args.expect (when given), and
-- then presses <Esc>.
function M.signature_help(ctx)
  local args = ctx.cfg.args
  api.nvim_win_set_cursor(0, { args.after_line, 0 })
  if given(args.wait_mapping) then -- a documented set-up maps it when the server attaches
    ctx.wait_for('the <C-s> mapping', function()
      return vim.fn.maparg('<C-S>', 'i') ~= ''
    end)
  end
  local by_key = (given(args.by) or 'key') == 'key'
  -- 0.10+ maps <C-s> itself; on 0.7 the documented set-up maps it.
  local mapped = by_key and vim.fn.maparg('<C-S>', 'i') ~= ''
  local seen = { used = not by_key and 'typing' or mapped and '<C-s>' or 'vim.lsp.buf.signature_help()' }
  local asked = not by_key or mapped
  local expect = given(args.expect)
  local started = vim.loop.now()
  local timer = vim.loop.new_timer()
  timer:start(50, 20, vim.schedule_wrap(function()
    if seen.done then
      return
    end
    local ok, err = pcall(function()
      if not asked then
        asked = true
        seen.mode = api.nvim_get_mode().mode
        vim.lsp.buf.signature_help()
        return
      end
      local wins = floating_windows()
      local lines = #wins > 0 and api.nvim_buf_get_lines(api.nvim_win_get_buf(wins[1]), 0, -1, false) or {}
      local showing = #wins > 0 and (expect == nil or vim.tbl_contains(lines, expect))
      if not showing and vim.loop.now() - started < ctx.timeout then
        return
      end
      seen.done = true
      seen.mode = seen.mode or api.nvim_get_mode().mode
      seen.typed_line = api.nvim_get_current_line()
      seen.windows = #wins
      if #wins > 0 then
        local fbuf = api.nvim_win_get_buf(wins[1])
        seen.lines = lines
        -- The active parameter's highlight, as the text it covers.
        seen.active = {}
        for _, m in ipairs(extmarks(fbuf)) do
          if m.hl_group == 'LspSignatureActiveParameter' and m.end_col then
            table.insert(seen.active, lines[m.row + 1]:sub(m.col + 1, m.end_col))
          end
        end
      end
    end)
    if not ok then
      seen.done, seen.error = true, tostring(err)
    end
    if seen.done then
      timer:stop()
      timer:close()
      api.nvim_input('<Esc>')
    end
  end))
  local keys = 'o' .. args.typed .. (mapped and '<C-s>' or '')
  api.nvim_feedkeys(api.nvim_replace_termcodes(keys, true, false, true), 'xt!', false)
  if seen.error then
    error(seen.error)
  end
  if not seen.lines then
    error('timed out after ' .. ctx.timeout .. ' ms waiting for the signature help window')
  end
  ctx.step('signature help window')
  return seen
end

-- Inlay hints: vim.lsp.inlay_hint.enable(true), then the virtual text Neovim draws.
function M.inlay_hints(ctx)
  vim.lsp.inlay_hint.enable(true, { bufnr = ctx.bufnr })
  local marks
  ctx.wait_for('inlay hint virtual text', function()
    -- 0.11 puts the hints on during a redraw (a decoration provider), even with no UI attached.
    vim.cmd('redraw!')
    marks = extmarks(ctx.bufnr, 'nvim.lsp.inlayhint')
    return #marks > 0
  end)
  local hints = {}
  for _, m in ipairs(marks) do
    table.insert(hints, { row = m.row, col = m.col, text = m.virt_text })
  end
  return { hints = hints, enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = ctx.bufnr }) }
end

local function lens_text(bufnr)
  local by_row = {}
  for _, m in ipairs(extmarks(bufnr, has('0.10') and 'nvim.lsp.codelens' or nil)) do
    if m.virt_text and m.virt_text ~= '' then
      by_row[tostring(m.row)] = m.virt_text
    end
  end
  return by_row
end

-- Code lenses: refresh, read the virtual text, then run the lens titled cfg.args.run on line
-- cfg.args.line (vim.ui.select answered with that title, as the user would pick it).
function M.code_lens(ctx)
  local args = ctx.cfg.args
  if has('0.10') then
    vim.lsp.codelens.refresh({ bufnr = ctx.bufnr })
  else
    vim.lsp.codelens.refresh()
  end
  local shown
  ctx.wait_for('code lens virtual text', function()
    shown = lens_text(ctx.bufnr)
    return next(shown) ~= nil
  end)
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(offered, title)
      if title == args.run then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  api.nvim_win_set_cursor(0, { args.line, 0 })
  local before = messages()
  vim.lsp.codelens.run()
  local jumped = nil
  if given(args.expect_message) then
    ctx.wait_for('the command message', function()
      return messages() ~= before and messages():find(args.expect_message, 1, true) ~= nil
    end)
  end
  if given(args.expect_cursor_line) then
    ctx.wait_for('the cursor on the first use', function()
      return api.nvim_win_get_cursor(0)[1] == args.expect_cursor_line
    end)
  end
  jumped = api.nvim_win_get_cursor(0)
  return { shown = shown, offered = offered, messages = messages(), cursor = jumped }
end

-- The documented set-ups (docs/editors/neovim.md, features-0.10 and features-0.7) in use: the
-- inlay hints and code lenses appear with no call from here, <leader>gx on cfg.args.link_cursor
-- opens that link (vim.ui.open recorded: it would start the browser), <leader>cl on
-- cfg.args.lens_line runs the lens titled cfg.args.lens_title.
function M.documented_features(ctx)
  local args = ctx.cfg.args
  local seen = {}
  ctx.wait_for('code lens virtual text', function()
    seen.lenses = lens_text(ctx.bufnr)
    return next(seen.lenses) ~= nil
  end)
  if given(args.hints) then
    ctx.wait_for('inlay hint virtual text', function()
      vim.cmd('redraw!')
      seen.hints = {}
      for _, m in ipairs(extmarks(ctx.bufnr, 'nvim.lsp.inlayhint')) do
        table.insert(seen.hints, m.virt_text)
      end
      return #seen.hints > 0
    end)
  end
  if given(args.link_cursor) then
    vim.ui.open = function(target)
      seen.opened = target
      return nil, nil
    end
    api.nvim_win_set_cursor(0, args.link_cursor)
    api.nvim_feedkeys(api.nvim_replace_termcodes('<leader>gx', true, false, true), 'xt', false)
    ctx.wait_for('the link opened', function()
      return seen.opened ~= nil
    end)
  end
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      if opts.format_item(item) == args.lens_title then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  api.nvim_win_set_cursor(0, { args.lens_line, 0 })
  local before = messages()
  api.nvim_feedkeys(api.nvim_replace_termcodes('<leader>cl', true, false, true), 'xt', false)
  ctx.wait_for('the lens command message', function()
    return messages() ~= before and messages():find(args.expect_message, 1, true) ~= nil
  end)
  seen.messages = messages()
  return seen
end

-- Document links: Neovim has no UI for them; what a plugin or mapping would get.
function M.document_links(ctx)
  local links = request_sync(ctx, 'textDocument/documentLink', { textDocument = text_document(ctx) })
  local out = {}
  for _, link in ipairs(links or {}) do
    local r = link.range
    local line = api.nvim_buf_get_lines(ctx.bufnr, r.start.line, r.start.line + 1, false)[1]
    table.insert(out, {
      text = r.start.line == r['end'].line and line:sub(r.start.character + 1, r['end'].character) or nil,
      target = link.target,
    })
  end
  return { links = out }
end

-- Pull diagnostics: what vim.diagnostic.get shows, by namespace, after opening and after an edit.
function M.pull_diagnostics(ctx)
  local args = ctx.cfg.args
  local pull_ns = vim.lsp.diagnostic.get_namespace(ctx.client.id, true)
  local push_ns = vim.lsp.diagnostic.get_namespace(ctx.client.id, false)
  local function snapshot()
    local all = {}
    for _, d in ipairs(vim.diagnostic.get(ctx.bufnr)) do
      table.insert(all, { code = d.code, lnum = d.lnum, col = d.col, pulled = d.namespace == pull_ns })
    end
    return {
      all = all,
      pulled = #vim.diagnostic.get(ctx.bufnr, { namespace = pull_ns }),
      pushed = #vim.diagnostic.get(ctx.bufnr, { namespace = push_ns }),
    }
  end
  local function has_code(code)
    for _, d in ipairs(vim.diagnostic.get(ctx.bufnr, { namespace = pull_ns })) do
      if d.code == code then
        return true
      end
    end
    return false
  end
  ctx.wait_for('pulled ' .. args.code, function()
    return has_code(args.code)
  end)
  -- Anything pushed for the didOpen would arrive right after: give it the time a push takes.
  vim.wait(args.settle_ms)
  local opened = snapshot()
  -- The user fixes the finding: `cw` over the word, as typed.
  api.nvim_win_set_cursor(0, args.edit_cursor)
  api.nvim_feedkeys('cw' .. args.edit_to .. api.nvim_replace_termcodes('<Esc>', true, false, true), 'xt', false)
  ctx.wait_for(args.code .. ' gone after the edit', function()
    return not has_code(args.code) and #vim.diagnostic.get(ctx.bufnr, { namespace = pull_ns }) > 0
  end)
  vim.wait(args.settle_ms)
  local edited = snapshot()
  return { opened = opened, edited = edited, line = api.nvim_buf_get_lines(ctx.bufnr, 0, 1, false)[1] }
end

-- Selection range: 0.11 has no vim.lsp.buf.selection_range (0.12 adds it): the request, each
-- range as the text it selects, innermost first.
function M.selection_range(ctx)
  local args = ctx.cfg.args
  local result = request_sync(ctx, 'textDocument/selectionRange', {
    textDocument = text_document(ctx),
    positions = { { line = args.line, character = args.character } },
  })
  local chain = {}
  local node = result and result[1]
  while node do
    local r = node.range
    local end_line, end_char, tail = r['end'].line, r['end'].character, ''
    local count = api.nvim_buf_line_count(ctx.bufnr)
    if end_line >= count then -- the start of the line after the last: the end of the buffer
      end_line, end_char, tail = count - 1, #api.nvim_buf_get_lines(ctx.bufnr, count - 1, count, false)[1], '\n'
    end
    local lines = api.nvim_buf_get_text(ctx.bufnr, r.start.line, r.start.character, end_line, end_char, {})
    table.insert(chain, table.concat(lines, '\n') .. tail)
    node = node.parent
  end
  return { chain = chain, has_ui = vim.lsp.buf.selection_range ~= nil }
end

-- Semantic tokens: 0.9+ starts them on attach; the highlights Neovim puts on the buffer.
function M.semantic_tokens(ctx)
  local marks
  ctx.wait_for('semantic token highlights', function()
    -- Highlights are put on during a redraw (a decoration provider), even with no UI attached.
    vim.cmd('redraw!')
    marks = extmarks(ctx.bufnr, 'nvim.lsp.semantic_tokens')
    return #marks > 0
  end)
  local out = {}
  for _, m in ipairs(marks) do
    table.insert(out, { row = m.row, col = m.col, end_col = m.end_col, hl_group = m.hl_group })
  end
  -- What :Inspect shows at a position the test chose.
  local inspected = {}
  for _, pos in ipairs(ctx.cfg.args.inspect or {}) do
    local groups = {}
    for _, t in ipairs(vim.inspect_pos(ctx.bufnr, pos[1], pos[2]).semantic_tokens) do
      table.insert(groups, t.opts.hl_group)
    end
    table.insert(inspected, groups)
  end
  return { highlights = out, inspected = inspected }
end

-- On-type formatting: Neovim 0.12 has vim.lsp.on_type_formatting; earlier ones have no client side.
function M.on_type_formatting(ctx)
  local args = ctx.cfg.args
  vim.lsp.on_type_formatting.enable(true, { client_id = ctx.client.id })
  api.nvim_win_set_cursor(0, { args.line, 0 })
  local tick = api.nvim_buf_get_changedtick(ctx.bufnr)
  api.nvim_feedkeys('A' .. api.nvim_replace_termcodes(args.typed, true, false, true), 'xt', false)
  tick = api.nvim_buf_get_changedtick(ctx.bufnr)
  ctx.wait_for('the on-type edit', function()
    return api.nvim_buf_get_changedtick(ctx.bufnr) ~= tick
  end)
  return { lines = api.nvim_buf_get_lines(ctx.bufnr, 0, -1, false) }
end

-- Workspace symbols: vim.lsp.buf.workspace_symbol(query) fills the quickfix list.
function M.workspace_symbols(ctx)
  vim.lsp.buf.workspace_symbol(ctx.cfg.args.query)
  local items
  ctx.wait_for('the quickfix list', function()
    items = vim.fn.getqflist()
    return #items > 0
  end)
  local out = {}
  for _, item in ipairs(items) do
    table.insert(out, {
      file = vim.fn.fnamemodify(vim.fn.bufname(item.bufnr), ':p'),
      lnum = item.lnum,
      col = item.col,
      text = item.text,
    })
  end
  return { items = out, title = vim.fn.getqflist({ title = 1 }).title }
end

-- Rename: the cursor on the stage name, vim.lsp.buf.rename(new name), then :write.
function M.rename(ctx)
  local args = ctx.cfg.args
  api.nvim_win_set_cursor(0, args.cursor)
  local tick = api.nvim_buf_get_changedtick(ctx.bufnr)
  vim.lsp.buf.rename(args.new_name)
  ctx.wait_for('the rename edit', function()
    return api.nvim_buf_get_changedtick(ctx.bufnr) ~= tick
  end)
  vim.cmd('write')
  return { lines = api.nvim_buf_get_lines(ctx.bufnr, 0, -1, false) }
end

-- Work-done progress of a long rules run: what arrives as $/progress (recorded by wrapping the
-- handler, then passed on) and what the client's own status says meanwhile: vim.lsp.status()
-- (0.10+, what statusline plugins show) or vim.lsp.util.get_progress_messages() (0.7).
function M.progress(ctx)
  local values = {}
  local statuses = {}
  local original = vim.lsp.handlers['$/progress']
  vim.lsp.handlers['$/progress'] = function(err, params, hctx, config)
    local out = original(err, params, hctx, config)
    if params and params.value then
      table.insert(values, { kind = params.value.kind, title = params.value.title or vim.NIL,
        message = params.value.message or vim.NIL, percentage = params.value.percentage or vim.NIL })
      local status
      if vim.lsp.status then
        status = vim.lsp.status()
      else
        local parts = {}
        for _, m in ipairs(vim.lsp.util.get_progress_messages()) do
          table.insert(parts, (m.title or '') .. ' ' .. (m.message or '') .. ' ' .. tostring(m.percentage or ''))
        end
        status = table.concat(parts, ', ')
      end
      table.insert(statuses, status)
    end
    return out
  end
  local ok, err = pcall(ctx.wait_for, 'the end of the rules progress', function()
    return #values > 0 and values[#values].kind == 'end'
  end)
  if not ok then  -- say what did arrive: none, or a run that never ended
    error(tostring(err) .. '; progress seen: ' .. vim.fn.json_encode(values), 0)
  end
  ctx.wait_for('diagnostics', function()
    return #vim.diagnostic.get(ctx.bufnr) > 0
  end)
  return { values = values, statuses = statuses }
end

return M
