// HWC: Configure for This Repository: asks the server which conventions the repository
// follows (the `.hwc-lint.json` that `hwc init` would write), shows the change as a diff
// and writes the file only when the user confirms, in a trusted workspace only. The write
// is one WorkspaceEdit (undoable), refused when the file changed since the proposal.
import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { ServerCommands, type ConfigProposal } from '../../server/src/protocol';
import type { LanguageServer } from './languageServer';

const SCHEME = 'hwc-config-proposal';

/** Read-only documents for the two sides of the diff. */
class ProposalDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private generation = 0;

  show(before: string, after: string): { left: vscode.Uri; right: vscode.Uri } {
    const id = ++this.generation;
    const left = vscode.Uri.from({ scheme: SCHEME, path: `/current/.hwc-lint.json`, query: String(id) });
    const right = vscode.Uri.from({ scheme: SCHEME, path: `/proposed/.hwc-lint.json`, query: String(id) });
    this.texts.clear();
    this.texts.set(left.toString(), before);
    this.texts.set(right.toString(), after);
    return { left, right };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

export function registerConfigureRepository(server: LanguageServer): vscode.Disposable[] {
  const documents = new ProposalDocuments();
  return [
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
    vscode.commands.registerCommand('hwc.configureRepository', () => configure(server, documents)),
  ];
}

async function configure(server: LanguageServer, documents: ProposalDocuments): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showWarningMessage('HWC: Configure for This Repository writes .hwc-lint.json, so it only runs in a trusted workspace.', manage);
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running.');
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which repository should be configured?' });
  if (!folder) return;
  const { client } = server;
  const proposal = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: ServerCommands.proposeConfig,
    arguments: [{ folder: client.code2ProtocolConverter.asUri(folder.uri) }],
  })) as ConfigProposal;
  if (proposal.problems.length > 0) {
    void vscode.window.showWarningMessage(`HWC: .hwc-lint.json has problems (${proposal.problems[0]}); fix them first, then configure again.`);
    return;
  }
  if (proposal.added.length === 0) {
    void vscode.window.showInformationMessage('HWC: .hwc-lint.json already sets every convention discovered in this repository.');
    return;
  }
  const { left, right } = documents.show(proposal.before ?? '', proposal.after);
  await vscode.commands.executeCommand('vscode.diff', left, right, `HWC: .hwc-lint.json${proposal.before === null ? ' (new)' : ''} ↔ discovered conventions`, { preview: true });
  const write = proposal.before === null ? 'Create .hwc-lint.json' : 'Update .hwc-lint.json';
  const detail = proposal.added.map((a) => `${a.key}: ${a.reason}`).join('\n');
  const choice = await vscode.window.showInformationMessage(`HWC: ${proposal.added.length} setting(s) discovered in this repository. Write them?`, { modal: true, detail }, write);
  if (choice !== write) return;

  const target = client.protocol2CodeConverter.asUri(proposal.uri);
  const current = await readCurrent(target);
  if (current !== proposal.before) {
    void vscode.window.showWarningMessage('HWC: .hwc-lint.json changed while the proposal was shown; nothing was written. Run Configure for This Repository again.');
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  if (current === null) edit.createFile(target, { contents: new TextEncoder().encode(proposal.after) });
  else {
    const document = await vscode.workspace.openTextDocument(target);
    edit.replace(target, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), proposal.after);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage('HWC: .hwc-lint.json could not be written.');
    return;
  }
  await vscode.workspace.save(target);
  await vscode.window.showTextDocument(target);
}

/** The file as the editor has it (an open, unsaved document counts), or null when it does not exist. */
async function readCurrent(uri: vscode.Uri): Promise<string | null> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return null;
  }
}
