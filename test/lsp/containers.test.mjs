// The hwc/containers request (the client's containers view) over JSON-RPC on the homelab
// example: every container with every field, and updates after an edit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB, edited, relativeOf, withDocument } from '../helpers/editorFeatures.mjs';

const DIR = 'domains/server/containers';
const ROUTES = `${DIR}/caddy/routes`;

// name, image, category, ports, domain, [errors, warnings, infos] (MISTAKES.md), defined at (0-based line:character), route
const EXPECTED = [
  ['n8n', 'docker.n8n.io/n8nio/n8n:1.85.4', 'services', ['127.0.0.1:5678:5678'], 'n8n.example.com', [1, 1, 0], '7:45', true],
  ['paperless', 'ghcr.io/paperless-ngx/paperless-ngx:2.15.1', 'business', ['127.0.0.1:8000:8000'], 'paperless.local', [0, 3, 0], '8:45', true],
  ['postgres', 'docker.io/library/postgres:16.8', 'databases', ['5432:5432'], null, [1, 0, 0], '23:45', false],
  ['prowlarr', 'lscr.io/linuxserver/prowlarr:1.33.3', 'media', ['127.0.0.1:9696:9696'], 'prowlarr.local', [0, 0, 0], '10:13', true],
  ['qbittorrent', 'lscr.io/linuxserver/qbittorrent:5.0.4', 'media', ['127.0.0.1:8080:8080', '6881:6881', '6881:6881/udp'], 'qbittorrent.local', [0, 0, 2], '8:45', true],
  ['radarr', 'lscr.io/linuxserver/radarr:5.21.1', 'media', ['127.0.0.1:7878:7878'], 'radarr.local', [0, 0, 0], '13:45', true],
  ['redis', 'docker.io/library/redis:7.4-alpine', 'databases', [], null, [0, 0, 1], '9:45', false],
  ['sonarr', 'lscr.io/linuxserver/sonarr:4.0.14', 'media', ['127.0.0.1:8989:8989'], 'sonarr.local', [0, 0, 0], '8:45', true],
  ['uptime-kuma', 'louislam/uptime-kuma:latest', 'apps', ['127.0.0.1:3001:3001'], 'status.local', [0, 2, 0], '7:45', true],
];

describe('hwc/containers on examples/homelab', () => {
  let server;
  before(async () => {
    server = await startServer(HOMELAB);
    await server.waitReady();
  });
  after(async () => {
    await server.stop();
  });

  test('returns every container of the example with every field', async () => {
    const { containers } = await server.request('hwc/containers', {});
    assert.deepEqual(containers.map((c) => c.name), EXPECTED.map((e) => e[0]));
    for (const [name, image, category, ports, domain, [errors, warnings, infos], at, hasRoute] of EXPECTED) {
      const c = containers.find((x) => x.name === name);
      const fields = {
        image: c.image,
        category: c.category,
        ports: c.ports,
        domain: c.domain,
        counts: [c.errors, c.warnings, c.infos],
        file: relativeOf(c.uri),
        at: `${c.range.start.line}:${c.range.start.character}`,
        moduleFolder: c.moduleFolderUri && relativeOf(c.moduleFolderUri),
        route: c.routeUri && relativeOf(c.routeUri),
      };
      assert.deepEqual(fields, {
        image,
        category,
        ports,
        domain,
        counts: [errors, warnings, infos],
        file: `${DIR}/${name}/index.nix`,
        at,
        moduleFolder: `${DIR}/${name}`,
        route: hasRoute ? `${ROUTES}/${name}.nix` : null,
      }, name);
    }
  });

  test('the counts add up to the example\'s 2 errors, 6 warnings and 3 infos', async () => {
    const { containers } = await server.request('hwc/containers', {});
    const sum = (k) => containers.reduce((n, c) => n + c[k], 0);
    assert.deepEqual([sum('errors'), sum('warnings'), sum('infos')], [2, 6, 3]);
  });

  test('follows edits of an open document (image, ports, findings)', async () => {
    const { text } = edited(`${DIR}/sonarr/index.nix`, 'image = "lscr.io/linuxserver/sonarr:4.0.14";', 'image = "lscr.io/linuxserver/sonarr:latest";|');
    const changed = text.replace('"127.0.0.1:${toString cfg.port}:8989"', '"127.0.0.1:${toString cfg.port}:8989" "9000:9000"');
    await withDocument(server, `${DIR}/sonarr/index.nix`, changed, async () => {
      const { containers } = await server.request('hwc/containers', {});
      const sonarr = containers.find((c) => c.name === 'sonarr');
      assert.equal(sonarr.image, 'lscr.io/linuxserver/sonarr:latest');
      assert.deepEqual(sonarr.ports, ['127.0.0.1:8989:8989', '9000:9000']);
      assert.deepEqual([sonarr.errors, sonarr.warnings, sonarr.infos], [0, 1, 1], 'image-latest-tag and port-all-interfaces');
    });
  });
});

