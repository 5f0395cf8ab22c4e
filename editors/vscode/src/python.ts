/**
 * Optional use of the Python extension (ms-python.python): its active interpreter is one of the
 * places the server is looked for. Only the few members used are typed here, so the extension works
 * the same when the Python extension is absent, old, or fails to activate.
 */
import * as vscode from 'vscode';

interface ResolvedEnvironment {
    executable?: { uri?: vscode.Uri };
}

interface EnvironmentsApi {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<ResolvedEnvironment | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

interface LegacySettingsApi {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
}

interface PythonExtensionApi {
    ready?: Promise<void>;
    environments?: EnvironmentsApi;
    settings?: LegacySettingsApi;
}

const PYTHON_EXTENSION_ID = 'ms-python.python';
const ACTIVATION_TIMEOUT_MS = 15_000;

function withTimeout<T>(promise: Thenable<T>, ms: number): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(undefined), ms);
        promise.then(
            (v) => {
                clearTimeout(timer);
                resolve(v);
            },
            (e: unknown) => {
                clearTimeout(timer);
                reject(e);
            },
        );
    });
}

async function getApi(): Promise<PythonExtensionApi | undefined> {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!extension) {
        return undefined;
    }
    if (!extension.isActive) {
        await withTimeout(extension.activate(), ACTIVATION_TIMEOUT_MS);
    }
    const api = extension.exports;
    if (api?.ready) {
        await withTimeout(api.ready, ACTIVATION_TIMEOUT_MS);
    }
    return api;
}

/** The interpreter the Python extension has selected for `resource`, as command + args. */
export async function getPythonExtensionInterpreter(
    resource: vscode.Uri | undefined,
    log: vscode.LogOutputChannel,
): Promise<string[] | undefined> {
    try {
        const api = await getApi();
        if (!api) {
            return undefined;
        }
        const envs = api.environments;
        if (envs?.getActiveEnvironmentPath && envs.resolveEnvironment) {
            const active = envs.getActiveEnvironmentPath(resource);
            if (active) {
                const resolved = await envs.resolveEnvironment(active);
                const exe = resolved?.executable?.uri?.fsPath;
                if (exe) {
                    return [exe];
                }
            }
        }
        const command = api.settings?.getExecutionDetails?.(resource)?.execCommand;
        if (command && command.length > 0 && command[0]) {
            return [...command];
        }
    } catch (err) {
        log.warn(`Could not ask the Python extension for its interpreter: ${String(err)}`);
    }
    return undefined;
}

/** Fires when the Python extension's selected interpreter changes (no-op without the extension). */
export async function onDidChangePythonInterpreter(listener: () => void): Promise<vscode.Disposable> {
    try {
        const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
        if (!extension) {
            return new vscode.Disposable(() => undefined);
        }
        const api = await getApi();
        const event = api?.environments?.onDidChangeActiveEnvironmentPath ?? api?.settings?.onDidChangeExecutionDetails;
        if (event) {
            return event(() => listener());
        }
    } catch {
        // The Python extension is optional.
    }
    return new vscode.Disposable(() => undefined);
}
