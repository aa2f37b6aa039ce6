// The validation steps of the container workflow — dry-build, switch, podman status and
// logs, curl the endpoint — run as tasks the user can watch, each one program with an
// argument array (`ProcessExecution`): nothing from the repository is ever typed into a
// shell. Rebuilds carry the `hwc-nix` problem matcher so Nix errors become diagnostics.
// They run programs on this machine, so only in trusted workspaces.
import * as vscode from 'vscode';
import type { ContainerInfo } from '../../server/src/protocol';
import { pickContainer, requestContainers } from './containers';
import { containerOf } from './containersView';
import { endpointTestCommand, type HostCommand, nixosRebuildCommand, podmanLogsCommand, podmanStatusCommand, RefusedInputError, showUntrusted } from './hostCommands';
import type { LanguageServer } from './languageServer';
import { nixProblemMatcher } from './nixProblemMatcher';

export function registerTerminalCommands(server: LanguageServer): vscode.Disposable[] {
  const status = whenTrusted('Container status', async (node?: unknown) => {
    const container = (await containerArgument(server, node)) ?? (await pickContainer(server, 'Show the podman status of…', '$(list-flat) All containers'));
    if (container === undefined) return;
    await runChecked(() => podmanStatusCommand(container?.name), (cmd) => runTask('status', container?.name ?? 'all', cmd, folderOf(container)));
  });
  const logs = whenTrusted('Container logs', async (node?: unknown) => {
    const container = (await containerArgument(server, node)) ?? (await pickContainer(server, 'Follow the logs of…'));
    if (!container) return;
    await runChecked(() => podmanLogsCommand(container.name), (cmd) => runTask('logs', container.name, cmd, folderOf(container), { restart: true }));
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

/**
 * The container a command was invoked on: a node of the containers view, or a name (the
 * code lenses pass the container's name); undefined when there is none, so the caller asks.
 */
async function containerArgument(server: LanguageServer, argument: unknown): Promise<ContainerInfo | undefined> {
  if (typeof argument !== 'string') return containerOf(argument);
  const containers = await requestContainers(server);
  return containers.find((c) => c.name === argument);
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

/** Builds the command (which validates what came from the repository) and runs it, or says why not. */
async function runChecked(build: () => HostCommand, run: (command: HostCommand) => Thenable<unknown>): Promise<void> {
  let command: HostCommand;
  try {
    command = build();
  } catch (error) {
    if (!(error instanceof RefusedInputError)) throw error;
    void vscode.window.showErrorMessage(`HWC: ${error.message}`);
    return;
  }
  await run(command);
}

async function runRebuild(action: 'dry-build' | 'switch'): Promise<void> {
  const folder = flakeFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('HWC: open the flake folder (the nixos-hwc checkout) to build it.');
    return;
  }
  const host = vscode.workspace.getConfiguration('hwc', folder).get<string>('flakeHost', 'server');
  await runChecked(
    () => nixosRebuildCommand(action, host),
    async (command) => {
      if (action === 'switch') {
        const confirm = 'Switch';
        const choice = await vscode.window.showWarningMessage(
          `Switch this machine to the "${host}" configuration?`,
          { modal: true, detail: `Runs \`${command.display}\` in ${folder.uri.fsPath}: builds the configuration and activates it now, restarting changed services and containers.` },
          confirm,
        );
        if (choice !== confirm) return;
      }
      await runTask(action, host, command, folder.uri, { problemMatcher: `$${nixProblemMatcher.name}`, focus: action === 'switch' });
    },
  );
}

async function testEndpoint(server: LanguageServer, node: unknown): Promise<void> {
  const container = (await containerArgument(server, node)) ?? (await pickContainer(server, 'Test the endpoints of…'));
  if (!container) return;
  const { command, refused } = endpointTestCommand(container.ports, container.domain);
  if (refused.length > 0) {
    void vscode.window.showWarningMessage(`HWC: not testing ${refused.map(showUntrusted).join(', ')}: not a valid port mapping or domain.`);
  }
  if (!command) {
    if (refused.length === 0) {
      void vscode.window.showInformationMessage(
        `HWC: ${container.name} publishes no TCP port and has no Caddy route to test. With --network=host, curl its port on localhost yourself.`,
      );
    }
    return;
  }
  await runTask('test-endpoint', container.name, command, folderOf(container));
}

type TaskAction = 'dry-build' | 'switch' | 'status' | 'logs' | 'test-endpoint';

interface TaskOptions {
  problemMatcher?: string;
  focus?: boolean;
  /** End a run of the same task first (following logs: one per container). */
  restart?: boolean;
}

/** Runs one program with its arguments as a task in the terminal panel: no shell in between. */
async function runTask(action: TaskAction, target: string, command: HostCommand, cwd: vscode.Uri | undefined, options: TaskOptions = {}): Promise<void> {
  const definition = { type: 'hwc', action, target };
  const label = `${action} ${target}`;
  if (options.restart) {
    for (const running of vscode.tasks.taskExecutions) {
      const d = running.task.definition;
      if (d.type === 'hwc' && d.action === action && d.target === target) running.terminate();
    }
  }
  const scope = (cwd && vscode.workspace.getWorkspaceFolder(cwd)) || vscode.TaskScope.Workspace;
  const task = new vscode.Task(
    definition,
    scope,
    label,
    'hwc',
    new vscode.ProcessExecution(command.program, command.args, cwd ? { cwd: cwd.fsPath } : {}),
    options.problemMatcher ? [options.problemMatcher] : [],
  );
  task.detail = command.display;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: options.focus ?? false, clear: true, echo: true };
  await vscode.tasks.executeTask(task);
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
