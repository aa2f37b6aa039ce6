// Go to definition and find references over JSON-RPC on the homelab example.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB, positionOf, read, relativeOf, uriOf } from '../helpers/editorFeatures.mjs';

/** Locations as `file:line:character` (0-based), sorted. */
function where(locations) {
  return (locations ?? []).map((l) => `${relativeOf(l.uri)}:${l.range.start.line}:${l.range.start.character}`).sort();
}

describe('navigation on examples/homelab', () => {
  let server;
  before(async () => {
    server = await startServer(HOMELAB);
    await server.waitReady();
  });
  after(async () => {
    await server.stop();
  });

  const at = (file, needle, delta = 0, nth = 0) => ({ textDocument: { uri: uriOf(file) }, position: positionOf(read(file), needle, delta, nth) });
  const definition = (...args) => server.request('textDocument/definition', at(...args));
  const references = (includeDeclaration, ...args) => server.request('textDocument/references', { ...at(...args), context: { includeDeclaration } });

  test('announces definition and references providers', () => {
    const caps = server.initializeResult.capabilities;
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
  });

  test('cfg.x goes to the option declaration', async () => {
    assert.deepEqual(where(await definition('domains/server/containers/sonarr/index.nix', 'cfg.port', 5)), ['domains/server/containers/sonarr/options.nix:3:4']);
    assert.deepEqual(where(await definition('domains/server/containers/caddy/routes/n8n.nix', 'cfg.domain', 5)), ['domains/server/containers/n8n/options.nix:8:4']);
    assert.deepEqual(where(await definition('domains/server/containers/prowlarr/index.nix', 'cfg.image', 5)), ['domains/server/containers/prowlarr/options.nix:3:4']);
  });

  test('an option set in the profile goes to its declaration', async () => {
    assert.deepEqual(where(await definition('profiles/server.nix', 'hwc.server.containers.paperless.enable', 33)), ['domains/server/containers/paperless/options.nix:2:4']);
  });

  test('config.age.secrets."n" goes to its declaration, and the declaration\'s file to the .age file', async () => {
    assert.deepEqual(where(await definition('domains/server/containers/paperless/index.nix', 'config.age.secrets."paperless-env"', 22)), ['domains/secrets/index.nix:17:14']);
    assert.deepEqual(where(await definition('domains/secrets/index.nix', './parts/server/n8n-env.age', 8)), ['domains/secrets/parts/server/n8n-env.age:0:0']);
  });

  test('a dependsOn entry goes to that container, also one a helper makes', async () => {
    assert.deepEqual(where(await definition('domains/server/containers/paperless/index.nix', '"postgres" "redis"', 3)), ['domains/server/containers/postgres/index.nix:23:45']);
    assert.deepEqual(where(await definition('domains/server/containers/paperless/index.nix', '"redis" ]', 3)), ['domains/server/containers/redis/index.nix:9:45']);
    assert.deepEqual(where(await definition('domains/server/containers/sonarr/index.nix', '"prowlarr"', 3)), ['domains/server/containers/prowlarr/index.nix:10:13']);
  });

  test('an import path goes to the file (a folder to its default.nix)', async () => {
    assert.deepEqual(where(await definition('domains/server/containers/sonarr/index.nix', './options.nix', 3)), ['domains/server/containers/sonarr/options.nix:0:0']);
    assert.deepEqual(where(await definition('hosts/server/default.nix', '../../domains/secrets', 5)), ['domains/secrets/default.nix:0:0']);
    assert.deepEqual(where(await definition('profiles/server.nix', '../domains/server/containers/n8n/index.nix', 10)), ['domains/server/containers/n8n/index.nix:0:0']);
  });

  test('nowhere to go: null', async () => {
    assert.equal(await definition('domains/server/containers/sonarr/index.nix', 'TZ = ', 0), null);
  });

  test('references of a container: its definition and every dependsOn entry naming it', async () => {
    const expected = ['domains/server/containers/prowlarr/index.nix:10:13', 'domains/server/containers/radarr/index.nix:29:20', 'domains/server/containers/sonarr/index.nix:28:20'];
    assert.deepEqual(where(await references(true, 'domains/server/containers/sonarr/index.nix', '"prowlarr"', 3)), expected);
    assert.deepEqual(where(await references(true, 'domains/server/containers/prowlarr/index.nix', 'name = "prowlarr"', 10)), expected);
    assert.deepEqual(where(await references(false, 'domains/server/containers/prowlarr/index.nix', 'name = "prowlarr"', 10)), expected.slice(1));
    assert.deepEqual(where(await references(true, 'domains/server/containers/postgres/index.nix', 'containers.postgres', 12, 1)), [
      'domains/server/containers/n8n/index.nix:39:20',
      'domains/server/containers/paperless/index.nix:37:20',
      'domains/server/containers/postgres/index.nix:23:45',
    ]);
  });

  test('references of an option: declaration, reads (modules and routes) and definitions in the profile', async () => {
    assert.deepEqual(where(await references(true, 'domains/server/containers/sonarr/options.nix', 'port = lib', 1)), [
      'domains/server/containers/caddy/routes/sonarr.nix:5:52',
      'domains/server/containers/sonarr/index.nix:12:30',
      'domains/server/containers/sonarr/options.nix:3:4',
    ]);
    assert.deepEqual(where(await references(false, 'domains/server/containers/sonarr/index.nix', 'cfg.enable', 5)), [
      'domains/server/containers/sonarr/index.nix:7:20',
      'profiles/server.nix:50:31',
    ]);
  });

  test('references of a secret: its declaration and every config.age.secrets.<n> use', async () => {
    const expected = ['domains/secrets/index.nix:12:14', 'domains/server/containers/n8n/index.nix:35:27'];
    assert.deepEqual(where(await references(true, 'domains/secrets/index.nix', '"n8n-env"', 2)), expected);
    assert.deepEqual(where(await references(true, 'domains/server/containers/n8n/index.nix', 'secrets."n8n-env"', 10)), expected);
    assert.deepEqual(where(await references(true, 'domains/server/containers/postgres/index.nix', 'secrets."postgres-env"', 10)), [
      'domains/secrets/index.nix:7:14',
      'domains/server/containers/postgres/index.nix:36:27',
      'domains/server/containers/postgres/index.nix:70:33',
    ]);
  });
});
