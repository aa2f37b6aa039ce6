// The language server: capabilities and handler wiring. Knowledge lives in the Session
// (workspaces, documents, lint loop) and in features/, one capability per file.
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  WorkDoneProgressReporter,
  createConnection,
  type Connection,
} from 'vscode-languageserver/node';
import { performance } from 'perf_hooks';
import { URI } from 'vscode-uri';
import { editorSettingsSchema } from './config/schema';
import { initParser } from './parse/parser';
import { Session } from './lsp/session';
import { IndexChangedNotification, StatusNotification, type StatusParams } from './protocol';
import { FEATURES } from './features';
import { summaryCacheFor } from './lsp/summaryCache';
import type { CodeActionSource, CommandHandler } from './features/feature';

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Session {
  const session = new Session({
    publish: (uri, diagnostics, version) => connection.sendDiagnostics({ uri, diagnostics, version }),
    log: (line) => connection.console.log(line),
  });
  session.summaryCacheFor = (workspace) => summaryCacheFor(workspace, (line) => connection.console.log(line));
  let supportsConfiguration = false;
  let supportsWatcherRegistration = false;
  let supportsConfigurationRegistration = false;
  let ready = false;
  const parserReady = initParser();
  const commands = new Map<string, CommandHandler>();
  const codeActionSources: CodeActionSource[] = [];
  const featureContext = { connection, session, commands, codeActionSources };
  for (const feature of FEATURES) feature.register(featureContext);
  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    const handler = commands.get(command);
    if (!handler) throw new Error(`hwc: unknown command ${command}`);
    return handler(args ?? []);
  });

  /** `filesSoFar`: while scanning, the files summarised (they are indexed when the scan ends). */
  const sendStatus = (state: StatusParams['state'], message?: string, filesSoFar?: number) => {
    const counts = session.counts();
    if (filesSoFar !== undefined) counts.files = Math.max(counts.files, filesSoFar);
    void connection.sendNotification(StatusNotification, { state, ...counts, message } satisfies StatusParams);
  };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    try {
      await parserReady;
    } catch (error) {
      throw new Error(`hwc: cannot load the Nix parser (tree-sitter-nix.wasm): ${error instanceof Error ? error.message : error}`);
    }
    supportsConfiguration = !!params.capabilities.workspace?.configuration;
    supportsWatcherRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    supportsConfigurationRegistration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    const folders = params.workspaceFolders?.map((f) => URI.parse(f.uri).fsPath) ?? (params.rootUri ? [URI.parse(params.rootUri).fsPath] : params.rootPath ? [params.rootPath] : []);
    for (const folder of folders) session.addRoot(folder);
    for (const feature of FEATURES) feature.initialize?.(params, featureContext);
    return {
      capabilities: Object.assign(
        {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
          executeCommandProvider: { commands: [...commands.keys()] },
        },
        ...FEATURES.map((f) => f.capabilities ?? {}),
      ),
      serverInfo: { name: 'hwc-orchestrator', version: '0.1.0' },
    };
  });

  const applySettings = (raw: unknown) => {
    const parsed = editorSettingsSchema.safeParse(raw ?? {});
    if (parsed.success) session.settings = parsed.data;
    else connection.console.warn(`hwc: ignoring invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  };

  const readSettings = async () => {
    if (!supportsConfiguration) return;
    try {
      applySettings(await connection.workspace.getConfiguration('hwc'));
    } catch (error) {
      connection.console.warn(`hwc: could not read settings: ${error}`);
    }
  };

  connection.onInitialized(async () => {
    if (supportsWatcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.nix' }, { globPattern: '**/*.age' }, { globPattern: '**/.hwc-lint.json' }, { globPattern: '**/.hwc-baseline.json' }],
      });
    }
    // vscode-languageclient no longer pushes settings: ask to be told when they change.
    if (supportsConfigurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'hwc' });
    await readSettings();
    sendStatus('indexing');
    const progress: WorkDoneProgressReporter = await connection.window.createWorkDoneProgress().catch(() => undefined as unknown as WorkDoneProgressReporter);
    progress?.begin('HWC: indexing', 0, 'discovering files', false);
    try {
      const scanStarted = performance.now();
      const scanCpuStarted = process.cpuUsage();
      for (const workspace of [...session.workspaces]) {
        let reported = 0;
        await session.scanRoot(workspace, (done, total) => {
          if (done - reported < 200 && done < total) return;
          reported = done;
          progress?.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`);
          sendStatus('indexing', undefined, done);
        });
      }
      ready = true;
      session.indexed = true;
      const scanMs = performance.now() - scanStarted;
      const scanCpu = process.cpuUsage(scanCpuStarted);
      const scanCpuMs = (scanCpu.user + scanCpu.system) / 1000;
      await session.scheduleLint();
      sendStatus('ready');
      const { lintMs, lintCpuMs, publishMs, publishCpuMs, published } = session.lastPass;
      const ms = (wall: number, cpu: number) => `${Math.round(wall)} ms (${Math.round(cpu)} ms CPU)`;
      connection.console.log(`hwc: indexed ${session.counts().files} files (${session.fromCache} from the cache, ${session.unread} not read) in ${ms(scanMs, scanCpuMs)}${session.replayed ? ` (the last start's findings of ${session.replayed} files published from the cache)` : ''}; full lint ${ms(lintMs, lintCpuMs)}; diagnostics of ${published} files converted and sent in ${ms(publishMs, publishCpuMs)}`);
      void connection.sendNotification(IndexChangedNotification);
    } catch (error) {
      sendStatus('error', error instanceof Error ? error.message : String(error));
      connection.console.error(`hwc: indexing failed: ${error instanceof Error ? error.stack : error}`);
    } finally {
      progress?.done();
    }
  });

  let statusAfterPass = -1;
  const afterLint = () => {
    // Every change of a burst waits for the same pass: one status for it is enough.
    if (!ready || statusAfterPass === session.passes) return;
    statusAfterPass = session.passes;
    sendStatus('ready');
    void connection.sendNotification(IndexChangedNotification);
  };

  connection.onDidChangeConfiguration(async (change) => {
    // Clients that cannot answer workspace/configuration (Neovim 0.7) push the settings.
    if (!supportsConfiguration) applySettings((change.settings as { hwc?: unknown } | null)?.hwc ?? {});
    await readSettings();
    await session.scheduleLint();
    afterLint();
  });

  connection.onDidOpenTextDocument(async ({ textDocument }) => {
    session.openDocument(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    await session.scheduleLint();
    afterLint();
  });
  connection.onDidChangeTextDocument(async ({ textDocument, contentChanges }) => {
    session.changeDocument(textDocument.uri, textDocument.version, contentChanges);
    await session.scheduleLint();
    afterLint();
  });
  connection.onDidCloseTextDocument(async ({ textDocument }) => {
    session.closeDocument(textDocument.uri);
    await session.scheduleLint();
    afterLint();
  });
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      session.fileChanged(change.uri, kind);
    }
    await session.scheduleLint();
    afterLint();
  });

  connection.onNotification('workspace/didChangeWorkspaceFolders', async (params: { event: { added: Array<{ uri: string }>; removed: Array<{ uri: string }> } }) => {
    for (const removed of params.event.removed) session.removeRoot(URI.parse(removed.uri).fsPath);
    const scans = params.event.added.map((added) => session.scanRoot(session.addRoot(URI.parse(added.uri).fsPath)));
    // The new roots are linted partially while they scan, then in full.
    void session.scheduleLint();
    await Promise.all(scans);
    await session.scheduleLint();
    afterLint();
  });

  connection.onShutdown(() => session.documents.dispose());
  connection.listen();
  return session;
}
