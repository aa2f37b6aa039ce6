// HWC: New Container: asks the server what the workspace holds, runs the wizard, encrypts
// the secret values here in memory (so plaintext never crosses the LSP connection, whose
// traces can be logged to disk), lets the server generate the module, applies the
// returned WorkspaceEdit in one undoable step (saved as a refactoring) and opens index.nix.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, ResponseError, type WorkspaceEdit } from 'vscode-languageclient/node';
import { ServerCommands } from '../../../server/src/protocol';
import { encryptArmored, envFileText } from '../../../server/src/scaffold/encrypt';
import type { LanguageServer } from '../languageServer';
import { buildSpec, type WizardContext } from './validation';
import { runWizard } from './wizard';

interface GenerateResult {
  edit: WorkspaceEdit;
  files: string[];
  notes: string[];
  entry: string;
}

export function registerNewContainer(server: LanguageServer, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('hwc.newContainer', () => newContainer(server, output));
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'HWC: New Container — in which workspace folder?' });
}

async function newContainer(server: LanguageServer, output: vscode.OutputChannel): Promise<void> {
  // It writes files (and edits the profile and secrets) from what the repository holds.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('HWC: New Container writes files into the workspace, so it runs only in a trusted workspace. Trust this folder first (Workspaces: Manage Workspace Trust).');
    return;
  }
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running; start it (HWC: Restart Server) to create a container.');
    return;
  }
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('HWC: open the flake folder first; New Container writes into it.');
    return;
  }
  const { client } = server;
  const target = { folder: client.code2ProtocolConverter.asUri(folder.uri) };
  const execute = <T>(command: string, args: unknown[]) => client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }) as Promise<T>;

  let result: GenerateResult;
  let name: string;
  try {
    const ctx = await execute<WizardContext>(ServerCommands.newContainerContext, [target]);
    const wizard = await runWizard(ctx);
    if (!wizard) return;
    name = wizard.answers.name;
    const encrypted = wizard.values && ctx.recipients.length > 0 ? await encryptArmored(envFileText(wizard.answers.secrets, wizard.values), ctx.recipients) : undefined;
    // VS Code applies folder creates, so the edit makes the folders too and one undo removes everything.
    result = await execute<GenerateResult>(ServerCommands.generateContainer, [buildSpec(wizard.answers, encrypted), { ...target, createFolders: true }]);
  } catch (error) {
    const reason = error instanceof ResponseError || error instanceof Error ? error.message : String(error);
    output.appendLine(`HWC: New Container failed: ${reason}`);
    void vscode.window.showErrorMessage(`HWC: New Container: ${reason.split('\n').join(' · ')}`);
    return;
  }

  // The server computed edits against these document versions; a change since then voids them.
  for (const change of result.edit.documentChanges ?? []) {
    if (!('textDocument' in change) || change.textDocument.version === null) continue;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === client.protocol2CodeConverter.asUri(change.textDocument.uri).toString());
    if (open && open.version !== change.textDocument.version) {
      void vscode.window.showWarningMessage(`HWC: ${vscode.workspace.asRelativePath(open.uri)} changed while ${name} was generated; run New Container again.`);
      return;
    }
  }
  const touched = result.files.map((uri) => client.protocol2CodeConverter.asUri(uri));
  const dirtyBefore = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  // As a refactoring, VS Code saves the files itself (the user's files.refactoring.autoSave,
  // on by default) without opening an editor for each; TextDocument.save() would open one.
  if (!edit || !(await vscode.workspace.applyEdit(edit, { isRefactoring: true }))) {
    void vscode.window.showErrorMessage(`HWC: New Container: the edit for ${name} could not be applied (a file it creates may exist now); nothing was changed.`);
    return;
  }
  // With that setting off: save what the edit made dirty, never a document that had unsaved work of its own.
  for (const uri of touched) {
    if (dirtyBefore.has(uri.toString())) continue;
    if (vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.isDirty) await vscode.workspace.save(uri);
  }
  await vscode.window.showTextDocument(client.protocol2CodeConverter.asUri(result.entry));

  output.appendLine(`HWC: New Container ${name}:`);
  for (const uri of touched) output.appendLine(`  ${vscode.workspace.asRelativePath(uri)}`);
  for (const note of result.notes) output.appendLine(note);
  const pending = result.notes.find((n) => n.includes('was not created'));
  const choice = await (pending ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
    pending ? `HWC: ${name} created; its secret file still has to be made: see the output for the age command.` : `HWC: ${name} created (${touched.length} files). Next: dry-build, then switch.`,
    'Show details',
  );
  if (choice === 'Show details') output.show(true);
}
