-- Headless Neovim driver for tests/editors/test_neovim.py; runs on Neovim 0.7 through 0.11+.
--
-- Run as `nvim --headless -u NONE|init.lua -i NONE -n -c 'luafile nvim_driver.lua'` with the JSON
-- configuration in $DRLS_NVIM_DRIVER:
--   file          the Dockerfile to open
--   result        where to write the JSON result (always written, also on error)
--   start         {cmd=[...], root_dir=...}: start and attach the server here (for `-u NONE`);
--                 absent: the init file (a snippet from docs/editors/neovim.md) starts it
--   wait_code     diagnostic code to wait for before acting (null: act once the client is initialized;
--                 the server answers requests after the didOpen that precedes them)
--   wait_gone     then wait until no diagnostic has this code (settings that arrive after didOpen
--                 make the server republish)
--   start.no_push true: the client ignores textDocument/publishDiagnostics (only pulled ones show)
--   mode          "diagnostics" (only wait), "request" (textDocument/codeAction with `only`, apply the
--                 WorkspaceEdit with vim.lsp.util.apply_workspace_edit, :write), "keymap" (call the
--                 normal-mode mapping `keys` with the cursor on `cursor`, wait for the edit, :write)
--                 or "feature" (run the scenario `feature` of nvim_features.lua with `args`; what it
--                 returns is the result's `feature`)
--   only, title   "request": the code action kind to ask for, and optionally the title to pick
--   line          "request": the 0-based line whose range (line..line+1) the request is for
--   keys, cursor  "keymap": the mapping's lhs and the {row (1-based), col (0-based)} to put the cursor on
--   timeout_ms    for each wait (default 15000)

local cfg = vim.fn.json_decode(os.getenv('DRLS_NVIM_DRIVER'))
local timeout = cfg.timeout_ms or 15000
local v = vim.version()
local result = {
  nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch),
  diagnostics = {},
  actions = {},
  steps = {},
}

local started = vim.loop.hrtime()
local function step(name)
  table.insert(result.steps, string.format('%s (%d ms)', name, (vim.loop.hrtime() - started) / 1e6))
end

local function write_result()
  local fh = assert(io.open(cfg.result, 'w'))
  fh:write(vim.fn.json_encode(result))
  fh:close()
end

local function our_client(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == 'dockerfile_refactor_ls' then
      return client
    end
  end
  return nil
end

local function wait_for(what, predicate)
  if not vim.wait(timeout, predicate, 20) then
    error('timed out after ' .. timeout .. ' ms waiting for ' .. what)
  end
  step(what)
end

local function main()
  local features
  if cfg.mode == 'feature' then
    local here = debug.getinfo(1, 'S').source:sub(2)
    features = dofile(vim.fn.fnamemodify(here, ':h') .. '/nvim_features.lua')
    if not features[cfg.feature] then
      error('no scenario ' .. tostring(cfg.feature))
    end
    local why = features.requires[cfg.feature] and features.requires[cfg.feature]()
    if why then -- no server to start for a scenario this Neovim cannot run
      result.feature = { unsupported = 'Neovim ' .. result.nvim .. ' ' .. why }
      return
    end
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(cfg.file))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  if cfg.start then
    -- `-u NONE` turns filetype detection off: set it as the FileType autocmd would have.
    vim.bo[bufnr].filetype = 'dockerfile'
    local config = {
      name = 'dockerfile_refactor_ls',
      cmd = cfg.start.cmd,
      root_dir = cfg.start.root_dir,
    }
    if cfg.start.no_push then
      config.handlers = { ['textDocument/publishDiagnostics'] = function() end }
    end
    if vim.lsp.start then -- 0.8+
      vim.lsp.start(config)
    else -- 0.7
      local client_id = vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  end

  wait_for('client attached', function()
    local client = our_client(bufnr)
    return client ~= nil and client.initialized == true
  end)
  local client = our_client(bufnr)
  result.offset_encoding = client.offset_encoding

  if cfg.wait_code ~= nil and cfg.wait_code ~= vim.NIL then
    wait_for('diagnostic ' .. cfg.wait_code, function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.code == cfg.wait_code then
          return true
        end
      end
      return false
    end)
  end
  if cfg.wait_gone then
    wait_for(cfg.wait_gone .. ' gone', function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.code == cfg.wait_gone then
          return false
        end
      end
      return true
    end)
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { code = d.code, lnum = d.lnum, source = d.source, severity = d.severity })
  end

  if cfg.mode == 'request' then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = {
        start = { line = cfg.line or 0, character = 0 },
        ['end'] = { line = (cfg.line or 0) + 1, character = 0 },
      },
      context = { diagnostics = {}, only = { cfg.only } },
    }
    local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
    local response = responses and responses[client.id]
    if not response then
      error('no textDocument/codeAction response')
    end
    if response.err or response.error then
      error('codeAction failed: ' .. vim.inspect(response.err or response.error))
    end
    local chosen
    for _, action in ipairs(response.result or {}) do
      table.insert(result.actions, { title = action.title, kind = action.kind })
      if not chosen and action.kind == cfg.only and (cfg.title == nil or action.title == cfg.title) then
        chosen = action
      end
    end
    step('code actions received')
    if chosen then
      vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
      step('applied ' .. chosen.title)
      vim.cmd('write')
      step('written')
    end
  elseif cfg.mode == 'keymap' then
    -- On 0.7 vim.lsp.buf.code_action always shows the menu: answer it with the first entry.
    vim.ui.select = function(items, _, on_choice)
      on_choice(items[1], 1)
    end
    vim.api.nvim_win_set_cursor(0, cfg.cursor)
    if vim.fn.maparg(cfg.keys, 'n') == '' then
      error('no normal-mode mapping for ' .. cfg.keys)
    end
    local tick = vim.api.nvim_buf_get_changedtick(bufnr)
    -- Press the keys, as a user would ('x': execute them now, 't': as if typed).
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(cfg.keys, true, false, true), 'xt', false)
    wait_for('edit applied by ' .. cfg.keys, function()
      return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
    end)
    vim.cmd('write')
    step('written')
  elseif cfg.mode == 'feature' then
    result.feature = features[cfg.feature]({
      bufnr = bufnr,
      client = client,
      cfg = cfg,
      wait_for = wait_for,
      step = step,
      timeout = timeout,
      version = result.nvim,
    })
    step('scenario ' .. cfg.feature)
  end
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local ok, err = xpcall(main, debug.traceback)
result.ok = ok
if not ok then
  result.error = tostring(err)
end
write_result()
vim.cmd('qall!')
