// Clients that pull diagnostics get them per document and for the whole workspace (the
// Problems panel shows files nobody opened); nothing is pushed to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { copyHomelab } from '../helpers/editorFeatures.mjs';


test('pull: document and workspace reports, unchanged result ids, and a long poll that answers on change', async () => {
  const dir = copyHomelab('hwc-pull-');
  const server = await startServer(dir, {
    capabilities: {
      textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false }, synchronization: {} },
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, diagnostics: { refreshSupport: true } },
    },
  });
  try {
    assert.equal(server.initializeResult.capabilities.diagnosticProvider.workspaceDiagnostics, true);
    await server.waitReady();
    const postgresFile = path.join(dir, 'domains/server/containers/postgres/index.nix');
    const uri = server.open(postgresFile, fs.readFileSync(postgresFile, 'utf8'));
    const report = await server.request('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.ok(report.items.some((d) => d.code === 'database-port-exposed'), JSON.stringify(report.items));
    const again = await server.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
    assert.equal(again.kind, 'unchanged');

    const workspace = await server.request('workspace/diagnostic', { previousResultIds: [] });
    const files = workspace.items.filter((i) => i.items.length > 0).map((i) => path.relative(dir, fileURLToPath(i.uri))).sort();
    assert.ok(files.includes('domains/server/containers/uptime-kuma/options.nix'), files.join('\n'));
    assert.ok(files.includes('domains/server/containers/redis/index.nix'), 'a file nobody opened');

    // Nothing changed: the next workspace pull waits; an edit answers it.
    const previousResultIds = workspace.items.map((i) => ({ uri: i.uri, value: i.resultId }));
    const pending = server.request('workspace/diagnostic', { previousResultIds });
    const text = fs.readFileSync(postgresFile, 'utf8');
    server.change(uri, [{ text: text.replace('"5432:5432"', '"127.0.0.1:5432:5432"') }]);
    const changed = await pending;
    const postgresReport = changed.items.find((i) => i.uri === uri);
    assert.equal(postgresReport.kind, 'full');
    assert.ok(!postgresReport.items.some((d) => d.code === 'database-port-exposed'));
    assert.equal(server.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics').length, 0, 'nothing is pushed to a pull client');

    // A change on disk that alters an open file's findings asks the client to pull again.
    const refreshes = () => server.notifications.filter((n) => n.method === 'workspace/diagnostic/refresh').length;
    const before = refreshes();
    const ageFile = path.join(dir, 'domains/secrets/parts/server/postgres-env.age');
    fs.rmSync(ageFile);
    server.filesChanged([{ uri: fileUri(ageFile), type: 3 }]);
    await server.waitFor(() => refreshes() > before, 10000, 'workspace/diagnostic/refresh');
    const secrets = await server.request('textDocument/diagnostic', { textDocument: { uri: fileUri(path.join(dir, 'domains/secrets/index.nix')) } });
    assert.ok(secrets.items.some((d) => d.code === 'secret-file-missing'));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
