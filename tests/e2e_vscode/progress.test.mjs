// End-to-end: a long rules run shows as work-done progress in VS Code's status bar.
//
// Opens a Dockerfile of 8,000 stages (0.8 M characters: its first rules run lasts seconds) and
// waits for the status bar to show the server's "Checking Dockerfile" progress, photographs it,
// then for the progress to go and the diagnostics to arrive.
// Run through scripts/e2e_vscode.sh (`make e2e`, or E2E_TESTS=progress for this file only).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeSandbox, openInCodeServer, requireEnv, statusBarText, steps, writeUserSettings } from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_SERVER = requireEnv('CODE_SERVER');
const VSIX = path.resolve(requireEnv('VSIX'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(REPO, process.env.E2E_ARTIFACTS || '.cache/e2e-vscode', 'progress');
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'images') : ARTIFACTS;

function bigDockerfile(stages) {
    const parts = ['FROM alpine:3.20 AS s0\n'];
    for (let i = 1; i < stages; i++) {
        parts.push(`FROM alpine:3.20 AS s${i}\nARG A${i}=x\nCOPY --from=s${i - 1} /a${i} /b\nRUN apk add curl && echo $A${i}\n`);
    }
    return parts.join('');
}

let sandbox;
let server;
let browser;
let page;

before(() => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = makeSandbox();
    fs.writeFileSync(path.join(sandbox.workspace, 'README.md'), '# app\n');
    writeUserSettings(sandbox);
});

const stepTest = steps({ artifacts: ARTIFACTS, resources: () => ({ sandbox, server, browser, page }) });

stepTest('a long first analysis shows "Checking Dockerfile" in the status bar until it is done', async () => {
    ({ server, browser, page } = await openInCodeServer({
        codeServer: CODE_SERVER, vsix: VSIX, chromiumPath: CHROMIUM, sandbox, artifacts: ARTIFACTS,
        file: 'Dockerfile', expect: 'FROM alpine:3.20 AS s0', viewport: { width: 1100, height: 520 },
        createText: bigDockerfile(8000),
    }));
    const seen = [];
    const deadline = Date.now() + 120_000;
    let shot = false;
    while (Date.now() < deadline) {
        const text = await statusBarText(page);
        if (text.includes('Checking Dockerfile')) {
            seen.push(text.replace(/\s+/g, ' ').trim());
            if (!shot) {
                fs.mkdirSync(SHOTS, { recursive: true });
                const file = path.join(SHOTS, 'vscode-analysis-progress.png');
                await page.screenshot({ path: file });
                console.log(`screenshot ${path.relative(REPO, file)}`);
                shot = true;
            }
        } else if (seen.length > 0) {
            break; // it has gone again
        }
        await page.waitForTimeout(50);
    }
    assert.ok(seen.length > 0, 'the status bar never showed "Checking Dockerfile"');
    console.log(`status bar while the rules ran: ${JSON.stringify(seen[0])} ... ${JSON.stringify(seen.at(-1))} (${seen.length} samples)`);
    assert.ok(!(await statusBarText(page)).includes('Checking Dockerfile'), 'the progress never ended');
});
