// Commands about the language server itself: restart it, show its output, and apply
// every safe fix the server knows for the active file.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type WorkspaceEdit } from 'vscode-languageclient/node';
import { ServerCommands } from '../../server/src/protocol';
import type { LanguageServer } from './languageServer';

export function registerServerCommands(server: LanguageServer, output: vscode.OutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hwc.restartServer', () => server.restart()),
    vscode.commands.registerCommand('hwc.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('hwc.fixAll', () => fixAll(server)),
  ];
}

async function fixAll(server: LanguageServer): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId !== 'nix') {
    void vscode.window.showInformationMessage('HWC: open a Nix file to fix its problems.');
    return;
  }
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running, so there is nothing to fix with.');
    return;
  }
  const { client } = server;
  const version = document.version;
  const result = await client.sendRequest(ExecuteCommandRequest.type, {
    command: ServerCommands.fixAll,
    arguments: [{ uri: client.code2ProtocolConverter.asUri(document.uri), version }],
  });
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result as WorkspaceEdit | null | undefined);
  const fixes = edit?.entries().reduce((count, [, edits]) => count + edits.length, 0) ?? 0;
  if (!edit || fixes === 0) {
    void vscode.window.showInformationMessage(`HWC: no auto-fixable problems in ${vscode.workspace.asRelativePath(document.uri)}.`);
    return;
  }
  if (document.version !== version || !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage('HWC: the file changed while the fixes were computed; run "Fix all auto-fixable problems" again.');
  }
}
