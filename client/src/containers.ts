// The workspace's containers as the server knows them (`hwc/containers`), and a
// QuickPick over them for commands run from the palette.
import * as vscode from 'vscode';
import { type ContainerInfo, ContainersRequest, type ContainersResult } from '../../server/src/protocol';
import type { LanguageServer } from './languageServer';

export async function requestContainers(server: LanguageServer): Promise<ContainerInfo[]> {
  if (!server.isRunning) return [];
  const result = await server.client.sendRequest<ContainersResult | null>(ContainersRequest, {});
  return result?.containers ?? [];
}

/** A short line about a container: `image · ports · domain`. */
export function describeContainer(container: ContainerInfo): string {
  const ports = container.ports.length > 0 ? container.ports.join(', ') : null;
  return [container.image ?? 'image unknown', ports, container.domain].filter((part) => part !== null).join(' · ');
}

/** Lets the user pick a container; `allLabel` adds a first entry that resolves to null. */
export async function pickContainer(server: LanguageServer, placeHolder: string, allLabel?: string): Promise<ContainerInfo | null | undefined> {
  if (!server.isRunning) {
    void vscode.window.showWarningMessage('HWC: the language server is not running, so the containers of this workspace are unknown.');
    return undefined;
  }
  const containers = await requestContainers(server);
  type Item = vscode.QuickPickItem & { container: ContainerInfo | null };
  const items: Item[] = containers
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((container) => ({ label: container.name, description: describeContainer(container), detail: container.file, container }));
  if (allLabel) items.unshift({ label: allLabel, container: null });
  if (items.length === 0) {
    void vscode.window.showInformationMessage('HWC: no containers found in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  return picked?.container;
}
