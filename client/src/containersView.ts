// The HWC Containers view in the Explorer: containers grouped by state category, each
// opening its definition on click, with logs/status/route/module-folder actions.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../server/src/protocol';
import { describeContainer, requestContainers } from './containers';
import type { LanguageServer } from './languageServer';

const noStateGroup = 'no state';

interface CategoryNode {
  kind: 'category';
  category: string;
  containers: ContainerInfo[];
}
interface ContainerNode {
  kind: 'container';
  container: ContainerInfo;
}
type Node = CategoryNode | ContainerNode;

/** What view commands receive: the tree node they were invoked on. */
export function containerOf(argument: unknown): ContainerInfo | undefined {
  const node = argument as Partial<ContainerNode> | undefined;
  return node?.kind === 'container' ? node.container : undefined;
}

export class ContainersView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly server: LanguageServer) {
    this.view = vscode.window.createTreeView('hwcContainers', { treeDataProvider: this, showCollapseAll: true });
  }

  /** Coalesces bursts (the server announces every indexed batch). */
  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.changed.fire(), 200);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'category') return node.containers.map((container) => ({ kind: 'container', container }));
    if (node) return [];
    if (!this.server.isRunning) {
      this.view.message = 'The HWC language server is not running.';
      return [];
    }
    let containers: ContainerInfo[];
    try {
      containers = await requestContainers(this.server);
    } catch (error) {
      this.view.message = `Could not list containers: ${error instanceof Error ? error.message : String(error)}`;
      return [];
    }
    this.view.message = containers.length === 0 ? 'No containers found under domains/server/containers.' : undefined;
    return groupByCategory(containers);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.kind === 'category' ? categoryItem(node) : containerItem(node.container);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.view.dispose();
    this.changed.dispose();
  }
}

function groupByCategory(containers: ContainerInfo[]): CategoryNode[] {
  const groups = new Map<string, ContainerInfo[]>();
  for (const container of containers) {
    const category = container.category ?? noStateGroup;
    groups.set(category, [...(groups.get(category) ?? []), container]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === noStateGroup ? 1 : b === noStateGroup ? -1 : a.localeCompare(b)))
    .map(([category, members]) => ({ kind: 'category', category, containers: members.sort((a, b) => a.name.localeCompare(b.name)) }));
}

function categoryItem(node: CategoryNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.category, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `category:${node.category}`;
  item.description = `${node.containers.length}`;
  item.iconPath = new vscode.ThemeIcon(node.category === noStateGroup ? 'circle-outline' : 'folder');
  item.tooltip = node.category === noStateGroup ? 'Containers that keep no state under /opt' : `State under /opt/${node.category}/`;
  item.contextValue = 'category';
  return item;
}

function containerItem(container: ContainerInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(container.name, vscode.TreeItemCollapsibleState.None);
  item.id = `container:${container.uri}#${container.name}`;
  item.description = [describeContainer(container), problemBadge(container)].filter(Boolean).join(' · ');
  item.iconPath = problemIcon(container);
  item.tooltip = tooltip(container);
  item.contextValue = container.routeUri ? 'containerWithRoute' : 'container';
  const { start, end } = container.range;
  item.command = {
    command: 'vscode.open',
    title: 'Open definition',
    arguments: [vscode.Uri.parse(container.uri), { selection: new vscode.Range(start.line, start.character, end.line, end.character) }],
  };
  return item;
}

function problemBadge(container: ContainerInfo): string {
  const parts: string[] = [];
  if (container.errors > 0) parts.push(`${container.errors} ✖`);
  if (container.warnings > 0) parts.push(`${container.warnings} ⚠`);
  return parts.join(' ');
}

function problemIcon(container: ContainerInfo): vscode.ThemeIcon {
  if (container.errors > 0) return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (container.warnings > 0) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  return new vscode.ThemeIcon('package');
}

function tooltip(container: ContainerInfo): vscode.MarkdownString {
  const lines = [
    `**${container.name}**`,
    '',
    `- Image: ${container.image ? `\`${container.image}\`` : 'unknown'}`,
    `- State: ${container.category ? `/opt/${container.category}/${container.name}` : 'none under /opt'}`,
    `- Ports: ${container.ports.length > 0 ? container.ports.map((p) => `\`${p}\``).join(', ') : 'none published'}`,
    `- Domain: ${container.domain ?? 'no Caddy route'}`,
    `- Findings: ${container.errors} errors, ${container.warnings} warnings, ${container.infos} infos`,
    `- Defined in: ${vscode.workspace.asRelativePath(vscode.Uri.parse(container.uri))}:${container.range.start.line + 1}`,
  ];
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.supportThemeIcons = false;
  return markdown;
}

export function registerContainersViewCommands(view: ContainersView): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('hwc.refreshContainers', () => view.refresh()),
    vscode.commands.registerCommand('hwc.openRoute', async (node: unknown) => {
      const container = containerOf(node);
      if (!container?.routeUri) {
        void vscode.window.showInformationMessage(`HWC: ${container?.name ?? 'this container'} has no Caddy route.`);
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.parse(container.routeUri));
    }),
    vscode.commands.registerCommand('hwc.openModuleFolder', async (node: unknown) => {
      const container = containerOf(node);
      if (!container?.moduleFolderUri) {
        void vscode.window.showInformationMessage(`HWC: ${container?.name ?? 'this container'} is not defined in a module folder under domains/server/containers/.`);
        return;
      }
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(container.moduleFolderUri));
    }),
  ];
}
