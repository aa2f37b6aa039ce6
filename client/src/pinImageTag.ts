// "Pin image tag…": the quick fix on image-latest-tag runs this command with the image and
// the tag other containers of the workspace pin it to. With registry lookups on, it offers
// the image's real tags (newest stable first, which version `latest` is today, and pinning
// by digest); otherwise, or on "Type a tag…", it asks for the tag. Then it asks the server
// for the edit (hwc.server.pinImageTag) and applies it; the server checks the input again
// and refuses an image that changed meanwhile. The first time, it asks whether to turn
// lookups on: each one tells the registry which images you use.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type WorkspaceEdit } from 'vscode-languageclient/node';
import { ClientCommands, type ImageTagsResult, ServerCommands, type PinImageTagPrompt } from '../../server/src/protocol';
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
    const picked = await pickFromRegistry(server, prompt);
    if (picked === null) return;
    const input = picked ?? (await vscode.window.showInputBox({
      title: `Pin ${prompt.image}`,
      prompt: prompt.suggestion ? `Tag or digest (pre-filled with the one other containers use)` : 'Tag (e.g. 1.2.3) or digest (sha256:…)',
      value: prompt.suggestion ?? '',
      placeHolder: '1.2.3 or sha256:…',
      ignoreFocusOut: true,
      validateInput: validatePin,
    }));
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

const TYPE_A_TAG = '$(edit) Type a tag or digest…';
const ASKED_KEY = 'hwc.registry.askedOnce';

async function imageTags(server: LanguageServer, prompt: PinImageTagPrompt, digestOf?: string): Promise<ImageTagsResult> {
  const result = await server.client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.imageTags, arguments: [{ image: prompt.image, uri: prompt.uri, digestOf }] });
  return result as ImageTagsResult;
}

/**
 * The tag (or `tag@digest`) picked from the registry's list; undefined to type one instead;
 * null when the user cancelled.
 */
async function pickFromRegistry(server: LanguageServer, prompt: PinImageTagPrompt): Promise<string | undefined | null> {
  if (!vscode.workspace.isTrusted) return undefined;
  const settings = vscode.workspace.getConfiguration('hwc');
  if (settings.get<string>('registry.lookups', 'off') !== 'on') {
    const state = registryPromptState;
    if (!state || state.get<boolean>(ASKED_KEY)) return undefined;
    await state.update(ASKED_KEY, true);
    const enable = 'Look up tags';
    const choice = await vscode.window.showInformationMessage(
      `Look up the tags of ${prompt.image} on its registry?`,
      { modal: true, detail: 'HWC then lists real tags here and shows the newest stable one in hovers, in trusted workspaces. Each lookup tells the registry which images you use. The setting hwc.registry.lookups turns it off again.' },
      enable,
      'Type a tag',
    );
    if (choice === undefined) return null;
    if (choice !== enable) return undefined;
    await settings.update('registry.lookups', 'on', vscode.ConfigurationTarget.Global);
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `HWC: asking the registry for the tags of ${prompt.image}…` }, () => imageTags(server, prompt));
  if (!result.enabled) return undefined;
  if (result.error || result.tags.length === 0) {
    void vscode.window.showWarningMessage(`HWC: ${result.error ?? `the registry lists no tags for ${prompt.image}`}; type the tag instead.`);
    return undefined;
  }
  type Item = vscode.QuickPickItem & { tag?: string };
  const items: Item[] = [];
  let section = '';
  for (const { tag, kind } of result.tags) {
    const heading = kind === 'stable' ? 'Stable versions' : kind === 'prerelease' ? 'Pre-releases' : 'Other tags';
    if (heading !== section) {
      items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
      section = heading;
    }
    items.push({ label: tag, tag, description: tag === result.latestIs ? 'what latest is today' : tag === prompt.suggestion ? 'used by other containers' : undefined });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: TYPE_A_TAG });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Pin ${prompt.image}${result.latestIs ? ` (latest = ${result.latestIs})` : ''}`,
    placeHolder: 'Newest stable first; type to filter',
    ignoreFocusOut: true,
  });
  if (!picked) return null;
  if (!picked.tag) return undefined;
  const byDigest = await vscode.window.showQuickPick([{ label: `Pin ${picked.tag}`, digest: false }, { label: `Pin ${picked.tag} by digest`, description: 'name:tag@sha256:… — the exact bytes', digest: true }], { title: `Pin ${prompt.image}` });
  if (!byDigest) return null;
  if (!byDigest.digest) return picked.tag;
  const withDigest = await imageTags(server, prompt, picked.tag);
  if (!withDigest.digest) {
    void vscode.window.showWarningMessage(`HWC: ${withDigest.error ?? 'the registry sent no digest'}; pinning the tag only.`);
    return picked.tag;
  }
  return `${picked.tag}@${withDigest.digest}`;
}

let registryPromptState: vscode.Memento | undefined;

/** Where "asked once whether to look up tags" is remembered (the extension's global state). */
export function setRegistryPromptState(state: vscode.Memento): void {
  registryPromptState = state;
}
