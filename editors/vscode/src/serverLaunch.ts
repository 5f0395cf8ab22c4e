/**
 * Finding the language server process to start, in this order:
 *
 *  1. `dockerfileRefactor.server.path`: a command and its arguments, used as given;
 *  2. `dockerfileRefactor.interpreter`, then the Python extension's active interpreter, when that
 *     interpreter has the `dockerfile_refactor_ls` package installed: `python -m dockerfile_refactor_ls`;
 *  3. the copy of the package shipped in the extension (`bundled/libs`), run by the first Python 3.11+
 *     among those interpreters and `python3` / `python` on PATH, with PYTHONPATH pointing at it.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { getPythonExtensionInterpreter } from './python';
import { getLaunchSettings } from './settings';

export const SERVER_MODULE = 'dockerfile_refactor_ls';
const MIN_PYTHON: [number, number] = [3, 11];
const PROBE_TIMEOUT_MS = 15_000;

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
}

const PROBE_SCRIPT = [
    'import importlib.util, json, sys',
    `print(json.dumps({"version": list(sys.version_info[:2]), "hasPackage": importlib.util.find_spec("${SERVER_MODULE}") is not None}))`,
].join('\n');

/** Run the interpreter once to learn its version and whether the server package is importable. */
export function probeInterpreter(
    interpreter: string[],
    env: NodeJS.ProcessEnv = process.env,
): Promise<ProbeResult | undefined> {
    return new Promise((resolve) => {
        const [command, ...args] = interpreter;
        if (!command) {
            resolve(undefined);
            return;
        }
        execFile(
            command,
            [...args, '-c', PROBE_SCRIPT],
            { timeout: PROBE_TIMEOUT_MS, env, windowsHide: true },
            (error, stdout) => {
                if (error) {
                    resolve(undefined);
                    return;
                }
                try {
                    const lines = stdout.trim().split(/\r?\n/);
                    const parsed = JSON.parse(lines[lines.length - 1] ?? '') as ProbeResult;
                    resolve(parsed);
                } catch {
                    resolve(undefined);
                }
            },
        );
    });
}

function versionOk(v: [number, number]): boolean {
    return v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]);
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

export async function resolveServerLaunch(
    context: vscode.ExtensionContext,
    log: vscode.LogOutputChannel,
    resource?: vscode.Uri,
): Promise<ServerLaunch | undefined> {
    const settings = getLaunchSettings(resource);

    if (settings.serverPath.length > 0 && settings.serverPath[0]) {
        const [command, ...args] = settings.serverPath;
        return {
            command: command as string,
            args,
            source: 'server.path',
            description: `dockerfileRefactor.server.path: ${fmt(settings.serverPath)}`,
        };
    }

    const candidates: { interpreter: string[]; source: LaunchSource }[] = [];
    if (settings.interpreter.length > 0 && settings.interpreter[0]) {
        candidates.push({ interpreter: settings.interpreter, source: 'interpreter' });
    }
    const fromPythonExtension = await getPythonExtensionInterpreter(resource, log);
    if (fromPythonExtension) {
        candidates.push({ interpreter: fromPythonExtension, source: 'python-extension' });
    }

    const probed: { interpreter: string[]; source: LaunchSource; probe: ProbeResult }[] = [];
    for (const candidate of candidates) {
        const probe = await probeInterpreter(candidate.interpreter);
        if (!probe) {
            log.warn(`Interpreter ${fmt(candidate.interpreter)} (${candidate.source}) could not be run.`);
            continue;
        }
        log.info(
            `Interpreter ${fmt(candidate.interpreter)} (${candidate.source}): Python ${probe.version.join('.')}, ` +
                `${SERVER_MODULE} ${probe.hasPackage ? 'installed' : 'not installed'}.`,
        );
        if (probe.hasPackage && versionOk(probe.version)) {
            return {
                command: candidate.interpreter[0] as string,
                args: [...candidate.interpreter.slice(1), '-m', SERVER_MODULE],
                source: candidate.source,
                description: `${fmt(candidate.interpreter)} -m ${SERVER_MODULE} (${candidate.source})`,
            };
        }
        probed.push({ ...candidate, probe });
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
    const bundledCandidates = [
        ...probed.filter((p) => versionOk(p.probe.version)).map((p) => p.interpreter),
        ...pathInterpreters(),
    ];
    for (const interpreter of bundledCandidates) {
        const probe = await probeInterpreter(interpreter, env);
        if (probe && versionOk(probe.version) && probe.hasPackage) {
            return {
                command: interpreter[0] as string,
                args: [...interpreter.slice(1), '-m', SERVER_MODULE],
                env,
                source: 'bundled',
                description: `bundled server (${libs}) run by ${fmt(interpreter)}, Python ${probe.version.join('.')}`,
            };
        }
        if (probe) {
            log.info(`${fmt(interpreter)} is Python ${probe.version.join('.')}; the bundled server needs ${MIN_PYTHON.join('.')}+.`);
        }
    }
    return undefined;
}
