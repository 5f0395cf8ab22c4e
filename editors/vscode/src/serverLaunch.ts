/**
 * Finding and starting the language server process, in this order:
 *
 *  1. `dockerfileRefactor.server.path`: a command and its arguments, used as given;
 *  2. `dockerfileRefactor.interpreter`, then the Python extension's active interpreter, when that
 *     interpreter has the `dockerfile_refactor_ls` package installed: `python -m dockerfile_refactor_ls`;
 *  3. the copy of the package shipped in the extension (`bundled/libs`), run by the first Python 3.11+
 *     among those interpreters and `python3` / `python` on PATH, with PYTHONPATH pointing at it.
 *
 * Each candidate is started once, with LAUNCHER_SCRIPT: it reports the interpreter's version, its
 * real executable and whether the package imports on stderr, and then either becomes the server (in
 * the same process) or exits. Checking first with a separate process, as this module used to, cost
 * a whole Python start before the server's own (0.15 s for a plain interpreter on a loaded machine,
 * 0.5-0.9 s through a pyenv shim). The report is remembered in globalState per interpreter file
 * (path, mtime, size): a later start runs the real executable at once (no shim) and skips the
 * candidates known to be unsuitable; those are checked again in the background once the server runs.
 * The first start through a pyenv shim runs the interpreter the shim would choose (./pyenv.ts).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { resolvePyenvShim } from './pyenv';
import { getPythonExtensionInterpreter } from './python';
import { getLaunchSettings } from './settings';
import { StartupTimer } from './startupTimer';

export const SERVER_MODULE = 'dockerfile_refactor_ls';
const MIN_PYTHON: [number, number] = [3, 11];
const PROBE_TIMEOUT_MS = 15_000;
const REPORT_MARK = '@dockerfile-refactor-ls-launcher ';
/** With this set in its environment the launcher reports and exits (the background re-check). */
const PROBE_ONLY_ENV = 'DOCKERFILE_REFACTOR_LS_PROBE_ONLY';
const CACHE_KEY = 'interpreterProbes.v1';

// Runs on any Python (2 included): nothing newer than json and sys.stderr.write before the check.
const LAUNCHER_SCRIPT = [
    'import sys, json, os',
    'try:',
    '    import importlib.util',
    `    has = importlib.util.find_spec("${SERVER_MODULE}") is not None`,
    'except Exception:',
    '    has = False',
    `ok = has and tuple(sys.version_info[:2]) >= (${MIN_PYTHON[0]}, ${MIN_PYTHON[1]})`,
    `sys.stderr.write("${REPORT_MARK}" + json.dumps({"version": list(sys.version_info[:2]), "hasPackage": has, "executable": sys.executable}) + "\\n")`,
    'sys.stderr.flush()',
    `if ok and not os.environ.get("${PROBE_ONLY_ENV}"):`,
    '    import runpy',
    `    runpy.run_module("${SERVER_MODULE}", run_name="__main__", alter_sys=True)`,
].join('\n');

export type LaunchSource = 'server.path' | 'interpreter' | 'python-extension' | 'bundled';

export interface ServerLaunch {
    command: string;
    args: string[];
    env?: NodeJS.ProcessEnv;
    source: LaunchSource;
    /** One line for the output channel and the status bar tooltip. */
    description: string;
}

interface ProbeResult {
    version: [number, number];
    hasPackage: boolean;
    executable: string;
}

interface CachedProbe extends ProbeResult {
    /** The interpreter file as found (a venv link, a pyenv shim...): its stat when probed. */
    file: string;
    mtimeMs: number;
    size: number;
    /** The executable's stat when probed, so a replaced interpreter is probed again. */
    exeMtimeMs: number;
    exeSize: number;
}

interface Candidate {
    interpreter: string[];
    source: LaunchSource;
    /** Set for the bundled copy: the environment that puts it on sys.path. */
    env?: NodeJS.ProcessEnv;
}

export interface StartedServer {
    launch: ServerLaunch;
    /** The running process, already past the launcher's check. */
    child: ChildProcess;
    /** Candidates skipped on a remembered report, to check again now that the server runs. */
    recheck: () => Promise<boolean>;
}

function versionOk(v: [number, number]): boolean {
    return v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]);
}

