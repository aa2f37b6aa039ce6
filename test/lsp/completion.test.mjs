// Completion over JSON-RPC on the homelab example: every context of issue 7, with the
// values the example's index must produce.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB, edited, withDocument } from '../helpers/editorFeatures.mjs';

const SONARR = 'domains/server/containers/sonarr/index.nix';
const PROFILE = 'profiles/server.nix';
const MODULES = ['caddy', 'n8n', 'paperless', 'postgres', 'prowlarr', 'qbittorrent', 'radarr', 'redis', 'sonarr', 'uptime-kuma'];
const CONTAINERS = ['n8n', 'paperless', 'postgres', 'prowlarr', 'qbittorrent', 'radarr', 'redis', 'sonarr', 'uptime-kuma'];

describe('completion on examples/homelab', () => {
  let server;
  before(async () => {
    server = await startServer(HOMELAB);
    await server.waitReady();
  });
  after(async () => {
    await server.stop();
  });

  /** Completion at the `|` of `to` after replacing `from` in `file`. */
  async function complete(file, from, to) {
    const { text, position } = edited(file, from, to);
    return withDocument(server, file, text, (uri) => server.request('textDocument/completion', { textDocument: { uri }, position }));
  }
  const labels = (list) => list.items.map((i) => i.label);
  const byLabel = (list) => Object.fromEntries(list.items.map((i) => [i.label, i]));

  test('announces the completion provider with its trigger characters', () => {
    const provider = server.initializeResult.capabilities.completionProvider;
    assert.deepEqual(provider.triggerCharacters, ['.', '"', '/', '=']);
  });

  test('cfg. offers the options of the module with their type and default', async () => {
    const list = await complete(SONARR, '${toString cfg.port}:8989', '${toString cfg.|}:8989');
    assert.deepEqual(labels(list), ['domain', 'enable', 'port']);
    const items = byLabel(list);
    assert.equal(items.port.detail, 'port · default 8989');
    assert.equal(items.domain.detail, 'str · default "sonarr.local"');
    assert.equal(items.enable.detail, 'bool · default false');
    assert.match(items.port.documentation.value, /Port for sonarr/);
    assert.match(items.port.documentation.value, /sonarr\/options\.nix:4/);
    assert.deepEqual(items.port.textEdit.range.start, items.port.textEdit.range.end, 'nothing typed yet: inserts at the cursor');
  });

  test('cfg.<partial> replaces the typed part', async () => {
    const list = await complete(SONARR, '${toString cfg.port}:8989', '${toString cfg.po|}:8989');
    const port = byLabel(list).port;
    assert.equal(port.textEdit.newText, 'port');
    assert.equal(port.textEdit.range.end.character - port.textEdit.range.start.character, 2);
  });

  test('cfg. in a Caddy route offers the options of the module the route binds', async () => {
    const list = await complete('domains/server/containers/caddy/routes/n8n.nix', '${toString cfg.port}', '${toString cfg.|}');
    assert.deepEqual(labels(list), ['domain', 'enable', 'port']);
    assert.equal(byLabel(list).domain.detail, 'str · default "n8n.example.com"');
  });

  test('hwc.server.containers.<name>. offers that module\'s options; one level up, the modules', async () => {
    const options = await complete(PROFILE, '  hwc.server.containers.sonarr.enable = true;', '  hwc.server.containers.qbittorrent.|');
    assert.deepEqual(labels(options), ['domain', 'enable', 'port', 'torrentPort']);
    assert.equal(byLabel(options).torrentPort.detail, 'port · default 6881');
    const modules = await complete(PROFILE, '  hwc.server.containers.sonarr.enable = true;', '  hwc.server.containers.|');
    assert.deepEqual(labels(modules), MODULES);
    assert.equal(byLabel(modules).prowlarr.detail, '4 options');
    const viaConfig = await complete(SONARR, '      dependsOn = [ "prowlarr" ];', '      hostname = config.hwc.server.containers.radarr.|;');
    assert.equal(byLabel(viaConfig).port.detail, 'port · default 7878');
  });

  test('"/opt/" in a volume offers exactly the five categories, then the container\'s own name', async () => {
    const categories = await complete(SONARR, '"${stateDir}:/config"', '"/opt/|"');
    assert.deepEqual(labels(categories), ['media', 'services', 'databases', 'monitoring', 'business']);
    assert.equal(byLabel(categories).media.textEdit.newText, 'media/');
    assert.equal(byLabel(categories).media.command.command, 'editor.action.triggerSuggest');
    const partial = await complete(SONARR, '"${stateDir}:/config"', '"/opt/me|"');
    assert.equal(byLabel(partial).media.textEdit.range.end.character - byLabel(partial).media.textEdit.range.start.character, 2);
    const own = await complete(SONARR, '"${stateDir}:/config"', '"/opt/media/|"');
    assert.deepEqual(labels(own), ['sonarr']);
    assert.equal(own.items[0].detail, '/opt/media/sonarr');
  });

  test('"/opt/<category>/" inside a helper call offers the helper container\'s name', async () => {
    const list = await complete('domains/server/containers/prowlarr/index.nix', '"/opt/media/prowlarr:/config"', '"/opt/media/|"');
    assert.deepEqual(labels(list), ['prowlarr']);
  });

  test('an unterminated volume string still completes', async () => {
    const list = await complete(SONARR, '"${stateDir}:/config"', '"/opt/|');
    assert.deepEqual(labels(list), ['media', 'services', 'databases', 'monitoring', 'business']);
  });

  test('typed like a person: "/opt/ on a new last line of the list, no closing quote, still completes', async () => {
    // The open string runs on to the next quote (`"1000"` of PUID below), so the tree around the cursor is an error.
    const { position } = edited(SONARR, '"/mnt/storage/media/tv:/tv"\n', '"/mnt/storage/media/tv:/tv"\n        "/opt/|\n');
    const list = await complete(SONARR, '"/mnt/storage/media/tv:/tv"\n', '"/mnt/storage/media/tv:/tv"\n        "/opt/|\n');
    assert.deepEqual(labels(list), ['media', 'services', 'databases', 'monitoring', 'business']);
    // VS Code drops an item whose edit range is not on the cursor's line or does not reach the cursor.
    for (const item of list.items) {
      const { range } = item.textEdit;
      assert.equal(range.start.line, position.line, item.label);
      assert.equal(range.end.line, position.line, item.label);
      assert.ok(range.start.character <= position.character && range.end.character >= position.character, `${item.label}: ${JSON.stringify(range)}`);
    }
    const own = await complete(SONARR, '"/mnt/storage/media/tv:/tv"\n', '"/mnt/storage/media/tv:/tv"\n        "/opt/media/|\n');
    assert.deepEqual(labels(own), ['sonarr']);
    const depends = await complete(SONARR, '[ "prowlarr" ]', '[\n        "|\n      ]');
    assert.ok(labels(depends).includes('postgres'), `dependsOn names: ${labels(depends).join(', ')}`);
  });

  test('dependsOn offers the other containers, not itself or those already listed', async () => {
    const quoted = await complete(SONARR, '[ "prowlarr" ]', '[ "prowlarr" "|" ]');
    assert.deepEqual(labels(quoted), CONTAINERS.filter((n) => n !== 'sonarr' && n !== 'prowlarr'));
    assert.equal(byLabel(quoted).postgres.detail, 'docker.io/library/postgres:16.8');
    assert.equal(byLabel(quoted).postgres.textEdit.newText, 'postgres');
    const bare = await complete(SONARR, '[ "prowlarr" ]', '[ "prowlarr" re| ]');
    assert.equal(byLabel(bare).redis.textEdit.newText, '"redis"');
    assert.equal(byLabel(bare).redis.textEdit.range.end.character - byLabel(bare).redis.textEdit.range.start.character, 2);
    const editing = await complete(SONARR, '[ "prowlarr" ]', '[ "prow|larr" ]');
    assert.ok(labels(editing).includes('prowlarr'), 'the entry being edited is offered again');
  });

  test('config.age.secrets. offers the declared secrets, quoted when the quote is missing', async () => {
    const quoted = await complete(SONARR, '      dependsOn = [ "prowlarr" ];', '      environmentFiles = [ config.age.secrets."|".path ];');
    assert.deepEqual(labels(quoted), ['postgres-env', 'n8n-env', 'paperless-env']);
    assert.equal(byLabel(quoted)['n8n-env'].textEdit.newText, 'n8n-env');
    assert.equal(byLabel(quoted)['n8n-env'].detail, 'domains/secrets/parts/server/n8n-env.age');
    const bare = await complete(SONARR, '      dependsOn = [ "prowlarr" ];', '      environmentFiles = [ config.age.secrets.n8| ];');
    assert.equal(byLabel(bare)['n8n-env'].textEdit.newText, '"n8n-env"');
  });

  test('--network= offers the networks the workspace creates and host', async () => {
    const list = await complete(SONARR, '      dependsOn = [ "prowlarr" ];', '      extraOptions = [ "--network=|" ];');
    assert.deepEqual(labels(list), ['hwc-db', 'host']);
    assert.equal(byLabel(list)['hwc-db'].detail, 'created in domains/server/containers/postgres/index.nix');
  });

  test('image = "…" offers the pinned images used in the workspace, option defaults included', async () => {
    const list = await complete(SONARR, 'image = "lscr.io/linuxserver/sonarr:4.0.14";', 'image = "lscr|";');
    assert.deepEqual(labels(list).sort(), [
      'docker.io/library/postgres:16.8',
      'docker.io/library/redis:7.4-alpine',
      'docker.n8n.io/n8nio/n8n:1.85.4',
      'ghcr.io/paperless-ngx/paperless-ngx:2.15.1',
      'lscr.io/linuxserver/prowlarr:1.33.3',
      'lscr.io/linuxserver/qbittorrent:5.0.4',
      'lscr.io/linuxserver/radarr:5.21.1',
    ]);
    const radarr = byLabel(list)['lscr.io/linuxserver/radarr:5.21.1'];
    assert.equal(radarr.textEdit.range.end.character - radarr.textEdit.range.start.character, 4, 'replaces the whole typed image');
  });

  test('attribute names inside a container attrset, with docs, minus the ones already set', async () => {
    const list = await complete(SONARR, '      dependsOn = [ "prowlarr" ];', '      |\n      dependsOn = [ "prowlarr" ];');
    const names = labels(list);
    for (const present of ['image', 'ports', 'volumes', 'environment', 'dependsOn']) assert.ok(!names.includes(present), present);
    for (const wanted of ['environmentFiles', 'extraOptions', 'user', 'autoStart', 'cmd', 'entrypoint', 'labels', 'devices', 'capabilities', 'privileged', 'networks', 'pull', 'hostname', 'workdir', 'log-driver', 'podman.user']) {
      assert.ok(names.includes(wanted), wanted);
    }
    const items = byLabel(list);
    assert.match(items.environmentFiles.documentation.value, /config\.age\.secrets/);
    assert.equal(items.environmentFiles.insertTextFormat, 2, 'a snippet (the client supports them)');
    assert.equal(items.environmentFiles.textEdit.newText, 'environmentFiles = [ "$1" ];$0');
    assert.equal(items.pull.textEdit.newText, 'pull = "${1|missing,always,newer,never|}";$0');
  });

  test('attribute names are offered in a helper call too, but not in nested attrsets or lists', async () => {
    const helper = await complete('domains/server/containers/prowlarr/index.nix', '      volumes = [ "/opt/media/prowlarr:/config" ];', '      volumes = [ "/opt/media/prowlarr:/config" ];\n      |');
    assert.ok(labels(helper).includes('dependsOn'));
    assert.ok(!labels(helper).includes('image'));
    const environment = await complete(SONARR, '        TZ = "America/Los_Angeles";', '        TZ = "America/Los_Angeles";\n        |');
    assert.equal(environment, null);
    const ports = await complete(SONARR, '        "127.0.0.1:${toString cfg.port}:8989"', '        "127.0.0.1:${toString cfg.port}:8989"\n        |');
    assert.equal(ports, null);
  });

  test('other strings get no suggestions', async () => {
    const list = await complete(SONARR, 'TZ = "America/Los_Angeles";', 'TZ = "America/|";');
    assert.deepEqual(list.items, []);
  });
});
