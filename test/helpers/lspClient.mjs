// A real LSP client for tests: spawns the built server (`out/server.js --stdio`) and
// talks JSON-RPC to it over stdio, recording every notification it sends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverPath = path.join(root, 'out', 'server.js');

export function fileUri(p) {
  return pathToFileURL(p).href;
}

/**
 * Starts the server on `workspaceFolder`. Options: capabilities (merged into a default
 * client capability set), settings (answer to workspace/configuration for `hwc`),
 * initializationOptions (sent as is in `initialize`), serverPath (another build of the server).
 */
export async function startServer(workspaceFolder, options = {}) {
  const child = spawn(process.execPath, [options.serverPath ?? serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const diagnostics = new Map(); // uri -> { version, diagnostics }
  const notifications = [];
  const waiters = [];
  const logs = [];
  const check = () => {
    for (const w of [...waiters]) {
      let result;
      try {
        result = w.predicate();
      } catch {
        result = undefined;
      }
      if (result) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(result);
      }
    }
  };
  connection.onNotification((method, params) => {
    notifications.push({ method, params });
    if (method === 'textDocument/publishDiagnostics') diagnostics.set(params.uri, params);
    if (method === 'window/logMessage') logs.push(params.message);
    check();
  });
  const settings = { enable: true, trace: { server: 'off' }, rules: {}, fixAll: { includeUnsafe: false }, flakeHost: 'server', maxFileSizeKb: 1024, ...(options.settings ?? {}) };
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => settings));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  for (const method of ['workspace/diagnostic/refresh', 'workspace/codeLens/refresh']) {
    connection.onRequest(method, () => {
      notifications.push({ method, params: null });
      check();
      return null;
    });
  }
  connection.onRequest('workspace/applyEdit', (params) => {
    notifications.push({ method: 'workspace/applyEdit', params });
    check();
    return { applied: true };
  });
  connection.listen();
  const capabilities = {
    workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] }, diagnostics: { refreshSupport: false } },
    textDocument: {
      synchronization: { didSave: true },
      publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll', 'source.fixAll.hwc'] } }, dataSupport: true, resolveSupport: { properties: ['edit'] } },
      completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
      hover: { contentFormat: ['markdown', 'plaintext'] },
    },
    window: { workDoneProgress: true },
    ...(options.capabilities ?? {}),
  };
  const initializeResult = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: fileUri(workspaceFolder),
    workspaceFolders: [{ uri: fileUri(workspaceFolder), name: path.basename(workspaceFolder) }],
    capabilities,
    ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
  });
  await connection.sendNotification('initialized', {});

  const versions = new Map();
  const api = {
    connection,
    initializeResult,
    notifications,
    diagnostics,
    logs,
    get stderr() {
      return stderr;
    },
    /** Resolves with predicate()'s truthy result, or rejects after `timeout` ms. */
    waitFor(predicate, timeout = 10000, what = 'condition') {
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve, timer: undefined };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`timed out after ${timeout} ms waiting for ${what}\nserver stderr: ${stderr}\nlogs: ${logs.slice(-20).join('\n')}`));
        }, timeout);
        waiters.push(w);
        check();
      });
    },
    /** Waits until the server reports the index ready (hwc/status state ready). */
    waitReady(timeout = 20000) {
      return api.waitFor(() => notifications.some((n) => n.method === 'hwc/status' && n.params.state === 'ready'), timeout, 'hwc/status ready');
    },
    /** Waits for a publishDiagnostics for uri (after `since` notifications) satisfying pred. */
    waitDiagnostics(uri, pred = () => true, timeout = 10000) {
      return api.waitFor(() => {
        const d = diagnostics.get(uri);
        return d && pred(d.diagnostics) ? d.diagnostics : undefined;
      }, timeout, `diagnostics for ${uri}`);
    },
    open(file, text, languageId = 'nix') {
      const uri = fileUri(file);
      versions.set(uri, 1);
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return uri;
    },
    change(uri, contentChanges) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      return version;
    },
    close(uri) {
      connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    filesChanged(changes) {
      connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
    },
    request(method, params) {
      return connection.sendRequest(method, params);
    },
    /** Any other client notification (e.g. hwc/workspaceTrust). */
    notify(method, params) {
      connection.sendNotification(method, params);
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        connection.sendNotification('exit');
      } catch {
        /* already gone */
      }
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 3000))]);
      if (code === 'timeout') child.kill('SIGKILL');
      connection.dispose();
      return code;
    },
    child,
  };
  return api;
}
