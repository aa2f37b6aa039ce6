// Document symbols (outline) and workspace symbols over JSON-RPC on the homelab example.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB, relativeOf, uriOf } from '../helpers/editorFeatures.mjs';

const Kind = { Class: 5, Property: 7, Interface: 11, Key: 20 };

describe('symbols on examples/homelab', () => {
  let server;
  before(async () => {
    server = await startServer(HOMELAB);
    await server.waitReady();
  });
  after(async () => {
    await server.stop();
  });

  const outline = async (file) => (await server.request('textDocument/documentSymbol', { textDocument: { uri: uriOf(file) } })).map((s) => [s.name, s.kind, s.detail]);

  test('announces document and workspace symbol providers', () => {
    const caps = server.initializeResult.capabilities;
    assert.equal(caps.documentSymbolProvider, true);
    assert.equal(caps.workspaceSymbolProvider, true);
  });

  test('a module index lists its container, spanning its definition', async () => {
    const symbols = await server.request('textDocument/documentSymbol', { textDocument: { uri: uriOf('domains/server/containers/sonarr/index.nix') } });
    assert.deepEqual(symbols.map((s) => [s.name, s.kind, s.detail]), [['sonarr', Kind.Class, 'lscr.io/linuxserver/sonarr:4.0.14']]);
    assert.deepEqual(symbols[0].selectionRange, { start: { line: 8, character: 45 }, end: { line: 8, character: 51 } });
    assert.deepEqual(symbols[0].range.start, { line: 8, character: 45 });
    assert.equal(symbols[0].range.end.line, 28, 'down to its last field (dependsOn)');
  });

  test('a helper-made container is listed too', async () => {
    assert.deepEqual(await outline('domains/server/containers/prowlarr/index.nix'), [['prowlarr', Kind.Class, 'lscr.io/linuxserver/prowlarr:1.33.3']]);
  });

  test('an options file lists its options with type and default', async () => {
    assert.deepEqual(await outline('domains/server/containers/qbittorrent/options.nix'), [
      ['hwc.server.containers.qbittorrent.enable', Kind.Property, 'bool · default false'],
      ['hwc.server.containers.qbittorrent.port', Kind.Property, 'port · default 8080'],
      ['hwc.server.containers.qbittorrent.torrentPort', Kind.Property, 'port · default 6881'],
      ['hwc.server.containers.qbittorrent.domain', Kind.Property, 'str · default "qbittorrent.local"'],
    ]);
  });

  test('the secrets index lists its secrets with their files', async () => {
    assert.deepEqual(await outline('domains/secrets/index.nix'), [
      ['postgres-env', Kind.Key, 'domains/secrets/parts/server/postgres-env.age'],
      ['n8n-env', Kind.Key, 'domains/secrets/parts/server/n8n-env.age'],
      ['paperless-env', Kind.Key, 'domains/secrets/parts/server/paperless-env.age'],
    ]);
  });

  test('a route file lists its route by resolved domain, with its upstream', async () => {
    assert.deepEqual(await outline('domains/server/containers/caddy/routes/uptime-kuma.nix'), [['status.local', Kind.Interface, '→ http://localhost:3001']]);
  });

  test('workspace symbols: every container, filtered by the query', async () => {
    const all = await server.request('workspace/symbol', { query: '' });
    assert.deepEqual(all.map((s) => s.name), ['n8n', 'paperless', 'postgres', 'prowlarr', 'qbittorrent', 'radarr', 'redis', 'sonarr', 'uptime-kuma']);
    assert.ok(all.every((s) => s.kind === Kind.Class));
    const redis = all.find((s) => s.name === 'redis');
    assert.equal(relativeOf(redis.location.uri), 'domains/server/containers/redis/index.nix');
    assert.deepEqual(redis.location.range.start, { line: 9, character: 45 });
    assert.equal(redis.containerName, 'redis');
    const arr = await server.request('workspace/symbol', { query: 'arr' });
    assert.deepEqual(arr.map((s) => s.name), ['prowlarr', 'radarr', 'sonarr']);
  });
});
