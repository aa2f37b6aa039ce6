// HWC: Import Docker Compose File…: a file picker, a tag for every image that has none (or
// `latest`), then the server's plan as one WorkspaceEdit that VS Code shows in its
// refactoring preview (every change needs confirmation) and applies as one undoable step.
// The server reads the compose file itself, so its secret values never cross the connection.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, ResponseError } from 'vscode-languageclient/node';
import { ServerCommands, type ImportComposeRequest, type ImportComposeResult } from '../../server/src/protocol';
import type { LanguageServer } from './languageServer';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export function registerImportCompose(server: LanguageServer, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('hwc.importCompose', (file?: vscode.Uri) => importCompose(server, output, file));
}

async function askPins(images: Array<{ service: string; image: string }>, pins: Record<string, string>): Promise<boolean> {
  for (const { service, image } of images) {
    const tag = await vscode.window.showInputBox({
      title: `HWC: Import Docker Compose File — pin ${service}`,
      prompt: `${image} has no tag or \`latest\`, which changes under you on every pull. Which tag?`,
      placeHolder: 'e.g. 1.23.16',
      ignoreFocusOut: true,
      validateInput: (value) => (TAG.test(value.trim()) ? undefined : 'a tag: letters, digits, `.`, `_` and `-`'),
    });
    if (tag === undefined) return false;
    pins[service] = tag.trim();
  }
  return true;
}

/** Secret files outside the compose file's folder are read only when the user says so here (the CLI's --allow-read). */
async function askToRead(files: Array<{ secret: string; path: string; linkTo?: string }>): Promise<boolean> {
  const list = files.map((f) => `${f.secret}: ${f.path}${f.linkTo ? ` (a link to ${f.linkTo})` : ''}`).join('\n');
  const choice = await vscode.window.showWarningMessage(
    'HWC: the compose file reads secrets from outside its folder. Read these files and encrypt their contents into the repository?',
    { modal: true, detail: list },
    'Read Them',
  );
  return choice === 'Read Them';
}

async function importCompose(server: LanguageServer, output: vscode.OutputChannel, given?: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('HWC: importing a compose file writes files into the workspace, so it runs only in a trusted workspace.');
    return;
  }
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running; start it (HWC: Restart Server) first.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('HWC: open the flake folder first; the import writes into it.');
    return;
  }
  const file =
    given ??
    (await vscode.window.showOpenDialog({ title: 'HWC: Import Docker Compose File', canSelectMany: false, filters: { 'Compose files': ['yml', 'yaml'] }, openLabel: 'Import' }))?.[0];
  if (!file) return;

  const { client } = server;
  const target = { folder: client.code2ProtocolConverter.asUri(folder.uri) };
  const request: ImportComposeRequest = { file: client.code2ProtocolConverter.asUri(file), pins: {} };
  let result: ImportComposeResult;
  try {
    for (;;) {
      result = (await client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.importCompose, arguments: [request, target] })) as ImportComposeResult;
      if (result.status === 'planned') break;
      if (result.status === 'needs-consent') {
        if (!(await askToRead(result.files))) return;
        request.allowRead = [...(request.allowRead ?? []), ...result.files.map((f) => client.code2ProtocolConverter.asUri(vscode.Uri.file(f.path)))];
        continue;
      }
      if (!(await askPins(result.images, request.pins!))) return;
    }
  } catch (error) {
    const reason = error instanceof ResponseError || error instanceof Error ? error.message : String(error);
    output.appendLine(`HWC: Import Docker Compose File failed: ${reason}`);
    void vscode.window.showErrorMessage(`HWC: Import Docker Compose File: ${reason.split('\n').join(' · ')}`);
    return;
  }

  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  // Every change needs confirmation, so VS Code shows them all in its refactoring preview, unticked:
  // the user ticks what to apply. Applying none (Discard, or Apply with nothing ticked) changes nothing.
  const applied = !!edit && (await vscode.workspace.applyEdit(edit, { isRefactoring: true }));
  const entry = result.entry ? client.protocol2CodeConverter.asUri(result.entry) : undefined;
  const exists = async (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);
  if (!applied || (entry && !(await exists(entry)))) {
    void vscode.window.showInformationMessage('HWC: the import was not applied; nothing was changed.');
    return;
  }
  output.appendLine(`HWC: imported ${vscode.workspace.asRelativePath(file)}:`);
  for (const service of result.services) {
    output.appendLine(`  ${service.service} → ${service.name} (${service.image})`);
    for (const note of service.notes) output.appendLine(`    ${note}`);
  }
  if (result.skipped.length) output.appendLine(`Skipped:\n${result.skipped.map((s) => `  ${s}`).join('\n')}`);
  if (result.untranslated.length) output.appendLine(`Not translated (review by hand):\n${result.untranslated.map((u) => `  ${u}`).join('\n')}`);
  for (const note of result.notes) output.appendLine(note);
  if (entry) await vscode.window.showTextDocument(entry, { preview: false });
  const choice = await vscode.window.showInformationMessage(
    `HWC: imported ${result.services.length} service${result.services.length === 1 ? '' : 's'}${result.untranslated.length ? `; ${result.untranslated.length} setting(s) need review` : ''}.`,
    'Show details',
  );
  if (choice === 'Show details') output.show(true);
}
