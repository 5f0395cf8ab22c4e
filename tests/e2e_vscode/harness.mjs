// Helpers to run code-server with a fresh profile and drive its workbench with playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

export function requireEnv(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set; run this test through scripts/e2e_vscode.sh (make e2e).`);
    }
    return value;
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** A throw-away code-server home: user data, extensions, config and XDG folders. */
export function makeSandbox(prefix = 'dfrls-e2e-') {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const dirs = {
        root,
        userData: path.join(root, 'user-data'),
        extensions: path.join(root, 'extensions'),
        workspace: path.join(root, 'hello-go'),
        xdgConfig: path.join(root, 'xdg-config'),
        xdgData: path.join(root, 'xdg-data'),
        xdgCache: path.join(root, 'xdg-cache'),
        config: path.join(root, 'code-server.yaml'),
    };
    for (const [key, dir] of Object.entries(dirs)) {
        if (key !== 'root' && key !== 'config') {
            fs.mkdirSync(dir, { recursive: true });
        }
    }
    fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
    return dirs;
}

/** A loopback port nothing listens on (9 = discard). */
const DEAD_URL = 'http://127.0.0.1:9';

export function sandboxEnv(sandbox) {
    return {
        ...process.env,
        XDG_CONFIG_HOME: sandbox.xdgConfig,
        XDG_DATA_HOME: sandbox.xdgData,
        XDG_CACHE_HOME: sandbox.xdgCache,
        // Nothing may leave this machine. The extension gallery (open-vsx by default) points at a
        // closed loopback port, and every HTTP(S) request made by code-server or the extension host
        // through a proxy-aware client goes to a proxy on a closed loopback port.
        EXTENSIONS_GALLERY: JSON.stringify({
            serviceUrl: `${DEAD_URL}/gallery`,
            itemUrl: `${DEAD_URL}/item`,
            resourceUrlTemplate: `${DEAD_URL}/asset/{publisher}/{name}/{version}/{path}`,
        }),
        HTTP_PROXY: DEAD_URL,
        HTTPS_PROXY: DEAD_URL,
        http_proxy: DEAD_URL,
        https_proxy: DEAD_URL,
        NO_PROXY: '127.0.0.1,localhost',
        no_proxy: '127.0.0.1,localhost',
    };
}

/** Quiet, deterministic workbench: no welcome page, tips, trust prompt, telemetry or updates. */
export function writeUserSettings(sandbox, extra = {}) {
    const settings = {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'git.enabled': false,
        'editor.minimap.enabled': false,
        'editor.fontSize': 15,
        'window.zoomLevel': 0,
        'chat.commandCenter.enabled': false,
        'http.proxy': DEAD_URL,
        'http.proxySupport': 'override',
        ...extra,
    };
    const dir = path.join(sandbox.userData, 'User');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export function installExtension(codeServer, sandbox, vsix) {
    const result = spawnSync(
        codeServer,
        ['--install-extension', vsix, '--extensions-dir', sandbox.extensions, '--user-data-dir', sandbox.userData],
        { env: sandboxEnv(sandbox), encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.status !== 0 || !/successfully installed/i.test(output)) {
        throw new Error(`code-server --install-extension failed (exit ${result.status}):\n${output}`);
    }
    return output.trim();
}

/** Start code-server in its own process group; resolves once it answers HTTP. */
export async function startCodeServer(codeServer, sandbox, folder, log) {
    const port = await freePort();
    const args = [
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--user-data-dir', sandbox.userData,
        '--extensions-dir', sandbox.extensions,
        '--config', sandbox.config,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        folder,
    ];
    const child = spawn(codeServer, args, {
        env: sandboxEnv(sandbox),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = fs.createWriteStream(log);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 120_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`code-server exited with ${child.exitCode}; see ${log}`);
        }
        try {
            const res = await fetch(url, { redirect: 'manual' });
            ready = res.status < 500;
        } catch {
            // not listening yet
        }
        if (!ready) {
            await sleep(250);
        }
    }
    if (!ready) {
        try {
            process.kill(-child.pid, 'SIGKILL');
        } catch {
            // already gone
        }
        throw new Error(`code-server did not answer on ${url} within 120 s; see ${log}`);
    }
    return {
        url,
        port,
        child,
        stop: async () => {
            if (child.exitCode === null) {
                try {
                    process.kill(-child.pid, 'SIGTERM');
                } catch {
                    // already gone
                }
                const until = Date.now() + 5_000;
                while (child.exitCode === null && Date.now() < until) {
                    await sleep(100);
                }
                if (child.exitCode === null) {
                    try {
                        process.kill(-child.pid, 'SIGKILL');
                    } catch {
                        // already gone
                    }
                }
            }
            out.end();
        },
    };
}

export const CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    '--disable-quic',
    '--disable-dev-shm-usage',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    '--password-store=basic',
    '--no-pings',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    // Only loopback resolves: the browser cannot reach any other host, whatever the page asks for.
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** Every file under `dir` whose path matches `re`, for printing logs after a failure. */
export function findFiles(dir, re) {
    const found = [];
    const walk = (d) => {
        let entries = [];
        try {
            entries = fs.readdirSync(d, { withFileTypes: true });
        } catch {
            return;
        }
        for (const e of entries) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                walk(p);
            } else if (re.test(p)) {
                found.push(p);
            }
        }
    };
    walk(dir);
    return found;
}

// ---- Workbench driving -------------------------------------------------------------------------

/** The active editor's text, read from Monaco's rendered lines (all visible for a short file). */
export async function editorText(page) {
    return page.evaluate(() => {
        const editor =
            document.querySelector('.part.editor .editor-group-container.active .monaco-editor') ??
            document.querySelector('.part.editor .monaco-editor');
        if (!editor) {
            return '';
        }
        const lines = [...editor.querySelectorAll('.view-lines .view-line')];
        lines.sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'));
        return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
    });
}

export async function waitForEditorText(page, predicate, timeout, what, pollMs = 250) {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
        text = await editorText(page);
        if (predicate(text)) {
            return text;
        }
        await sleep(pollMs);
    }
    throw new Error(`Timed out after ${timeout} ms waiting for ${what}; editor shows:\n${text}`);
}

/** Open the quick input (F1 = command palette; Control+P = go to file) and pick `label`. */
export async function quickPick(page, { open, query, label, timeout = 45_000 }) {
    await page.keyboard.press(open);
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout });
    if (open === 'F1') {
        await input.fill(`>${query}`);
    } else {
        await input.fill(query);
    }
    const row = page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .filter({ hasText: label })
        .first();
    await row.waitFor({ state: 'visible', timeout });
    await row.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

export async function runCommand(page, title, options = {}) {
    await quickPick(page, { open: 'F1', query: title, label: title, ...options });
}

/** Text of the Problems panel (opened with the View: Focus Problems command). */
export async function problemsText(page) {
    return page.evaluate(() => {
        const panel = document.querySelector('.markers-panel');
        // innerText: rendered rows only, not the <style> elements the list carries.
        return panel instanceof HTMLElement ? panel.innerText : '';
    });
}

export async function statusBarText(page) {
    return page.evaluate(() => document.querySelector('.part.statusbar')?.innerText ?? '');
}

// ---- Steps and clean-up ------------------------------------------------------------------------

/**
 * The steps of one test file share one sandbox, code-server and browser page. `steps(...)` registers
 * the clean-up (`after`) and returns `stepTest(name, fn, timeout)`: after a failed step the later ones
 * are skipped, not run on a broken page. `resources()` gives what the file has started so far
 * ({ sandbox, server, browser, page }). The clean-up photographs the page after a failure, closes the
 * browser, stops code-server, keeps the run's VS Code logs in `<artifacts>/logs` (printing the
 * extension's and the extension host's after a failure) and removes the sandbox.
 */
export function steps({ artifacts, resources }) {
    let failed = false;
    after(async () => {
        const { sandbox, server, browser, page } = resources();
        if (failed && page) {
            const shot = path.join(artifacts, 'failure.png');
            await page.screenshot({ path: shot }).catch(() => undefined);
            console.log(`failure screenshot: ${shot}`);
        }
        await browser?.close().catch(() => undefined);
        await server?.stop();
        if (!sandbox) {
            return;
        }
        const logsDir = path.join(sandbox.userData, 'logs');
        const dest = path.join(artifacts, 'logs');
        fs.rmSync(dest, { recursive: true, force: true });
        for (const log of findFiles(logsDir, /\.log$/)) {
            const target = path.join(dest, path.relative(logsDir, log));
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.copyFileSync(log, target);
            if (failed && /Dockerfile Refactor|exthost|remoteagent/i.test(log)) {
                console.log(`---- ${log} (last 4000 chars) ----\n${fs.readFileSync(log, 'utf8').slice(-4000)}`);
            }
        }
        const csLog = path.join(artifacts, 'code-server.log');
        if (failed && fs.existsSync(csLog)) {
            console.log(`---- ${csLog} (last 3000 chars) ----\n${fs.readFileSync(csLog, 'utf8').slice(-3000)}`);
        }
        fs.rmSync(sandbox.root, { recursive: true, force: true });
    });
    return function stepTest(name, fn, timeout = 180_000) {
        test(name, { timeout }, async (t) => {
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
    };
}

/**
 * Install the .vsix, start code-server on the sandbox's folder, open it in headless Chromium and
 * open `file` (its name in the explorer) in an editor; resolves once the editor shows `expect`.
 */
/**
 * Start code-server on the sandbox's workspace, open `file` with Ctrl+P and wait until the editor
 * shows `expect`. With `createText`, `file` is written only once the workbench is up: VS Code checks
 * `workspaceContains` activation events at start-up only, so the extension then activates when the
 * file opens (`onLanguage`), as for a user who opens or creates a Dockerfile in another project.
 */
export async function openInCodeServer({ codeServer, vsix, chromiumPath, sandbox, artifacts, file, expect, viewport, createText }) {
    installExtension(codeServer, sandbox, vsix);
    const server = await startCodeServer(codeServer, sandbox, sandbox.workspace, path.join(artifacts, 'code-server.log'));
    const browser = await launchChromium(chromiumPath);
    const page = await (await browser.newContext({ viewport: viewport ?? { width: 1280, height: 800 }, deviceScaleFactor: 1 })).newPage();
    await page.goto(`${server.url}?folder=${encodeURIComponent(sandbox.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    if (createText !== undefined) {
        // The explorer is up once it lists what the folder held before. The file written now may
        // not be listed yet: Ctrl+P's search finds it on disk.
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 120_000 });
        fs.writeFileSync(path.join(sandbox.workspace, file), createText);
    } else {
        // The explorer lists the folder once the remote connection is up.
        await page
            .locator('.explorer-folders-view .monaco-list-row')
            .filter({ hasText: file })
            .first()
            .waitFor({ state: 'visible', timeout: 120_000 });
    }
    await quickPick(page, { open: 'Control+P', query: file, label: file });
    // Polled often: `shownAt` (when the editor showed `expect`, this process's clock) is where the
    // start-up figures count from.
    await waitForEditorText(page, (s) => s.includes(expect), 60_000, `${file} in the editor`, 20);
    const shownAt = Date.now();
    return { server, browser, page, shownAt };
}

async function launchChromium(executablePath) {
    const { chromium } = await import('playwright-core');
    return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Wait until `file` exists and `predicate(its text)` holds; returns the text. */
export async function waitForFile(file, predicate, timeout, what) {
    const deadline = Date.now() + timeout;
    let text;
    while (Date.now() < deadline) {
        text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
        if (text !== undefined && predicate(text)) {
            return text;
        }
        await sleep(200);
    }
    throw new Error(`Timed out after ${timeout} ms waiting for ${what}; ${file} ${text === undefined ? 'does not exist' : `holds:\n${text}`}`);
}