function suitable(p: ProbeResult): boolean {
    return p.hasPackage && versionOk(p.version);
}

function fmt(cmd: string[]): string {
    return cmd.map((c) => (/\s/.test(c) ? JSON.stringify(c) : c)).join(' ');
}

function pathInterpreters(): string[][] {
    return process.platform === 'win32' ? [['py', '-3'], ['python3'], ['python']] : [['python3'], ['python']];
}

export function bundledLibsDir(context: vscode.ExtensionContext): string {
    return context.asAbsolutePath(path.join('bundled', 'libs'));
}

/** The file `command` runs: as given when it has a directory part, else the first match on PATH. */
function findOnPath(command: string): string | undefined {
    if (command.includes('/') || command.includes('\\')) {
        return path.resolve(command);
    }
    const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
        if (!dir) {
            continue;
        }
        for (const ext of exts) {
            const file = path.join(dir, command + ext);
            try {
                if (fs.statSync(file).isFile()) {
                    return file;
                }
            } catch {
                // not here
            }
        }
    }
    return undefined;
}

function statOf(file: string): { mtimeMs: number; size: number } | undefined {
    try {
        const st = fs.statSync(file);
        return { mtimeMs: st.mtimeMs, size: st.size };
    } catch {
        return undefined;
    }
}

class ProbeCache {
    constructor(private readonly state: vscode.Memento) {}

    private all(): Record<string, CachedProbe> {
        return this.state.get<Record<string, CachedProbe>>(CACHE_KEY) ?? {};
    }

    private static key(c: Candidate): string {
        return JSON.stringify([c.interpreter, c.env?.PYTHONPATH ?? null]);
    }

    /** The remembered report for `c`, if neither its file nor its executable changed since. */
    get(c: Candidate): CachedProbe | undefined {
        const entry = this.all()[ProbeCache.key(c)];
        const command = c.interpreter[0];
        if (!entry || !command) {
            return undefined;
        }
        const file = findOnPath(command);
        const st = file ? statOf(file) : undefined;
        const exe = statOf(entry.executable);
        if (file !== entry.file || !st || st.mtimeMs !== entry.mtimeMs || st.size !== entry.size) {
            return undefined;
        }
        if (!exe || exe.mtimeMs !== entry.exeMtimeMs || exe.size !== entry.exeSize) {
            return undefined;
        }
        return entry;
    }

    async put(c: Candidate, probe: ProbeResult): Promise<void> {
        const command = c.interpreter[0];
        const file = command ? findOnPath(command) : undefined;
        const st = file ? statOf(file) : undefined;
        const exe = statOf(probe.executable);
        const all = this.all();
        const key = ProbeCache.key(c);
        if (!file || !st || !exe) {
            delete all[key];
        } else {
            all[key] = { ...probe, file, ...st, exeMtimeMs: exe.mtimeMs, exeSize: exe.size };
        }
        await this.state.update(CACHE_KEY, all);
    }
}

interface SpawnOptions {
    cwd?: string;
    /** Added to every server's environment (PYTHONSAFEPATH...). */
    extraEnv: NodeJS.ProcessEnv;
}

/**
 * Start `command` with the launcher; resolves with its report once it passed the check (the process
 * is then the server), or with the report and no process when it did not (or undefined if it could
 * not be run).
 */
