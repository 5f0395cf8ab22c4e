// End-to-end: the packaged extension in real VS Code (code-server) driven by headless Chromium.
//
// Installs the .vsix into a fresh code-server profile, opens a folder holding a single-stage Go
// Dockerfile, waits for the server's diagnostics in the Problems panel, runs the contributed
// "Dockerfile Refactor: Split into builder/runtime stages" command from the command palette, and
// checks the editor (and, after saving, the file on disk) now holds a builder and a runtime stage.
// Run it through scripts/e2e_vscode.sh (`make e2e`), which installs code-server and builds the .vsix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
    CHROMIUM_ARGS,
    editorText,
    installExtension,
    makeSandbox,
    problemsText,
    quickPick,
    requireEnv,
    runCommand,
    startCodeServer,
    statusBarText,
    steps,
    waitForEditorText,
    writeUserSettings,
} from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_SERVER = requireEnv('CODE_SERVER');
const VSIX = path.resolve(requireEnv('VSIX'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(REPO, process.env.E2E_ARTIFACTS || '.cache/e2e-vscode');
// The screenshot goes to the artifacts folder; the tracked copies in docs/images and the extension's
// images are rewritten only on request (UPDATE_SCREENSHOTS=1), so a plain `make e2e` leaves git clean.
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const SCREENSHOT = path.resolve(
    REPO,
    process.env.SCREENSHOT || (UPDATE_SCREENSHOTS ? 'docs/images/vscode-split-stages.png' : path.join(ARTIFACTS, 'vscode-split-stages.png')),
);
const SCREENSHOT_COPIES = (
    process.env.SCREENSHOT_COPIES ?? (UPDATE_SCREENSHOTS ? path.join(REPO, 'editors/vscode/images/vscode-split-stages.png') : '')
)
    .split(path.delimiter)
    .filter(Boolean);
const EXTRA_SETTINGS = process.env.E2E_USER_SETTINGS ? JSON.parse(process.env.E2E_USER_SETTINGS) : {};
const DIAGNOSTICS_TIMEOUT = Number(process.env.E2E_DIAGNOSTICS_TIMEOUT_MS || 120_000);

const DOCKERFILE = [
    'FROM golang:1.22',
    'WORKDIR /app',
    'COPY . .',
    'RUN go build -o /app/server ./cmd/server',
    'EXPOSE 8080',
    'CMD ["/app/server"]',
    '',
].join('\n');

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const step = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);

let sandbox;
let server;
let browser;
let page;

before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = makeSandbox();
    fs.mkdirSync(path.join(sandbox.workspace, 'cmd', 'server'), { recursive: true });
    fs.writeFileSync(path.join(sandbox.workspace, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(
        path.join(sandbox.workspace, 'cmd', 'server', 'main.go'),
        'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n',
    );
    fs.writeFileSync(path.join(sandbox.workspace, 'go.mod'), 'module example.com/server\n\ngo 1.22\n');
    // The editor's text is read from the page, where inlay hints ("CMD as root [...]") sit inline.
    writeUserSettings(sandbox, { 'editor.inlayHints.enabled': 'off', ...EXTRA_SETTINGS });
    step(`sandbox ${sandbox.root}`);
});

const stepTest = steps({ artifacts: ARTIFACTS, resources: () => ({ sandbox, server, browser, page }) });

async function waitForProblems(page, predicate, timeout, what) {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
        text = await problemsText(page);
        if (predicate(text)) {
            return text;
        }
        await page.waitForTimeout(250);
    }
    throw new Error(`Timed out after ${timeout} ms waiting for ${what}; the Problems panel shows:\n${text}`);
}

stepTest('the .vsix installs offline into code-server', () => {
    const out = installExtension(CODE_SERVER, sandbox, VSIX);
    step(out.split('\n').pop());
    const installed = fs.readdirSync(sandbox.extensions).filter((d) => d.startsWith('dockerfile-refactor.'));
    assert.equal(installed.length, 1, `extension folder in ${sandbox.extensions}`);
    assert.ok(
        fs.existsSync(path.join(sandbox.extensions, installed[0], 'bundled', 'libs', 'dockerfile_refactor_ls')),
        'the .vsix carries the bundled Python server',
    );
});

