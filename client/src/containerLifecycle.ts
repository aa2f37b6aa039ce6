// Remove container… and Move state to another category… in the containers view (the latter
// also from the Move state… code action on a state path): each asks
// the server for the plan (`hwc remove`, `hwc move`), asks the user what needs a decision —
// containers that depend on it, each secret, the category, then the whole change — and
// applies it as one undoable edit.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type WorkspaceEdit } from 'vscode-languageclient/node';
import { ServerCommands, type MoveStateParams, type MoveStatePrompt, type MoveStateResult, type RemoveContainerParams, type RemoveContainerResult } from '../../server/src/protocol';
import { categoryItems, type CategoryItem, type CategoryOffer } from './stateCategory';
import { containerOf } from './containersView';
import type { LanguageServer } from './languageServer';

export function registerContainerLifecycle(server: LanguageServer): vscode.Disposable[] {
  return [vscode.commands.registerCommand('hwc.removeContainer', (node: unknown) => removeContainer(server, node)), vscode.commands.registerCommand('hwc.moveState', (node: unknown) => moveState(server, node))];
}

/** The container to move: a containers-view node, or the Move state… code action's prompt. */
function moveTarget(argument: unknown): { name: string; uri: string } | undefined {
  const container = containerOf(argument);
  if (container) return { name: container.name, uri: container.uri };
  const prompt = argument as Partial<MoveStatePrompt> | undefined;
  return typeof prompt?.name === 'string' && typeof prompt.uri === 'string' ? { name: prompt.name, uri: prompt.uri } : undefined;
}

/** The quick pick of categories with free entry, validated while typing; undefined when dismissed. */
function pickCategory(offer: CategoryOffer): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & CategoryItem>();
  pick.title = `Move ${offer.name}'s state to another category`;
  pick.placeholder = offer.current ? `Now in ${offer.stateRoot}/${offer.current}: pick or type a category` : 'Pick or type a category';
  pick.ignoreFocusOut = true;
  const show = () => {
    pick.items = categoryItems(offer, pick.value).map((item) => ({ ...item, alwaysShow: item.typed, description: item.problem ? `$(warning) ${item.problem}` : item.description }));
  };
  show();
  return new Promise((resolve) => {
    pick.onDidChangeValue(show);
    pick.onDidAccept(() => {
      const [chosen] = pick.selectedItems;
      if (!chosen) return;
      // A typed category that cannot be taken keeps the pick open with its reason in view.
      if (chosen.problem) {
        pick.placeholder = chosen.problem;
        return;
      }
      resolve(chosen.label);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

async function moveState(server: LanguageServer, argument: unknown): Promise<void> {
  const container = moveTarget(argument);
  if (!container) return;
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running.');
    return;
  }
  const ask = (category?: string) =>
    server.client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.moveState, arguments: [{ name: container.name, uri: container.uri, category } satisfies MoveStateParams] }) as Promise<MoveStateResult>;
  const offer = await ask();
  if (!('categories' in offer)) return;
  const category = await pickCategory({ categories: offer.categories, current: offer.current, stateRoot: offer.stateRoot ?? '/opt', name: container.name });
  if (category === undefined) return;
  const result = await ask(category);
  if ('refused' in result) {
    void vscode.window.showErrorMessage(`HWC: ${result.refused}`);
    return;
  }
  if (!('edit' in result)) return;
  const edit = await server.client.protocol2CodeConverter.asWorkspaceEdit(result.edit as WorkspaceEdit);
  if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: true }))) {
    void vscode.window.showWarningMessage(`HWC: a file changed meanwhile; ${container.name}'s state was not moved. Try again.`);
    return;
  }
  // The host still has the data at the old path: say so where it cannot be missed (the command is shown, never run).
  for (const note of result.notes) void vscode.window.showWarningMessage(`HWC: ${note}`);
}

async function removeContainer(server: LanguageServer, node: unknown): Promise<void> {
  const container = containerOf(node);
  if (!container) return;
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running.');
    return;
  }
  const ask = (params: Omit<RemoveContainerParams, 'name' | 'uri'>) =>
    server.client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.removeContainer, arguments: [{ name: container.name, uri: container.uri, ...params }] }) as Promise<RemoveContainerResult>;
  let options: { force: boolean; keepSecret: boolean } = { force: false, keepSecret: false };
  let result = await ask(options);
  if ('refused' in result) {
    if (result.dependents.length === 0) {
      void vscode.window.showErrorMessage(`HWC: ${result.refused}`);
      return;
    }
    const anyway = 'Remove and drop their dependsOn entries';
    const choice = await vscode.window.showWarningMessage(`${container.name} is still in the dependsOn of ${result.dependents.join(', ')}.`, { modal: true }, anyway);
    if (choice !== anyway) return;
    options = { ...options, force: true };
    result = await ask(options);
    if ('refused' in result) {
      void vscode.window.showErrorMessage(`HWC: ${result.refused}`);
      return;
    }
  }
  for (const secret of result.secrets) {
    const remove = 'Delete the secret';
    const keep = 'Keep it';
    const choice = await vscode.window.showWarningMessage(`Also delete the secret ${secret} (its declaration, agenix rule and encrypted .age file)?`, { modal: true }, remove, keep);
    if (choice === undefined) return;
    if (choice === keep) options = { ...options, keepSecret: true };
  }
  if (options.keepSecret) {
    result = await ask(options);
    if ('refused' in result) {
      void vscode.window.showErrorMessage(`HWC: ${result.refused}`);
      return;
    }
  }
  const summary = [`Deletes ${result.deletes.length} file${result.deletes.length === 1 ? '' : 's'} and edits ${result.edits.length}: one edit, undoable.`, ...result.notes];
  if (result.unresolved.length > 0) summary.push(`Left as they are (check them): ${result.unresolved.join('; ')}`);
  const confirm = `Remove ${container.name}`;
  if ((await vscode.window.showWarningMessage(`Remove the container ${container.name}?`, { modal: true, detail: summary.join('\n') }, confirm)) !== confirm) return;
  const edit = await server.client.protocol2CodeConverter.asWorkspaceEdit(result.edit as WorkspaceEdit);
  if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: true }))) void vscode.window.showWarningMessage(`HWC: a file changed meanwhile; ${container.name} was not removed. Try again.`);
}
