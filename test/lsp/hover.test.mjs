// Hover over JSON-RPC on the homelab example: an option's resolved value and origin, a
// container's summary, a secret, and the rule explanation on a diagnostic's range.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB, positionOf, read, uriOf } from '../helpers/editorFeatures.mjs';

describe('hover on examples/homelab', () => {
  let server;
  before(async () => {
    server = await startServer(HOMELAB);
    await server.waitReady();
  });
  after(async () => {
    await server.stop();
  });

  async function hover(file, needle, delta = 0, nth = 0) {
    const position = positionOf(read(file), needle, delta, nth);
    return server.request('textDocument/hover', { textDocument: { uri: uriOf(file) }, position });
  }

  test('cfg.port in sonarr shows 8989 and that the value comes from options.nix', async () => {
    const result = await hover('domains/server/containers/sonarr/index.nix', 'cfg.port', 5);
    assert.equal(result.contents.kind, 'markdown');
    const text = result.contents.value;
    assert.match(text, /\*\*`hwc\.server\.containers\.sonarr\.port`\*\* = `8989`/);
    assert.match(text, /default from \[domains\/server\/containers\/sonarr\/options\.nix:6\]/);
    assert.match(text, /`port`/, 'the type');
    assert.match(text, /Port for sonarr/);
    assert.deepEqual(result.range, { start: { line: 12, character: 30 }, end: { line: 12, character: 38 } });
  });

  test('cfg.x through a let binding resolves to the option default; an enable set in the profile says where', async () => {
    const torrent = await hover('domains/server/containers/qbittorrent/index.nix', 'cfg.torrentPort', 5);
    assert.match(torrent.contents.value, /`hwc\.server\.containers\.qbittorrent\.torrentPort`\*\* = `6881`/);
    const enable = await hover('domains/server/containers/sonarr/index.nix', 'cfg.enable', 5);
    assert.match(enable.contents.value, /= `false`/);
    assert.match(enable.contents.value, /Set in \[profiles\/server\.nix:51\]/);
  });

  test('a string option shows its resolved text (route domain)', async () => {
    const result = await hover('domains/server/containers/caddy/routes/paperless.nix', 'cfg.domain', 5);
    assert.match(result.contents.value, /= `"paperless\.local"`/);
    assert.match(result.contents.value, /paperless\/options\.nix:11/);
  });

  test('a container name shows image, ports, state, secrets, route and who depends on it', async () => {
    const result = await hover('domains/server/containers/paperless/index.nix', 'oci-containers.containers.paperless', 27);
    const text = result.contents.value;
    assert.match(text, /^\*\*paperless\*\* — container/);
    assert.match(text, /- image: `ghcr\.io\/paperless-ngx\/paperless-ngx:2\.15\.1`/);
    assert.match(text, /- ports: `127\.0\.0\.1:8000:8000`/);
    assert.match(text, /- state: `\/opt\/business\/paperless`/);
    assert.match(text, /- secrets: `paperless-env`/);
    assert.match(text, /- route: `paperless\.local` \(\[domains\/server\/containers\/caddy\/routes\/paperless\.nix\]/);
    assert.match(text, /- depends on: `postgres`, `redis`/);
    assert.match(text, /- needed by: —/);
    const postgres = await hover('domains/server/containers/postgres/index.nix', 'oci-containers.containers.postgres', 27);
    assert.match(postgres.contents.value, /- needed by: `n8n`, `paperless`/);
    assert.match(postgres.contents.value, /- image: `docker\.io\/library\/postgres:16\.8`/, 'image from the option default');
    assert.match(postgres.contents.value, /- route: —/);
  });

  test('a dependsOn entry and a helper-made container show the same summary', async () => {
    const entry = await hover('domains/server/containers/sonarr/index.nix', '"prowlarr"', 3);
    assert.match(entry.contents.value, /^\*\*prowlarr\*\* — container \(made by `mkContainer`\)/);
    assert.match(entry.contents.value, /- needed by: `radarr`, `sonarr`/);
    assert.match(entry.contents.value, /- state: `\/opt\/media\/prowlarr`/);
  });

  test('a secret reference shows its declaration and users', async () => {
    const result = await hover('domains/server/containers/n8n/index.nix', 'config.age.secrets."n8n-env".path', 22);
    const text = result.contents.value;
    assert.match(text, /age secret `n8n-env`/);
    assert.match(text, /declared in \[domains\/secrets\/index\.nix:13\]/);
    assert.match(text, /file `domains\/secrets\/parts\/server\/n8n-env\.age`/);
    assert.match(text, /used by `n8n`/);
  });

  test('on a diagnostic: the message, one line of why, the fixes and the rule page; nothing more', async () => {
    const result = await hover('domains/server/containers/uptime-kuma/options.nix', 'louislam/uptime-kuma:latest', 4);
    const text = result.contents.value;
    const [title, why, fixes, link, ...rest] = text.split('\n\n');
    assert.match(title, /^\*\*hwc: `image-latest-tag`\*\* \(warning\): .*`louislam\/uptime-kuma:latest`/);
    assert.equal(why, '*Why:* `latest` is not a version.');
    assert.equal(fixes, '*Fixes:* Pin image tag');
    assert.match(link, /^\[Rule documentation\]\(file:\/\/.*docs\/rules\/image-latest-tag\.md\)$/);
    assert.deepEqual(rest, []);
    assert.ok(text.length < 600, `short: ${text.length} characters`);
    assert.deepEqual(result.range, { start: { line: 5, character: 16 }, end: { line: 5, character: 45 } });
  });

  test('a diagnostic and an entity at the same place: both, entity first', async () => {
    const result = await hover('domains/server/containers/paperless/index.nix', 'config.age.secrets."paperless-env".path', 22);
    const [entity, rule] = result.contents.value.split('\n\n---\n\n');
    assert.match(entity, /age secret `paperless-env`/);
    assert.match(rule, /`secret-missing-assertion`\*\* \(warning\)/);
  });

  test('the database port rule on its literal', async () => {
    const result = await hover('domains/server/containers/postgres/index.nix', '"5432:5432"', 3);
    assert.match(result.contents.value, /`database-port-exposed`\*\* \(error\)/);
  });

  test('nothing to say: null', async () => {
    const result = await hover('domains/server/containers/sonarr/index.nix', 'TZ = ', 0);
    assert.equal(result, null);
  });
});
