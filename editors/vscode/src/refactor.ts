import * as vscode from 'vscode';

export interface RefactorCommand {
    command: string;
    kind: string;
    title: string;
}

/** The three refactorings, by the code action kind the server gives them. */
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
export async function runRefactoring(refactoring: RefactorCommand, log: vscode.LogOutputChannel): Promise<void> {
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
        // The whole-file request's reason wins: the selection's may only say "not here".
        reason = matching.find((a) => a.disabled)?.disabled?.reason ?? reason;
        if (action) {
            log.info(`Applying "${action.title}" (${action.kind?.value ?? refactoring.kind}).`);
            await applyCodeAction(action);
            return;
        }
    }
    if (reason) {
        log.info(`${refactoring.kind} does not apply to ${document.uri.toString()}: ${reason}`);
        void vscode.window.showInformationMessage(`"${refactoring.title}" does not apply: ${reason}.`);
        return;
    }
    log.info(`No ${refactoring.kind} action offered for ${document.uri.toString()}.`);
    await vscode.commands.executeCommand('editor.action.codeAction', { kind: refactoring.kind, apply: 'first' });
}
