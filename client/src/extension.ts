// Entry point: starts the HWC language server (out/server.js over Node IPC) and wires the
// UI features, each in its own file.
import * as vscode from 'vscode';
import { type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { IndexChangedNotification, StatusNotification, type StatusParams, WorkspaceTrustNotification, type WorkspaceTrustParams } from '../../server/src/protocol';
import { registerServerCommands } from './commands';
import { registerConfigureRepository } from './configureRepository';
import { ContainersView, registerContainersViewCommands } from './containersView';
import { LanguageServer } from './languageServer';
import { registerImportCompose } from './importCompose';
import { registerNewContainer } from './newContainer';
import { registerPinImageTag, setRegistryPromptState } from './pinImageTag';
import { registerContainerLifecycle } from './containerLifecycle';
import { StatusBar } from './statusBar';
import { registerTerminalCommands } from './terminalCommands';

/** Files whose changes the server must hear about even when no editor has them open. */
const watchedFiles = ['**/*.nix', '**/*.age', '**/.hwc-lint.json', '**/.hwc-baseline.json'];

let server: LanguageServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('HWC Orchestrator', { log: true });
  const statusBar = new StatusBar();
  const watchers = watchedFiles.map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(output, statusBar, ...watchers);

  const serverModule = context.asAbsolutePath('out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nix' },
      { scheme: 'untitled', language: 'nix' },
    ],
    synchronize: { fileEvents: watchers },
    outputChannel: output,
    // What the server offers depends on trust (New Container, the podman lenses): read at every (re)start.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
  };
  setRegistryPromptState(context.globalState);
  server = new LanguageServer(serverModule, serverOptions, clientOptions, output, statusBar);
  const containersView = new ContainersView(server);
  const { client } = server;

  context.subscriptions.push(
    server,
    containersView,
    client.onNotification(StatusNotification, (status: StatusParams) => statusBar.showStatus(status)),
    client.onNotification(IndexChangedNotification, () => containersView.refresh()),
    client.onDidChangeState(() => containersView.refresh()),
    ...registerServerCommands(server, output),
    ...registerContainersViewCommands(containersView),
    ...registerTerminalCommands(server),
    registerNewContainer(server, output),
    registerImportCompose(server, output),
    registerPinImageTag(server),
    ...registerContainerLifecycle(server),
    // Trust is only ever granted while VS Code runs (revoking it reloads the window).
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (server?.isRunning) void client.sendNotification(WorkspaceTrustNotification, { trusted: true } satisfies WorkspaceTrustParams);
    }),
    ...registerConfigureRepository(server),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('hwc.enable')) void server?.applyEnablement();
    }),
  );
  void vscode.commands.executeCommand('setContext', 'hwc.active', true);
  void server.applyEnablement();
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
