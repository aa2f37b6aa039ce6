// Code lenses over JSON-RPC on the homelab example: published ports and findings above
// each container; Show logs / Status only in trusted workspaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB, uriOf } from '../helpers/editorFeatures.mjs';

const lensesOf = async (server, file) => {
  const lenses = await server.request('textDocument/codeLens', { textDocument: { uri: uriOf(file) } });
  return lenses.map((l) => ({ line: l.range.start.line, title: l.command.title, command: l.command.command, arguments: l.command.arguments }));
};

test('untrusted (the default): ports and findings only', async () => {
  const server = await startServer(HOMELAB);
  try {
    await server.waitReady();
    assert.deepEqual(server.initializeResult.capabilities.codeLensProvider, { resolveProvider: false });
    assert.deepEqual(await lensesOf(server, 'domains/server/containers/sonarr/index.nix'), [
      { line: 8, title: 'ports 127.0.0.1:8989:8989', command: '', arguments: undefined },
      { line: 8, title: 'no problems', command: '', arguments: undefined },
    ]);
    assert.deepEqual(await lensesOf(server, 'domains/server/containers/qbittorrent/index.nix'), [
      { line: 8, title: 'ports 127.0.0.1:8080:8080, 6881:6881, 6881:6881/udp', command: '', arguments: undefined },
      { line: 8, title: '2 infos', command: 'workbench.actions.view.problems', arguments: undefined },
    ]);
    assert.deepEqual(await lensesOf(server, 'domains/server/containers/redis/index.nix'), [
      { line: 9, title: 'no published ports', command: '', arguments: undefined },
      { line: 9, title: '1 info', command: 'workbench.actions.view.problems', arguments: undefined },
    ]);
    assert.deepEqual(await lensesOf(server, 'domains/server/containers/n8n/index.nix').then((l) => l[1].title), '1 error, 1 warning');
    assert.deepEqual(await lensesOf(server, 'profiles/server.nix'), [], 'no containers, no lenses');
  } finally {
    await server.stop();
  }
});

test('trusted (initializationOptions.trusted): Show logs and Status with the container name; the trust notification switches them', async () => {
  const server = await startServer(HOMELAB, { initializationOptions: { trusted: true } });
  try {
    await server.waitReady();
    const lenses = await lensesOf(server, 'domains/server/containers/prowlarr/index.nix');
    assert.deepEqual(lenses.slice(2), [
      { line: 10, title: 'Show logs', command: 'hwc.containerLogs', arguments: ['prowlarr'] },
      { line: 10, title: 'Status', command: 'hwc.containerStatus', arguments: ['prowlarr'] },
    ]);
    server.connection.sendNotification('hwc/workspaceTrust', { trusted: false });
    assert.equal((await lensesOf(server, 'domains/server/containers/prowlarr/index.nix')).length, 2);
    server.connection.sendNotification('hwc/workspaceTrust', { trusted: true });
    assert.equal((await lensesOf(server, 'domains/server/containers/prowlarr/index.nix')).length, 4);
  } finally {
    await server.stop();
  }
});