function spawnWithLauncher(
    command: string[],
    env: NodeJS.ProcessEnv,
    options: SpawnOptions,
    log: vscode.LogOutputChannel,
): Promise<{ probe?: ProbeResult; child?: ChildProcess }> {
    return new Promise((resolve) => {
        const [exe, ...args] = command;
        if (!exe) {
            resolve({});
            return;
        }
        let child: ChildProcess;
        try {
            child = spawn(exe, [...args, '-c', LAUNCHER_SCRIPT], {
                cwd: options.cwd,
                env: { ...env, ...options.extraEnv },
                windowsHide: true,
            });
        } catch {
            resolve({});
            return;
        }
        let settled = false;
        let buffered = '';
        const finish = (result: { probe?: ProbeResult; child?: ChildProcess }): void => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(result);
            }
        };
        const timer = setTimeout(() => {
            child.kill();
            finish({});
        }, PROBE_TIMEOUT_MS);
        child.on('error', () => finish({}));
        child.on('exit', () => {
            // Exited before (or right after) its report: not a server.
            const probe = parseReport(buffered);
            finish(probe ? { probe } : {});
        });
        const onData = (chunk: Buffer): void => {
            if (settled) {
                child.stderr?.off('data', onData);
                return;
            }
            buffered += chunk.toString('utf8');
            const probe = parseReport(buffered);
            if (!probe) {
                return;
            }
            if (!suitable(probe) || env[PROBE_ONLY_ENV]) {
                return; // it exits by itself; 'exit' resolves
            }
            // What the server wrote after the report would be lost: the client reads stderr from now on.
            const rest = buffered.slice(buffered.indexOf('\n', buffered.indexOf(REPORT_MARK)) + 1).trimEnd();
            if (rest) {
                log.info(rest);
            }
            child.stderr?.off('data', onData);
            finish({ probe, child });
        };
        child.stderr?.on('data', onData);
    });
}