// The same data as `hwc containers` on a workspace with the shapes a big repository has:
// a container defined twice, a custom category, a central routes file, a helper, and
// values the engine cannot know.
const INVENTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'inventory');
const inInventory = (uri) => path.relative(INVENTORY, fileURLToPath(uri)).split(path.sep).join('/');

describe('hwc/containers shows the inventory (test/fixtures/inventory)', () => {
  let server;
  let containers;
  before(async () => {
    server = await startServer(INVENTORY);
    await server.waitReady();
    ({ containers } = await server.request('hwc/containers', {}));
  });
  after(async () => {
    await server.stop();
  });

  test('a container defined twice is two items told apart by file', () => {
    const whoami = containers.filter((c) => c.name === 'whoami');
    assert.deepEqual(whoami.map((c) => [c.file, c.image, c.ports]), [
      ['domains/server/containers/whoami/index.nix', 'docker.io/traefik/whoami:v1.10.4', ['127.0.0.1:8181:80']],
      ['hosts/test/whoami.nix', 'docker.io/traefik/whoami:v1.10.3', ['18181:80']],
    ]);
    assert.deepEqual(whoami.map((c) => inInventory(c.uri)), whoami.map((c) => c.file));
  });

  test('category, state paths and volumes are the real mounts, custom categories included', () => {
    const server_ = containers.find((c) => c.name === 'immich-server');
    assert.equal(server_.category, 'photos');
    assert.deepEqual(server_.statePaths, ['/opt/photos/immich-server']);
    assert.deepEqual(server_.volumes, [
      '/opt/photos/immich-server:/config',
      '…:/usr/src/app/upload (unknown: option `hwc.server.containers.immich.uploadDir` has no default)',
    ]);
    assert.deepEqual(containers.filter((c) => c.category === null).map((c) => c.name).sort(), ['jellyfin', 'jellyfin-vue', 'whoami', 'whoami']);
  });

  test('domains come from the central routes file, with the route to open', () => {
    const server_ = containers.find((c) => c.name === 'immich-server');
    assert.deepEqual(server_.domains, ['photos.home.arpa']);
    assert.equal(server_.domain, 'photos.home.arpa');
    assert.equal(inInventory(server_.routeUri), 'domains/server/containers/caddy/routes.nix');
    assert.equal(server_.routeRange.start.line, 6, 'the route\'s domain key');
    const db = containers.find((c) => c.name === 'immich-db');
    assert.deepEqual([db.domains, db.routeUri], [[], null], 'the route proxies to the server, not its database');
  });

  test('what the engine cannot know is listed with why', () => {
    assert.deepEqual(containers.find((c) => c.name === 'jellyfin-vue').unknowns, ['image: function `pkgs.dockerTools.pullImage` not modelled']);
    assert.deepEqual(containers.find((c) => c.name === 'jellyfin').unknowns, [
      'ports: not passed to `mkContainer`; what the helper adds is not evaluated',
      'volumes: not passed to `mkContainer`; what the helper adds is not evaluated',
      'networks: not passed to `mkContainer`; what the helper adds is not evaluated',
    ]);
  });

  test('Reveal in profile points at the import of the module; a container the profile never mentions has none', () => {
    const server_ = containers.find((c) => c.name === 'immich-server');
    assert.equal(inInventory(server_.profileLocation.uri), 'profiles/server.nix');
    assert.equal(server_.profileLocation.range.start.line, 5);
    const testOnly = containers.find((c) => c.file === 'hosts/test/whoami.nix');
    assert.equal(testOnly.profileLocation, null);
  });

  test('Show findings gets each finding with its place; the counts agree', () => {
    const testOnly = containers.find((c) => c.file === 'hosts/test/whoami.nix');
    assert.deepEqual(testOnly.findings.map((f) => [f.rule, f.severity, inInventory(f.uri), f.range.start.line]), [['port-all-interfaces', 'info', 'hosts/test/whoami.nix', 5]]);
    assert.match(testOnly.findings[0].message, /publishes 18181 on every interface/);
    for (const c of containers) assert.deepEqual([c.errors, c.warnings, c.infos], ['error', 'warning', 'info'].map((s) => c.findings.filter((f) => f.severity === s).length), c.name);
  });
});
