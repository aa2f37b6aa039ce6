// "Pin image tag…": the quick fix on image-latest-tag runs this command with the image and
// the tag other containers of the workspace pin it to. It asks for the tag (or a digest),
// then asks the server for the edit (hwc.server.pinImageTag) and applies it; the server
// checks the input again and refuses an image that changed meanwhile.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type WorkspaceEdit } from 'vscode-languageclient/node';
import { ClientCommands, ServerCommands, type PinImageTagPrompt } from '../../server/src/protocol';
import type { LanguageServer } from './languageServer';

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Immediate feedback in the input box (the server has the last word). */
export function validatePin(input: string): string | undefined {
  const text = input.trim().replace(/^@/, '');
  if (text === '') return 'Enter a tag (e.g. 1.2.3) or a digest (sha256:…)';
  const [tag, digest] = text.includes('@') ? text.split('@', 2) : DIGEST.test(text) ? ['', text] : [text, ''];
  if (tag === 'latest') return '`latest` is what this fix replaces: enter a version';
  if (tag !== '' && !TAG.test(tag)) return 'A tag is letters, digits, `_`, `.` and `-` (at most 128)';
  if (digest !== '' && !DIGEST.test(digest)) return 'A digest is algorithm:hex, e.g. sha256:…';
  return undefined;
}

export function registerPinImageTag(server: LanguageServer): vscode.Disposable {
  return vscode.commands.registerCommand('hwc.pinImageTag' satisfies typeof ClientCommands.pinImageTag, async (prompt: PinImageTagPrompt) => {
    if (!server.isRunning) {
      void vscode.window.showWarningMessage('HWC: the language server is not running.');
      return;
    }
    const input = await vscode.window.showInputBox({
      title: `Pin ${prompt.image}`,
      prompt: prompt.suggestion ? `Tag or digest (pre-filled with the one other containers use)` : 'Tag (e.g. 1.2.3) or digest (sha256:…)',
      value: prompt.suggestion ?? '',
      placeHolder: '1.2.3 or sha256:…',
      ignoreFocusOut: true,
      validateInput: validatePin,
    });
    if (input === undefined) return;
    const { client } = server;
    try {
      const result = await client.sendRequest(ExecuteCommandRequest.type, {
        command: ServerCommands.pinImageTag,
        arguments: [{ uri: prompt.uri, diagnosticRange: prompt.diagnosticRange, tag: input.trim() }],
      });
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result as WorkspaceEdit | null | undefined);
      if (!edit || !(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showWarningMessage('HWC: the file changed while you typed; run "Pin image tag…" again.');
      }
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  });
}
