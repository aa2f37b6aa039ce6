// The validation steps of the container workflow — dry-build, switch, podman status and
// logs, curl the endpoint — run where the user can see the exact command: rebuilds as
// tasks (so the `hwc-nix` problem matcher turns Nix errors into diagnostics), the rest
// typed into a terminal. They run programs on this machine, so only in trusted workspaces.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../server/src/protocol';
import { pickContainer } from './containers';
import { containerOf } from './containersView';
import type { LanguageServer } from './languageServer';
import { nixProblemMatcher } from './nixProblemMatcher';
import { endpointTestCommands, nixosRebuildCommand, podmanLogsCommand, podmanStatusCommand } from './shellCommands';

export function registerTerminalCommands(server: LanguageServer): vscode.Disposable[] {
  const status = whenTrusted('Container status', async (node?: unknown) => {
    const container = containerOf(node) ?? (await pickContainer(server, 'Show the podman status of…', '$(list-flat) All containers'));
    if (container === undefined) return;
    runInTerminal('HWC', [podmanStatusCommand(container?.name)], folderOf(container));
  });
  const logs = whenTrusted('Container logs', async (node?: unknown) => {
    const container = containerOf(node) ?? (await pickContainer(server, 'Follow the logs of…'));
    if (!container) return;
    runInTerminal(`HWC logs: ${container.name}`, [podmanLogsCommand(container.name)], folderOf(container), { fresh: true });
  });
  return [
    vscode.commands.registerCommand('hwc.dryBuild', whenTrusted('Dry-build', () => runRebuild('dry-build'))),
    vscode.commands.registerCommand('hwc.switch', whenTrusted('Switch', () => runRebuild('switch'))),
    vscode.commands.registerCommand('hwc.podmanStatus', status),
    vscode.commands.registerCommand('hwc.containerStatus', status),
    vscode.commands.registerCommand('hwc.podmanLogs', logs),
    vscode.commands.registerCommand('hwc.containerLogs', logs),
    vscode.commands.registerCommand('hwc.testEndpoint', whenTrusted('Test endpoint', (node?: unknown) => testEndpoint(server, node))),
  ];
}

function whenTrusted<A extends unknown[]>(title: string, run: (...args: A) => unknown): (...args: A) => unknown {
  return (...args: A) => {
    if (vscode.workspace.isTrusted) return run(...args);
    const manage = 'Manage Workspace Trust';
    void vscode.window
      .showWarningMessage(`HWC: "${title}" runs commands on this machine, so it is disabled in Restricted Mode. Trust this workspace to use it.`, manage)
      .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  };
}

async function runRebuild(action: 'dry-build' | 'switch'): Promise<void> {
  const folder = flakeFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('HWC: open the flake folder (the nixos-hwc checkout) to build it.');
    return;
  }
  const host = vscode.workspace.getConfiguration('hwc', folder).get<string>('flakeHost', 'server');
  let commandLine: string;
  try {
    commandLine = nixosRebuildCommand(action, host);
  } catch (error) {
    void vscode.window.showErrorMessage(`HWC: ${(error as Error).message}`);
    return;
  }
  if (action === 'switch') {
    const confirm = 'Switch';
    const choice = await vscode.window.showWarningMessage(
      `Switch this machine to the "${host}" configuration?`,
      { modal: true, detail: `Runs \`${commandLine}\` in ${folder.uri.fsPath}: builds the configuration and activates it now, restarting changed services and containers.` },
      confirm,
    );
    if (choice !== confirm) return;
  }
  const task = new vscode.Task(
    { type: 'hwc', action, host },
    folder,
    `${action} .#${host}`,
    'hwc',
    new vscode.ShellExecution(commandLine, { cwd: folder.uri.fsPath }),
    [`$${nixProblemMatcher.name}`],
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: action === 'switch', clear: true };
  await vscode.tasks.executeTask(task);
}

async function testEndpoint(server: LanguageServer, node: unknown): Promise<void> {
  const container = containerOf(node) ?? (await pickContainer(server, 'Test the endpoints of…'));
  if (!container) return;
  const commands = endpointTestCommands(container.ports, container.domain);
  if (commands.length === 0) {
    void vscode.window.showInformationMessage(
      `HWC: ${container.name} publishes no TCP port and has no Caddy route to test. With --network=host, curl its port on localhost yourself.`,
    );
    return;
  }
  runInTerminal('HWC', commands, folderOf(container));
}

/** Types the commands into a visible terminal, so the user sees exactly what runs. */
function runInTerminal(name: string, commands: string[], cwd: vscode.Uri | undefined, options: { fresh?: boolean } = {}): void {
  let terminal = vscode.window.terminals.find((t) => t.name === name && t.exitStatus === undefined);
  if (terminal && options.fresh) {
    terminal.dispose();
    terminal = undefined;
  }
  terminal ??= vscode.window.createTerminal({ name, cwd, iconPath: new vscode.ThemeIcon('server-process') });
  terminal.show();
  for (const command of commands) terminal.sendText(command);
}

function folderOf(container: ContainerInfo | null): vscode.Uri | undefined {
  const folder = container ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(container.uri)) : flakeFolder();
  return folder?.uri;
}

/** The folder of the active file, else the first one: the flake root in a nixos-hwc checkout. */
function flakeFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) || vscode.workspace.workspaceFolders?.[0];
}
