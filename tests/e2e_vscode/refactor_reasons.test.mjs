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
import { before } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
    editorText,
    makeSandbox,
    openInCodeServer,
    quickPick,
    requireEnv,
    runCommand,
    steps,
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

before(() => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = makeSandbox();
    fs.writeFileSync(path.join(sandbox.workspace, 'Dockerfile'), DOCKERFILE);
    writeUserSettings(sandbox, {});
});

const stepTest = steps({ artifacts: ARTIFACTS, resources: () => ({ sandbox, server, browser, page }) });

stepTest('code-server opens the nginx Dockerfile', async () => {
    ({ server, browser, page } = await openInCodeServer({
        codeServer: CODE_SERVER, vsix: VSIX, chromiumPath: CHROMIUM, sandbox, artifacts: ARTIFACTS,
        file: 'Dockerfile', expect: 'FROM nginx:1.27',
    }));
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
    await page.locator('.action-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    // With enabled actions in the menu too (versionArg, debugStage apply here), VS Code folds the
    // disabled ones behind "Show Disabled". Its pointer block takes real clicks while the widget
    // opens, so the toggle gets the click event directly.
    const showDisabled = page.locator('.action-widget').getByText('Show Disabled', { exact: true });
    if (await showDisabled.count()) {
        await showDisabled.first().dispatchEvent('click');
    }
    const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Add non-root user' });
    await item.first().waitFor({ state: 'visible', timeout: 30_000 });
    const cls = (await item.first().getAttribute('class')) ?? '';
    assert.match(cls, /disabled|option-disabled/, `the entry is disabled (class="${cls}")`);
    await page.keyboard.press('Escape');
});
