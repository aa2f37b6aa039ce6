// The HWC Containers view in the Explorer: containers grouped by the state category they
// really mount (custom categories included), each opening its definition on click, with
// logs/status, Reveal in profile, Open route, Show findings and module-folder actions. It
// shows what `hwc containers` prints: real mounts, domains, and what stayed unknown and why.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../server/src/protocol';
import { describeContainer, requestContainers } from './containers';
import type { LanguageServer } from './languageServer';

const noStateGroup = 'no state under /opt';

interface CategoryNode {
  kind: 'category';
  category: string;
  containers: ContainerInfo[];
  /** Names defined more than once in the workspace: their items show the defining file. */
  duplicates: ReadonlySet<string>;
}
interface ContainerNode {
  kind: 'container';
  container: ContainerInfo;
  duplicate: boolean;
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
    if (node?.kind === 'category') return node.containers.map((container) => ({ kind: 'container', container, duplicate: node.duplicates.has(container.name) }));
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
    return node.kind === 'category' ? categoryItem(node) : containerItem(node.container, node.duplicate);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.view.dispose();
    this.changed.dispose();
  }
}

export function groupByCategory(containers: ContainerInfo[]): CategoryNode[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const container of containers) (seen.has(container.name) ? duplicates : seen).add(container.name);
  const groups = new Map<string, ContainerInfo[]>();
  for (const container of containers) {
    const category = container.category ?? noStateGroup;
    groups.set(category, [...(groups.get(category) ?? []), container]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === noStateGroup ? 1 : b === noStateGroup ? -1 : a.localeCompare(b)))
    .map(([category, members]) => ({ kind: 'category', category, duplicates, containers: members.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file)) }));
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

function containerItem(container: ContainerInfo, duplicate: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(container.name, vscode.TreeItemCollapsibleState.None);
  item.id = `container:${container.uri}#${container.name}`;
  // Two definitions of one name: say which file each item is.
  item.description = [duplicate ? container.file : null, describeContainer(container), problemBadge(container)].filter(Boolean).join(' · ');
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
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const list = (items: string[], empty: string) => (items.length > 0 ? items.map(code).join(', ') : empty);
  const lines = [
    `**${escapeMarkdown(container.name)}**`,
    '',
    `- Image: ${container.image ? code(container.image) : 'unknown'}`,
    `- State: ${list(container.statePaths, 'none under /opt')}`,
    `- Volumes: ${list(container.volumes, 'none')}`,
    `- Ports: ${list(container.ports, 'none published')}`,
    `- Domains: ${container.domains.length > 0 ? container.domains.map(escapeMarkdown).join(', ') : 'no Caddy route'}`,
    `- Findings: ${container.errors} errors, ${container.warnings} warnings, ${container.infos} infos`,
    `- Defined in: ${escapeMarkdown(container.file)}:${container.range.start.line + 1}`,
    ...container.unknowns.map((u) => `- Unknown ${escapeMarkdown(u)}`),
  ];
  const markdown = new vscode.MarkdownString(lines.join('\n'));
  markdown.supportThemeIcons = false;
  return markdown;
}

/** Repository text in a tooltip is shown, never interpreted as Markdown or HTML. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

async function openAt(uri: string, range: ContainerInfo['range'] | null): Promise<void> {
  const selection = range ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character) : undefined;
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), selection ? { selection } : undefined);
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
      await openAt(container.routeUri, container.routeRange);
    }),
    vscode.commands.registerCommand('hwc.revealInProfile', async (node: unknown) => {
      const container = containerOf(node);
      if (!container?.profileLocation) {
        void vscode.window.showInformationMessage(`HWC: the profile neither imports nor enables ${container?.name ?? 'this container'}.`);
        return;
      }
      await openAt(container.profileLocation.uri, container.profileLocation.range);
    }),
    vscode.commands.registerCommand('hwc.showContainerFindings', async (node: unknown) => {
      const container = containerOf(node);
      if (!container) return;
      if (container.findings.length === 0) {
        void vscode.window.showInformationMessage(`HWC: no findings on ${container.name}.`);
        return;
      }
      const icons = { error: '$(error)', warning: '$(warning)', info: '$(info)', hint: '$(light-bulb)' };
      const picked = await vscode.window.showQuickPick(
        container.findings.map((f) => ({
          label: `${icons[f.severity]} ${f.message.split(/(?<=\.)\s/)[0]}`,
          description: f.rule,
          detail: `${vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri))}:${f.range.start.line + 1}`,
          finding: f,
        })),
        { placeHolder: `Findings on ${container.name}`, matchOnDescription: true },
      );
      if (picked) await openAt(picked.finding.uri, picked.finding.range);
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
