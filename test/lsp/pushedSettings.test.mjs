// Clients without workspace/configuration (Neovim 0.7) push settings with
// didChangeConfiguration; the server honours them (here: a rule switched off).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, fileUri } from '../helpers/lspClient.mjs';
import { copyHomelab } from '../helpers/editorFeatures.mjs';


test('settings pushed with didChangeConfiguration switch a rule off', async () => {
  const dir = copyHomelab('hwc-push-');
  const server = await startServer(dir, { capabilities: { workspace: { configuration: false, workspaceFolders: true } } });
  try {
    await server.waitReady();
    const postgres = fileUri(path.join(dir, 'domains/server/containers/postgres/index.nix'));
    await server.waitDiagnostics(postgres, (d) => d.some((x) => x.code === 'database-port-exposed'));
    server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hwc: { rules: { 'database-port-exposed': 'off' } } } });
    await server.waitDiagnostics(postgres, (d) => !d.some((x) => x.code === 'database-port-exposed'));
    server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hwc: { rules: { 'database-port-exposed': 'warning' } } } });
    const back = await server.waitDiagnostics(postgres, (d) => d.some((x) => x.code === 'database-port-exposed'));
    assert.equal(back.find((x) => x.code === 'database-port-exposed').severity, 2, 'now a warning');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
