import * as os from 'os';
import * as vscode from 'vscode';

export const SECTION = 'dockerfileRefactor';

/** The object the server reads from `workspace/configuration` and `initializationOptions`. */
export interface ServerSettings {
    rules: {
        ignore: string[];
        severity: Record<string, string>;
    };
    shellcheck: {
        enable: boolean;
        path: string;
    };
}

/** Settings that choose which process the extension starts. */
export interface LaunchSettings {
    serverPath: string[];
    interpreter: string[];
}

/** Expand `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~` in a setting value. */
export function expandVariables(value: string, scope?: vscode.Uri): string {
    const folder =
        (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
    let out = value
        .replace(/\$\{userHome\}/g, os.homedir())
        .replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => process.env[name] ?? '');
    if (folder) {
        out = out
            .replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath)
            .replace(/\$\{workspaceFolderBasename\}/g, folder.name);
    }
    if (out === '~' || out.startsWith('~/')) {
        out = os.homedir() + out.slice(1);
    }
    return out;
}

function stringArray(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A plain, JSON-safe copy (VS Code hands out frozen proxies). */
function plainRecord(value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
            if (typeof v === 'string') {
                out[key] = v;
            }
        }
    }
    return out;
}

export function getServerSettings(scope?: vscode.Uri): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return {
        rules: {
            ignore: stringArray(config.get('rules.ignore')),
            severity: plainRecord(config.get('rules.severity')),
        },
        shellcheck: {
            enable: config.get<boolean>('shellcheck.enable', true),
            path: expandVariables(config.get<string>('shellcheck.path', '') || '', scope),
        },
    };
}

export function getLaunchSettings(scope?: vscode.Uri): LaunchSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return {
        serverPath: stringArray(config.get('server.path')).map((v) => expandVariables(v, scope)),
        interpreter: stringArray(config.get('interpreter')).map((v) => expandVariables(v, scope)),
    };
}

/** Settings whose change needs a new server process rather than a configuration push. */
export const RESTART_SETTINGS = [`${SECTION}.server.path`, `${SECTION}.interpreter`];