stepTest('code-server opens the Dockerfile', async () => {
    server = await startCodeServer(CODE_SERVER, sandbox, sandbox.workspace, path.join(ARTIFACTS, 'code-server.log'));
    step(`code-server on ${server.url}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    await page.goto(`${server.url}?folder=${encodeURIComponent(sandbox.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    // The explorer lists the folder once the remote connection is up.
    await page
        .locator('.explorer-folders-view .monaco-list-row')
        .filter({ hasText: 'Dockerfile' })
        .first()
        .waitFor({ state: 'visible', timeout: 120_000 });
    step('workbench ready');
    await quickPick(page, { open: 'Control+P', query: 'Dockerfile', label: 'Dockerfile' });
    const text = await waitForEditorText(page, (s) => s.includes('FROM golang:1.22'), 60_000, 'the Dockerfile');
    assert.equal((text.match(/^FROM /gm) ?? []).length, 1, 'starts as a single-stage build');
    step('Dockerfile open');
});

stepTest('the server publishes diagnostics (Problems panel)', async () => {
    await runCommand(page, 'View: Focus Problems');
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 60_000 });
    const problems = await waitForProblems(
        page,
        (p) => p.includes('dockerfile-refactor-ls'),
        DIAGNOSTICS_TIMEOUT,
        'dockerfile-refactor-ls diagnostics in the Problems panel',
    );
    step(`problems: ${problems.replace(/\s+/g, ' ').slice(0, 300)}`);
    const status = await statusBarText(page);
    assert.match(status, /Dockerfile LS/, `status bar item present; status bar: ${status}`);
});

stepTest('settings reach the server: dockerfileRefactor.rules.ignore hides and restores a rule', async () => {
    const shown = await problemsText(page);
    const codes = [...new Set([...shown.matchAll(/dockerfile-refactor-ls\s*\(?\s*([A-Za-z][\w-]*)/g)].map((m) => m[1]))];
    assert.ok(codes.length > 0, `rule codes in the Problems panel: ${shown}`);
    step(`ignoring ${codes.join(', ')} in the folder's .vscode/settings.json`);
    // The folder's settings file, as a project would carry it; VS Code notices the change, the
    // client pushes the new settings and the server republishes.
    const settingsFile = path.join(sandbox.workspace, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ 'dockerfileRefactor.rules.ignore': codes }, null, 2));
    await waitForProblems(page, (p) => !p.includes('dockerfile-refactor-ls'), 60_000, 'the ignored rules to disappear');
    fs.rmSync(path.dirname(settingsFile), { recursive: true });
    await waitForProblems(page, (p) => p.includes('dockerfile-refactor-ls'), 60_000, 'the rules to come back');
    step('rules.ignore applied and lifted');
});

stepTest('"Dockerfile Refactor: Split into builder/runtime stages" rewrites the file', async () => {
    // Put the cursor back in the editor so the command targets the Dockerfile.
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Dockerfile Refactor: Split into builder/runtime stages');
    const text = await waitForEditorText(
        page,
        (s) => /COPY --from=builder/.test(s) && (s.match(/^FROM /gm) ?? []).length >= 2,
        60_000,
        'a second FROM and COPY --from=builder',
    );
    step(`after split: ${JSON.stringify(text)}`);
    assert.match(text, /^FROM golang:1\.22 AS builder\b/im, 'the first stage is the named builder');
    // A static build for the distroless runtime: cgo off (net/http would link glibc otherwise).
    assert.match(text, /^RUN (CGO_ENABLED=0 )?go build -o \/app\/server \.\/cmd\/server$/m, 'the build stays in the builder');
    const runtimeFrom = text.split('\n').findIndex((l, i) => i > 0 && /^FROM /.test(l));
    const copyFrom = text.split('\n').findIndex((l) => /^COPY --from=builder/.test(l));
    assert.ok(copyFrom > runtimeFrom, 'COPY --from=builder is in the runtime stage');
    assert.match(text, /^CMD \["\/app\/server"\]$/m, 'the runtime stage keeps the CMD');

    await page.keyboard.press('Control+S');
    const onDisk = path.join(sandbox.workspace, 'Dockerfile');
    const deadline = Date.now() + 30_000;
    let saved = '';
    while (Date.now() < deadline) {
        saved = fs.readFileSync(onDisk, 'utf8');
        if (saved.includes('COPY --from=builder')) {
            break;
        }
        await page.waitForTimeout(200);
    }
    assert.match(saved, /COPY --from=builder/, 'the saved file holds the refactoring');
    assert.equal(saved.trimEnd(), (await editorText(page)).trimEnd(), 'disk and editor agree');
    step('saved');
});

stepTest('screenshot', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    // Let diagnostics for the new text settle before the picture.
    await page.waitForTimeout(1500);
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    for (const copy of SCREENSHOT_COPIES) {
        fs.mkdirSync(path.dirname(copy), { recursive: true });
        fs.copyFileSync(SCREENSHOT, copy);
    }
    step(`screenshot ${path.relative(REPO, SCREENSHOT)} (+${SCREENSHOT_COPIES.length} copies)`);
});
