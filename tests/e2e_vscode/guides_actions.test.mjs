// End-to-end: the guides' actions that change more than one place, in real VS Code (code-server).
//
// Opens a single-stage Go Dockerfile whose folder has no .dockerignore, then:
//   - runs "Dockerfile Refactor: Create .dockerignore" from the command palette and expects the
//     file on disk (the server's WorkspaceEdit carries a CreateFile and the text for it), with the
//     entries a Go folder needs, the Dockerfile untouched;
//   - picks "Add a test stage (docker build --target test)" from VS Code's own Refactor menu
//     ("Refactor...") and expects `FROM builder AS test` running `go test ./...`, the default image
//     kept by an empty last stage;
//   - runs "Dockerfile Refactor: Add a debug stage with a shell (docker build --target debug)" and
//     expects the debug stage before that last stage.
// Run it through scripts/e2e_vscode.sh (`make e2e`, or E2E_TESTS=guides for this file only).
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
    waitForEditorText,
    waitForFile,
    writeUserSettings,
} from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_SERVER = requireEnv('CODE_SERVER');
const VSIX = path.resolve(requireEnv('VSIX'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(REPO, process.env.E2E_ARTIFACTS || '.cache/e2e-vscode', 'guides');

const DOCKERFILE = [
    'FROM golang:1.22',
    'WORKDIR /app',
    'COPY . .',
    'RUN go build -o /app/primes .',
    'CMD ["/app/primes"]',
    '',
].join('\n');

let sandbox;
let server;
let browser;
let page;

const stepTest = steps({ artifacts: ARTIFACTS, resources: () => ({ sandbox, server, browser, page }) });
const onDisk = (name) => path.join(sandbox.workspace, name);

before(() => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = makeSandbox();
    fs.writeFileSync(onDisk('Dockerfile'), DOCKERFILE);
    fs.writeFileSync(onDisk('go.mod'), 'module example.com/primes\n\ngo 1.22\n');
    fs.writeFileSync(onDisk('main.go'), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(2, 3, 5, 7) }\n');
    fs.writeFileSync(onDisk('main_test.go'), 'package main\n\nimport "testing"\n\nfunc TestNothing(t *testing.T) {}\n');
    // A clone's .git: the .dockerignore the server writes lists it (it lists what the folder holds).
    fs.mkdirSync(onDisk('.git'));
    fs.writeFileSync(onDisk('.git/HEAD'), 'ref: refs/heads/main\n');
    // The editor's text is read from the page, where inlay hints would sit inline.
    writeUserSettings(sandbox, { 'editor.inlayHints.enabled': 'off', 'editor.codeLens': false });
});

async function focusDockerfile() {
    await quickPick(page, { open: 'Control+P', query: 'Dockerfile', label: 'Dockerfile' });
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
}

stepTest('code-server opens the Go Dockerfile', async () => {
    ({ server, browser, page } = await openInCodeServer({
        codeServer: CODE_SERVER, vsix: VSIX, chromiumPath: CHROMIUM, sandbox, artifacts: ARTIFACTS,
        file: 'Dockerfile', expect: 'FROM golang:1.22',
    }));
    assert.ok(!fs.existsSync(onDisk('.dockerignore')), 'no .dockerignore to begin with');
});

stepTest('"Dockerfile Refactor: Create .dockerignore" creates the file through the workspace edit', async () => {
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    // The server starts in the background: run the command again until its edit arrives.
    const target = onDisk('.dockerignore');
    const deadline = Date.now() + 120_000;
    while (!fs.existsSync(target) && Date.now() < deadline) {
        await runCommand(page, 'Dockerfile Refactor: Create .dockerignore');
        try {
            await waitForFile(target, () => true, 10_000, 'the CreateFile');
        } catch {
            await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
            await focusDockerfile();
        }
    }
    assert.ok(fs.existsSync(target), '.dockerignore exists on disk (CreateFile applied)');
    // The entries go into the new file as a text edit: VS Code may hold them unsaved.
    await runCommand(page, 'File: Save All');
    const text = await waitForFile(target, (t) => /^\.git$/m.test(t), 30_000, 'the entries in .dockerignore');
    console.log(`.dockerignore: ${JSON.stringify(text)}`);
    assert.match(text, /^Dockerfile$/m, 'the Dockerfile itself is ignored');
    assert.doesNotMatch(text, /^(main\.go|go\.mod)$/m, 'nothing the build needs is excluded');
    assert.equal(fs.readFileSync(onDisk('Dockerfile'), 'utf8'), DOCKERFILE, 'the Dockerfile is untouched');
});

stepTest("VS Code's Refactor menu adds the test stage", async () => {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await focusDockerfile();
    await runCommand(page, 'Refactor...');
    const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Add a test stage' });
    await item.first().waitFor({ state: 'visible', timeout: 30_000 });
    // The widget's pointer block takes mouse clicks while it opens: walk to the entry with the
    // keyboard (as a user does) and apply it with Enter.
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 12 && !((await focused.first().getAttribute('aria-label').catch(() => '')) ?? '').includes('Add a test stage'); i++) {
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(100);
    }
    assert.match((await focused.first().getAttribute('aria-label')) ?? '', /Add a test stage/, 'the entry is selected');
    await page.keyboard.press('Enter');
    const text = await waitForEditorText(page, (s) => /^FROM builder AS test$/m.test(s), 60_000, 'FROM builder AS test');
    console.log(`after testStage: ${JSON.stringify(text)}`);
    assert.match(text, /^FROM golang:1\.22 AS builder$/m, 'the build stage is named builder');
    assert.match(text, /^FROM builder AS test\nRUN go test \.\/\.\.\.$/m, 'the test stage runs go test');
    assert.match(text.trimEnd(), /\nFROM builder AS runtime$/, 'an empty last stage keeps the default image');
});

stepTest('"Dockerfile Refactor: Add a debug stage…" adds the debug stage before the last one', async () => {
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Dockerfile Refactor: Add a debug stage with a shell (docker build --target debug)');
    const text = await waitForEditorText(page, (s) => /^FROM builder AS debug$/m.test(s), 60_000, 'FROM builder AS debug');
    console.log(`after debugStage: ${JSON.stringify(text)}`);
    assert.match(text, /^RUN apt-get update && apt-get install -y --no-install-recommends curl/m, 'tools with apt');
    assert.ok(text.indexOf('AS debug') < text.indexOf('AS runtime'), 'the debug stage is not the default target');
    await page.keyboard.press('Control+S');
    const saved = await waitForFile(onDisk('Dockerfile'), (t) => t.includes('AS debug'), 30_000, 'the saved Dockerfile');
    assert.equal(saved.trimEnd(), (await editorText(page)).trimEnd(), 'disk and editor agree');
});
