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
    vscode.commands.registerCommand('hwc.fixAll', () => fixAll(server, output)),
  ];
}

async function fixAll(server: LanguageServer, output: vscode.OutputChannel): Promise<void> {
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
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: ServerCommands.fixAll,
    arguments: [{ uri: client.code2ProtocolConverter.asUri(document.uri), version, report: true }],
  })) as FixAllReport | null | undefined;
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result?.edit ?? null);
  const file = vscode.workspace.asRelativePath(document.uri);
  if (!edit || !result || result.applied.length === 0) {
    void vscode.window.showInformationMessage(`HWC: no auto-fixable problems in ${file}.`);
    return;
  }
  if (document.version !== version || !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage('HWC: the file changed while the fixes were computed; run "Fix all auto-fixable problems" again.');
    return;
  }
  // Say what was applied: a status bar line, and one output line per fix.
  const n = result.applied.length;
  for (const f of result.applied) output.appendLine(`Fix all: ${f.file}:${f.line}: ${f.title} [${f.rule}]${f.safety === 'unsafe' ? ' (changes behaviour: hwc.fixAll.includeUnsafe)' : ''}`);
  vscode.window.setStatusBarMessage(`$(check) HWC: applied ${n} fix${n === 1 ? '' : 'es'} in ${file} (details in the HWC output)`, 8000);
}

interface FixAllReport {
  edit: WorkspaceEdit;
  applied: Array<{ file: string; line: number; rule: string; title: string; safety: string }>;
}
