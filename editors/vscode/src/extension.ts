import * as vscode from 'vscode';
import {
    CodeAction as LspCodeAction,
    CodeActionRequest,
    CodeActionTriggerKind,
    ConfigurationParams,
    DidChangeConfigurationNotification,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
    State,
} from 'vscode-languageclient/node';
import { onDidChangePythonInterpreter } from './python';
import { REFACTORINGS, runRefactoring } from './refactor';
import { respawn, ServerLaunch, startServer } from './serverLaunch';
import { getServerSettings, RESTART_SETTINGS, SECTION } from './settings';
import { StartupTimer } from './startupTimer';

const CLIENT_ID = 'dockerfileRefactor';
const CLIENT_NAME = 'Dockerfile Refactor';
const STOP_TIMEOUT_MS = 2_000;

const DOCUMENT_SELECTOR = [
    { scheme: 'file', language: 'dockerfile' },
    { scheme: 'untitled', language: 'dockerfile' },
];

type Status = 'starting' | 'running' | 'stopped' | 'error';

class StatusItem implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private readonly listener: vscode.Disposable;

    constructor() {
        this.item = vscode.window.createStatusBarItem('dockerfileRefactor.status', vscode.StatusBarAlignment.Right, 100);
        this.item.name = CLIENT_NAME;
        this.item.command = 'dockerfileRefactor.showOutput';
        this.set('stopped');
        // Visible editors, not only the active one: focusing the Output panel (or any panel) leaves
        // no active text editor, but the Dockerfile is still on screen and the item must stay.
        this.listener = vscode.Disposable.from(
            vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility()),
            vscode.window.onDidChangeVisibleTextEditors(() => this.updateVisibility()),
        );
        this.updateVisibility();
    }

    set(status: Status, detail?: string): void {
        const icon = { starting: '$(loading~spin)', running: '$(check)', stopped: '$(circle-slash)', error: '$(error)' }[
            status
        ];
        this.item.text = `${icon} Dockerfile LS`;
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**${CLIENT_NAME}**: server ${status}`);
        if (detail) {
            tooltip.appendMarkdown('\n\n');
            tooltip.appendText(detail);
        }
        tooltip.appendMarkdown('\n\nClick to show the server output.');
        this.item.tooltip = tooltip;
        this.item.backgroundColor =
            status === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    }

    private updateVisibility(): void {
        const active = vscode.window.activeTextEditor;
        const shown = active
            ? active.document.languageId === 'dockerfile'
            : vscode.window.visibleTextEditors.some((e) => e.document.languageId === 'dockerfile');
        if (shown) {
            this.item.show();
        } else {
            this.item.hide();
        }
    }

    dispose(): void {
        this.listener.dispose();
        this.item.dispose();
    }
}

class ServerManager implements vscode.Disposable {
    private client: LanguageClient | undefined;
    private launch: ServerLaunch | undefined;
    private queue: Promise<void> = Promise.resolve();
    private disposed = false;

    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly log: vscode.LogOutputChannel,
        private readonly status: StatusItem,
    ) {}

    get currentLaunch(): ServerLaunch | undefined {
        return this.launch;
    }

    /** Stop any running server and start a new one; calls are serialised. */
    restart(reason: string, timer?: StartupTimer): Promise<void> {
        const run = (): Promise<void> => this.doRestart(reason, timer ?? new StartupTimer(this.log, reason));
        this.queue = this.queue.then(run, run);
        return this.queue;
    }

    private async stopClient(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (!client) {
            return;
        }
        try {
            if (client.state !== State.Stopped) {
                await client.stop(STOP_TIMEOUT_MS);
            }
        } catch (err) {
            this.log.warn(`Stopping the server: ${String(err)}`);
        }
        try {
            await client.dispose(STOP_TIMEOUT_MS);
        } catch {
            // Already stopped.
        }
    }

    private async doRestart(reason: string, timer: StartupTimer): Promise<void> {
        if (this.disposed) {
            return;
        }
        this.log.info(`(Re)starting the server: ${reason}.`);
        await this.stopClient();
        this.status.set('starting');

        const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
        const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : undefined;
        const spawnOptions = {
            cwd: folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
            // `python -m` would otherwise put the working directory (the user's project) first on
            // sys.path, where a stray module could shadow the server's dependencies.
            extraEnv: { PYTHONSAFEPATH: '1', PYTHONUNBUFFERED: '1' },
        };
        const started = await startServer(this.context, this.log, resource, spawnOptions, timer);
        const launch = started?.launch;
        this.launch = launch;
        if (!started || !launch) {
            const message =
                'Dockerfile Refactor: no language server found. Install Python 3.11 or newer, ' +
                'or set "dockerfileRefactor.server.path" or "dockerfileRefactor.interpreter".';
            this.log.error(message);
            this.status.set('error', message);
            void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
                if (choice === 'Open Settings') {
                    void vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
                } else if (choice === 'Show Output') {
                    this.log.show();
                }
            });
            return;
        }
        this.log.info(`Server: ${launch.description}`);

        // The first process is the one the launcher already checked (it is the server); the client's
        // own restarts after a crash start the same command again.
        let firstChild: typeof started.child | undefined = started.child;
        const serverOptions: ServerOptions = async () => {
            const child = firstChild ?? respawn(launch, spawnOptions);
            firstChild = undefined;
            // The server writes nothing before the client's `initialize`: its first bytes are the answer.
            child.stdout?.once('data', () => timer.mark('initialize answered'));
            return child;
        };

        let client: LanguageClient | undefined;
        const clientOptions: LanguageClientOptions = {
            documentSelector: DOCUMENT_SELECTOR,
            outputChannel: this.log,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: getServerSettings(resource),
            synchronize: { configurationSection: SECTION },
            middleware: {
                didOpen: async (document, next) => {
                    await next(document);
                    timer.mark(`didOpen sent (${vscode.workspace.asRelativePath(document.uri)})`);
                },
                handleDiagnostics: (uri, diagnostics, next) => {
                    next(uri, diagnostics);
                    timer.finish(`first diagnostics received (${diagnostics.length} for ${vscode.workspace.asRelativePath(uri)})`);
                },
                workspace: {
                    // Answer `workspace/configuration` for our section with exactly the object the
                    // server documents (expanded paths, plain JSON), leaving other sections alone.
                    configuration: async (params: ConfigurationParams, token, next) => {
                        const result = await next(params, token);
                        if (!Array.isArray(result)) {
                            return result;
                        }
                        return params.items.map((item, i) => {
                            if (item.section !== SECTION) {
                                return result[i];
                            }
                            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
                            return getServerSettings(scope);
                        });
                    },
                    // `synchronize.configurationSection` makes the client push the raw settings tree
                    // (launcher settings included, paths unexpanded) on every change; push the same
                    // documented object as above instead.
                    didChangeConfiguration: async (sections, next) => {
                        if (client === undefined || !client.isRunning()) {
                            return next(sections);
                        }
                        await client.sendNotification(DidChangeConfigurationNotification.type, {
                            settings: { [SECTION]: getServerSettings(resource) },
                        });
                    },
                },
            },
        };

        client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
        this.client = client;
        client.onDidChangeState((e) => {
            if (this.client !== client) {
                return;
            }
            if (e.newState === State.Running) {
                this.status.set('running', launch.description);
            } else if (e.newState === State.Starting) {
                this.status.set('starting', launch.description);
            } else {
                this.status.set('stopped', launch.description);
            }
        });
        try {
            await client.start();
            timer.mark('client started');
            this.log.info('Server started.');
            void started.recheck().then((better) => {
                if (better && this.client === client) {
                    void this.restart('an interpreter can now run the server');
                }
            });
        } catch (err) {
            const message = `Dockerfile Refactor: the server failed to start (${launch.description}): ${String(err)}`;
            this.log.error(message);
            this.status.set('error', message);
            void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => {
                if (choice) {
                    this.log.show();
                }
            });
        }
    }

    /** The server's `disabled.reason` for `kind` on `range`, asked with `only: [kind]` (see ReasonSource). */
    async disabledReason(document: vscode.TextDocument, range: vscode.Range, kind: string): Promise<string | undefined> {
        const client = this.client;
        if (!client || !client.isRunning()) {
            return undefined;
        }
        const result = await client.sendRequest(CodeActionRequest.type, {
            textDocument: client.code2ProtocolConverter.asTextDocumentIdentifier(document),
            range: client.code2ProtocolConverter.asRange(range),
            context: { diagnostics: [], only: [kind], triggerKind: CodeActionTriggerKind.Invoked },
        });
        for (const item of result ?? []) {
            const action = item as LspCodeAction;
            if (action.kind === kind && action.disabled) {
                return action.disabled.reason;
            }
        }
        return undefined;
    }

    async stop(): Promise<void> {
        await this.queue.catch(() => undefined);
        await this.stopClient();
    }

    dispose(): void {
        this.disposed = true;
        void this.stopClient();
    }
}

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
    const timer = new StartupTimer(log, 'activation');
    const status = new StatusItem();
    manager = new ServerManager(context, log, status);
    const mgr = manager;
    context.subscriptions.push(log, status, mgr);

    context.subscriptions.push(
        vscode.commands.registerCommand('dockerfileRefactor.restartServer', () => mgr.restart('restart command')),
        vscode.commands.registerCommand('dockerfileRefactor.showOutput', () => log.show()),
        ...REFACTORINGS.map((r) =>
            vscode.commands.registerCommand(r.command, async () => {
                try {
                    await runRefactoring(r, log, (doc, range, kind) => mgr.disabledReason(doc, range, kind));
                } catch (err) {
                    log.error(`${r.title}: ${String(err)}`);
                    void vscode.window.showErrorMessage(`${r.title}: ${String(err)}`);
                }
            }),
        ),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) {
                void mgr.restart('server settings changed');
            }
        }),
        vscode.workspace.onDidGrantWorkspaceTrust(() => void mgr.restart('workspace trusted')),
    );

    await mgr.restart('activation', timer);

    // Follow the Python extension's interpreter when the server came from it (or could now).
    context.subscriptions.push(
        await onDidChangePythonInterpreter(() => {
            const source = mgr.currentLaunch?.source;
            if (source === undefined || source === 'python-extension' || source === 'bundled') {
                void mgr.restart('Python interpreter changed');
            }
        }),
    );
}

export async function deactivate(): Promise<void> {
    await manager?.stop();
    manager = undefined;
}