function parseReport(text: string): ProbeResult | undefined {
    const at = text.indexOf(REPORT_MARK);
    const end = at < 0 ? -1 : text.indexOf('\n', at);
    if (end < 0) {
        return undefined;
    }
    try {
        const parsed = JSON.parse(text.slice(at + REPORT_MARK.length, end)) as ProbeResult;
        return Array.isArray(parsed.version) && typeof parsed.executable === 'string' ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** For a bare command that is a pyenv shim on PATH: the interpreter the shim would run. */
function pyenvTarget(c: Candidate, cwd: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
    const command = c.interpreter[0];
    if (c.interpreter.length !== 1 || !command) {
        return undefined;
    }
    const file = findOnPath(command);
    return file ? resolvePyenvShim(file, cwd, env) : undefined;
}

/** The interpreter to run for `c`: the remembered real executable when `c` is a bare command. */
function commandFor(c: Candidate, cached: CachedProbe | undefined): string[] {
    if (cached && c.interpreter.length === 1 && cached.executable) {
        return [cached.executable];
    }
    return c.interpreter;
}

/** Find the server, start it, and return the running process (undefined: none could be started). */
export async function startServer(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel,
    resource: vscode.Uri | undefined,
    options: SpawnOptions,
    timer: StartupTimer,
): Promise<StartedServer | undefined> {
    const settings = getLaunchSettings(resource);
    const cache = new ProbeCache(context.globalState);
    const nothingToRecheck = async (): Promise<boolean> => false;

    if (settings.serverPath.length > 0 && settings.serverPath[0]) {
        const [command, ...args] = settings.serverPath as [string, ...string[]];
        const launch: ServerLaunch = {
            command,
            args,
            source: 'server.path',
            description: `dockerfileRefactor.server.path: ${fmt(settings.serverPath)}`,
        };
        timer.mark('spawn (server.path)');
        const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.extraEnv }, windowsHide: true });
        return { launch, child, recheck: nothingToRecheck };
    }

    // Skipped on a remembered report: checked again in the background once the server runs.
    const skipped: Candidate[] = [];

    const attempt = async (c: Candidate): Promise<{ probe?: ProbeResult; child?: ChildProcess }> => {
        const env = c.env ?? process.env;
        const cached = cache.get(c);
        if (cached && !suitable(cached)) {
            log.info(
                `Interpreter ${fmt(c.interpreter)} (${c.source}): Python ${cached.version.join('.')}, ` +
                    `${SERVER_MODULE} ${cached.hasPackage ? 'installed' : 'not installed'} (remembered).`,
            );
            skipped.push(c);
            return { probe: cached };
        }
        // A first start through a pyenv shim: run what the shim would run, without pyenv exec.
        const shimTarget = cached ? undefined : pyenvTarget(c, options.cwd, env);
        const command = shimTarget ? [shimTarget] : commandFor(c, cached);
        const how = cached ? ', remembered' : shimTarget ? ', pyenv shim resolved' : '';
        timer.mark(`spawn ${fmt(command)} (${c.source}${how})`);
        let result = await spawnWithLauncher(command, env, options, log);
        if (!result.probe && (cached || shimTarget)) {
            // The remembered or resolved executable is gone or broken: ask the interpreter as configured.
            timer.mark(`spawn ${fmt(c.interpreter)} (${c.source}, ${cached ? 'remembered' : 'resolved'} executable failed)`);
            result = await spawnWithLauncher(c.interpreter, env, options, log);
        }
        timer.mark(`launcher reported (${fmt(command)})`);
        if (!result.probe) {
            log.warn(`Interpreter ${fmt(c.interpreter)} (${c.source}) could not be run.`);
            return result;
        }
        if (!cached || cached.executable !== result.probe.executable || cached.hasPackage !== result.probe.hasPackage) {
            await cache.put(c, result.probe);
        }
        log.info(
            `Interpreter ${fmt(c.interpreter)} (${c.source}): Python ${result.probe.version.join('.')} at ` +
                `${result.probe.executable}, ${SERVER_MODULE} ${result.probe.hasPackage ? 'installed' : 'not installed'}.`,
        );
        return result;
    };

    const launchOf = (c: Candidate, probe: ProbeResult, command: string[]): ServerLaunch => ({
        command: command[0] as string,
        args: [...command.slice(1), '-m', SERVER_MODULE],
        env: c.env,
        source: c.source,
        description:
            c.source === 'bundled'
                ? `bundled server (${bundledLibsDir(context)}) run by ${fmt(command)}, Python ${probe.version.join('.')}`
                : `${fmt(command)} -m ${SERVER_MODULE} (${c.source})`,
    });

    const candidates: Candidate[] = [];
    if (settings.interpreter.length > 0 && settings.interpreter[0]) {
        candidates.push({ interpreter: settings.interpreter, source: 'interpreter' });
    }
    const usable: string[][] = [];
    const tryCandidate = async (c: Candidate): Promise<StartedServer | undefined> => {
        const { probe, child } = await attempt(c);
        if (probe && child) {
            const command = c.interpreter.length === 1 ? [probe.executable] : c.interpreter;
            return { launch: launchOf(c, probe, command), child, recheck: () => recheck() };
        }
        if (probe && versionOk(probe.version)) {
            usable.push(c.interpreter);
        }
        return undefined;
    };
    const recheck = async (): Promise<boolean> => {
        // True when a skipped candidate now passes: the caller restarts to use it.
        for (const c of skipped) {
            const { probe } = await spawnWithLauncher(c.interpreter, { ...(c.env ?? process.env), [PROBE_ONLY_ENV]: '1' }, options, log);
            if (probe) {
                await cache.put(c, probe);
                if (suitable(probe)) {
                    log.info(`Interpreter ${fmt(c.interpreter)} (${c.source}) can now run the server.`);
                    return true;
                }
            }
        }
        return false;
    };

    for (const c of candidates) {
        const started = await tryCandidate(c);
        if (started) {
            return started;
        }
    }
    // Only now, when the setting did not decide: the Python extension may take seconds to activate.
    timer.mark('asking the Python extension');
    const fromPythonExtension = await getPythonExtensionInterpreter(resource, log);
    timer.mark(fromPythonExtension ? `Python extension: ${fmt(fromPythonExtension)}` : 'no interpreter from the Python extension');
    if (fromPythonExtension) {
        const started = await tryCandidate({ interpreter: fromPythonExtension, source: 'python-extension' });
        if (started) {
            return started;
        }
    }

    const libs = bundledLibsDir(context);
    if (!fs.existsSync(path.join(libs, SERVER_MODULE))) {
        log.warn(`No bundled server at ${libs}.`);
        return undefined;
    }
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PYTHONPATH: [libs, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
        PYTHONNOUSERSITE: '1',
    };
    for (const interpreter of [...usable, ...pathInterpreters()]) {
        const c: Candidate = { interpreter, source: 'bundled', env };
        const started = await tryCandidate(c);
        if (started) {
            return started;
        }
    }
    return undefined;
}

/** Start the server again as `launch` says (the client's own restarts after a crash). */
export function respawn(launch: ServerLaunch, options: SpawnOptions): ChildProcess {
    return spawn(launch.command, launch.args, {
        cwd: options.cwd,
        env: { ...(launch.env ?? process.env), ...options.extraEnv },
        windowsHide: true,
    });
}
