import * as vscode from 'vscode';

/**
 * Asks the language server itself why `kind` does not apply to `range` of `document` (the
 * `disabled.reason` of its code action), or undefined when it gives none or is not running.
 * This cannot go through `vscode.executeCodeActionProvider`: VS Code's API converter copies only
 * title, kind, edit, command and isPreferred of each action, so `disabled` never reaches an extension
 * that way (extHostApiCommands.ts, checked against code-server 4.100.3 / VS Code 1.100).
 */
export type ReasonSource = (document: vscode.TextDocument, range: vscode.Range, kind: string) => Promise<string | undefined>;

export interface RefactorCommand {
    command: string;
    kind: string;
    title: string;
}

/**
 * The refactorings the server offers, by their code action kind; package.json contributes a command
 * (palette and the editor's "Dockerfile Refactor" submenu) for each, in this order.
 */
export const REFACTORINGS: RefactorCommand[] = [
    {
        command: 'dockerfileRefactor.splitStages',
        kind: 'refactor.rewrite.splitStages',
        title: 'Split into builder/runtime stages',
    },
    {
        command: 'dockerfileRefactor.cacheDependencies',
        kind: 'refactor.rewrite.cacheDependencies',
        title: 'Move dependency manifests (package.json, go.mod…) before source',
    },
    {
        command: 'dockerfileRefactor.nonRootUser',
        kind: 'refactor.rewrite.nonRootUser',
        title: 'Add non-root user',
    },
    {
        command: 'dockerfileRefactor.versionArg',
        kind: 'refactor.extract.versionArg',
        title: 'Extract the base image version into an ARG',
    },
    {
        command: 'dockerfileRefactor.pinBaseImage',
        kind: 'refactor.rewrite.pinBaseImage',
        title: 'Pin the base image to its current stable tag',
    },
    {
        command: 'dockerfileRefactor.cacheMounts',
        kind: 'refactor.rewrite.cacheMounts',
        title: 'Use BuildKit cache mounts',
    },
    {
        command: 'dockerfileRefactor.addDockerignore',
        kind: 'refactor.rewrite.addDockerignore',
        title: 'Create .dockerignore',
    },
    {
        command: 'dockerfileRefactor.testStage',
        kind: 'refactor.extract.testStage',
        title: 'Add a test stage (docker build --target test)',
    },
    {
        command: 'dockerfileRefactor.debugStage',
        kind: 'refactor.extract.debugStage',
        title: 'Add a debug stage with a shell (docker build --target debug)',
    },
    {
        command: 'dockerfileRefactor.nameStages',
        kind: 'refactor.rewrite.nameStages',
        title: 'Name the stages (builder, runtime…)',
    },
    {
        command: 'dockerfileRefactor.crossPlatformBuilder',
        kind: 'refactor.rewrite.crossPlatformBuilder',
        title: 'Build on $BUILDPLATFORM and cross-compile to the target platform',
    },
];

function isCodeAction(item: vscode.CodeAction | vscode.Command): item is vscode.CodeAction {
    return !(typeof (item as vscode.Command).command === 'string');
}

async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
    if (action.edit) {
        const ok = await vscode.workspace.applyEdit(action.edit);
        if (!ok) {
            throw new Error(`VS Code refused the edit of "${action.title}".`);
        }
    }
    if (action.command) {
        await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
}

/**
 * Run the first code action of `kind`: first for the selection, then for the whole file (the
 * refactorings are about the whole Dockerfile, so the cursor position should not matter). When the
 * server returns the action disabled, show its reason (why the refactoring does not apply here).
 * When it offers none, fall back on VS Code's own `editor.action.codeAction`, which tells the user
 * that no such action is available.
 */
export async function runRefactoring(
    refactoring: RefactorCommand,
    log: vscode.LogOutputChannel,
    askReason: ReasonSource,
): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'dockerfile') {
        void vscode.window.showInformationMessage(`Open a Dockerfile to run "${refactoring.title}".`);
        return;
    }
    const document = editor.document;
    const wanted = vscode.CodeActionKind.Empty.append(refactoring.kind);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    let reason: string | undefined;
    for (const range of [editor.selection, whole]) {
        const actions =
            (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
                'vscode.executeCodeActionProvider',
                document.uri,
                range,
                refactoring.kind,
                10,
            )) ?? [];
        const matching = actions.filter(
            (a): a is vscode.CodeAction => isCodeAction(a) && a.kind !== undefined && wanted.contains(a.kind),
        );
        const action = matching.find((a) => !a.disabled);
        if (action) {
            log.info(`Applying "${action.title}" (${action.kind?.value ?? refactoring.kind}).`);
            await applyCodeAction(action);
            return;
        }
    }
    // Nothing to apply: the whole-file reason (the selection's may only say "not here").
    try {
        reason = await askReason(document, whole, refactoring.kind);
    } catch (err) {
        log.warn(`Could not ask the server why ${refactoring.kind} does not apply: ${String(err)}`);
    }
    if (reason) {
        log.info(`${refactoring.kind} does not apply to ${document.uri.toString()}: ${reason}`);
        void vscode.window.showInformationMessage(`"${refactoring.title}" does not apply: ${reason}.`);
        return;
    }
    log.info(`No ${refactoring.kind} action offered for ${document.uri.toString()}.`);
    await vscode.commands.executeCommand('editor.action.codeAction', { kind: refactoring.kind, apply: 'first' });
}
