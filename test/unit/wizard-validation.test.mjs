// The New Container wizard's checks (client/src/newContainer/validation.ts, VS Code-free)
// with good and bad input for each of the eight steps, against the context the server
// reports for examples/homelab.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { engine, repoRoot } from '../fixtures/scaffold/harness.mjs';
import { loadTs } from '../helpers/loadTs.mjs';


const v = loadTs('client/src/newContainer/validation.ts');

let ctx;
before(async () => {
  await engine.initParser();
  const root = path.join(repoRoot, 'examples/homelab');
  const ws = new engine.Workspace(root);
  ws.loadAll();
  ctx = engine.collectFacts({ root, config: ws.config, index: ws.index, files: engine.diskFileAccess(root) });
});

describe('1. name', () => {
  test('good names', () => {
    for (const name of ['bazarr', 'paperless-ai', 'n8n2', 'a']) assert.equal(v.validateName(name, ctx), undefined, name);
  });
  test('bad names, each with its reason', () => {
    const cases = {
      '../x': /path characters/, 'a/b': /path characters/, Foo: /upper-case.*`foo`/, 'a b': /spaces.*`a-b`/, '': /required/,
      sonarr: /already exists/, redis: /already exists/, 'x-': /not kebab-case/, let: /Nix keyword/,
    };
    for (const [name, pattern] of Object.entries(cases)) assert.match(v.validateName(name, ctx) ?? '', pattern, JSON.stringify(name));
  });
});

describe('2. image', () => {
  test('pinned tags and digests pass; databases are announced', () => {
    assert.deepEqual(v.validateImage('lscr.io/linuxserver/bazarr:1.5.1', ctx), {});
    assert.deepEqual(v.validateImage(`nginx@sha256:${'a'.repeat(64)}`, ctx), {});
    assert.match(v.validateImage('postgres:16.8', ctx).info, /postgres is a database image: its ports are bound to 127\.0\.0\.1/);
    assert.match(v.validateImage('registry.local:5000/team/app:2.0', ctx).info ?? 'none', /none/, 'a registry port is not a tag');
  });
  test('latest, no tag and junk are refused', () => {
    assert.match(v.validateImage('nginx:latest', ctx).error, /latest/);
    assert.match(v.validateImage('nginx', ctx).error, /no tag/);
    assert.match(v.validateImage('registry.local:5000/app', ctx).error, /no tag/);
    assert.match(v.validateImage('', ctx).error, /required/);
    assert.match(v.validateImage('nginx:1.2 x', ctx).error, /spaces/);
    assert.match(v.validateImage('a"b:1', ctx).error, /not an image reference/);
  });
  test('images in use are offered, unpinned ones are not', () => {
    const offered = v.imageSuggestions(ctx);
    assert.ok(offered.includes('lscr.io/linuxserver/sonarr:4.0.14'));
    assert.ok(!offered.some((i) => i.endsWith(':latest')));
  });
});

describe('3. ports', () => {
  const image = 'ghcr.io/example/app:1.0.0';
  test('pairs, single ports, addresses, udp; none at all', () => {
    assert.deepEqual(v.validatePorts('7000:80, 127.0.0.1:7001:81 7002 53:53/udp', ctx, image).ports, ['7000:80', '127.0.0.1:7001:81', '7002:7002', '53:53/udp']);
    assert.deepEqual(v.validatePorts('', ctx, image), { ports: [], info: 'no published ports (the container is reached over a Podman network, or needs none)' });
  });
  test('a database is bound to 127.0.0.1 and the user is told why', () => {
    const verdict = v.validatePorts('5433:5432', ctx, 'postgres:16.8');
    assert.equal(verdict.error, undefined);
    assert.match(verdict.info, /bound to 127\.0\.0\.1: postgres is a database, and published ports bypass the NixOS firewall/);
    assert.match(v.validatePorts('0.0.0.0:5433:5432', ctx, 'postgres:16.8').error, /every interface/);
  });
  test('a bare port on a known image means its own port inside; on an unknown image the user is told it is the same inside', () => {
    const abs = v.validatePorts('13378', ctx, 'ghcr.io/advplyr/audiobookshelf:2.17.5');
    assert.deepEqual(abs.ports, ['13378:80']);
    assert.equal(abs.info, '13378 → 13378:80 (audiobookshelf listens on 80 inside)');
    assert.equal(v.validatePorts('7002', ctx, image).info, '7002 → 7002:7002: the same port inside; write host:container if the app listens on another');
    assert.equal(v.initialPorts('lscr.io/linuxserver/sonarr:4.0.14'), '8989:8989', 'the step starts from the documented port');
    assert.equal(v.initialPorts(image), '', 'an unknown image starts empty');
  });
  test('messages shown in input boxes have no Markdown backticks', () => {
    assert.equal(v.plainText('`a b` is not kebab-case (`my-service`)'), '"a b" is not kebab-case ("my-service")');
  });
  test('clashes and malformed mappings', () => {
    assert.match(v.validatePorts('8989:80', ctx, image).error, /already published by sonarr/);
    assert.match(v.validatePorts('127.0.0.1:8989:80', ctx, image).error, /already published by sonarr/);
    assert.equal(v.validatePorts('192.168.1.5:8989:80', ctx, image).error, undefined, 'another address does not clash');
    assert.match(v.validatePorts('7000:80 7000:81', ctx, image).error, /listed twice/);
    assert.match(v.validatePorts('99999:80', ctx, image).error, /1–65535/);
    assert.match(v.validatePorts('abc', ctx, image).error, /not a port/);
    assert.match(v.validatePorts('8000-8010:8000-8010', ctx, image).error, /no ranges/);
  });
});

describe('4. category', () => {
  test('the configured categories with descriptions; databases preselected for a database image', () => {
    const items = v.categoryItems(ctx, 'postgres:16.8', 'pg2');
    assert.deepEqual(items.map((i) => i.label), ['media', 'services', 'databases', 'monitoring', 'business']);
    assert.equal(items.find((i) => i.picked).label, 'databases');
    assert.match(items[0].description, /Media stack .* \/opt\/media\/pg2/);
    assert.equal(v.categoryItems(ctx, 'ghcr.io/example/app:1.0.0', 'x').find((i) => i.picked).label, 'services');
  });
  test('the category is preselected from well-known images', () => {
    const picked = (image) => v.categoryItems(ctx, image, 'x').find((i) => i.picked).label;
    assert.equal(picked('lscr.io/linuxserver/bazarr:1.5.1'), 'media');
    assert.equal(picked('lscr.io/linuxserver/sabnzbd:4.4.1'), 'media');
    assert.equal(picked('lscr.io/linuxserver/qbittorrent:5.0.3'), 'media');
    assert.equal(picked('grafana/grafana:11.4.0'), 'monitoring');
    assert.equal(picked('ghcr.io/paperless-ngx/paperless-ngx:2.13.5'), 'business');
    assert.equal(picked('docker.io/library/mariadb:11.4'), 'databases');
  });
});

describe('5. network', () => {
  test('port mapping first, host, the existing hwc-db, then a new one', () => {
    const items = v.networkItems(ctx);
    assert.deepEqual(items.map((i) => i.value), [undefined, 'host', 'hwc-db', v.NEW_NETWORK]);
    assert.match(items[2].description, /postgres/);
  });
  test('new network names', () => {
    assert.match(v.validateNewNetwork('hwc-apps', ctx).info, /a systemd service creates `hwc-apps`/);
    assert.match(v.validateNewNetwork('hwc-db', ctx).info, /exists already/);
    assert.match(v.validateNewNetwork('host', ctx).error, /pick it from the list/);
    assert.match(v.validateNewNetwork('bridge', ctx).error, /built-in/);
    assert.match(v.validateNewNetwork('bad name', ctx).error, /not a Podman network name/);
  });
});

describe('6. reverse proxy', () => {
  test('needs a TCP port', () => {
    assert.equal(v.proxyUnavailable(['7000:80']), undefined);
    assert.match(v.proxyUnavailable([]), /needs a TCP port/);
    assert.match(v.proxyUnavailable(['53:53/udp']), /needs a TCP port/);
  });
  test('domain, TLS email, basic auth', () => {
    assert.equal(v.validateDomain('bazarr.local', ctx), undefined);
    assert.match(v.validateDomain('sonarr.local', ctx), /already served/);
    assert.match(v.validateDomain('Not A Domain', ctx), /not a host name/);
    assert.equal(v.validateTlsEmail(''), undefined, 'empty: no TLS');
    assert.equal(v.validateTlsEmail('ops@example.com'), undefined);
    assert.match(v.validateTlsEmail('ops'), /not an email/);
    assert.equal(v.validateBasicAuthUser(''), undefined, 'empty: no basic auth');
    assert.match(v.validateBasicAuthUser('a b'), /user name/);
    assert.equal(v.validateBcryptHash('$2a$14$FE49FpJOiCicpzjOcvrcUetou6oQnl1ComMqxf.7L8xoAUXzYWYo6'), undefined);
    assert.match(v.validateBcryptHash('hunter2'), /caddy hash-password/);
  });
});

describe('7. secrets', () => {
  test('names, and what happens to the values', () => {
    assert.deepEqual(v.validateSecretNames('API_KEY DB_PASSWORD', ctx, 'app'), { names: ['API_KEY', 'DB_PASSWORD'], info: 'next: one password box per value, encrypted in memory to 1 recipient' });
    assert.deepEqual(v.validateSecretNames('', ctx, 'app'), { names: [], info: 'no secrets' });
    assert.match(v.validateSecretNames('API_KEY 1BAD', ctx, 'app').error, /not an environment variable name/);
    assert.match(v.validateSecretNames('A A', ctx, 'app').error, /listed twice/);
    assert.match(v.validateSecretNames('A', ctx, 'n8n').error, /`n8n-env` is already declared/);
    assert.match(v.validateSecretNames('A', { ...ctx, recipients: [] }, 'app').info, /no age recipients.*`age` command/);
  });
  test('values', () => {
    assert.equal(v.validateSecretValue('s3cret with spaces=and equals'), undefined);
    assert.match(v.validateSecretValue(''), /empty/);
    assert.match(v.validateSecretValue('two\nlines'), /line breaks/);
  });
});

describe('8. dependencies', () => {
  test('every other container', () => {
    const items = v.dependencyItems(ctx, 'postgres');
    assert.ok(items.includes('sonarr') && items.includes('redis'));
    assert.ok(!items.includes('postgres'));
  });
});

describe('the spec', () => {
  test('answers become the generator spec, with no plaintext', () => {
    const spec = v.buildSpec(
      { name: 'app', image: ' ghcr.io/example/app:1.0.0 ', ports: ['7000:80'], category: 'services', network: 'hwc-db', proxy: { domain: 'app.local', tlsEmail: '  ' }, secrets: ['TOKEN'], dependsOn: ['postgres'] },
      '-----BEGIN AGE ENCRYPTED FILE-----\n…\n-----END AGE ENCRYPTED FILE-----\n',
    );
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), {
      name: 'app', image: 'ghcr.io/example/app:1.0.0', ports: ['7000:80'], category: 'services', network: 'hwc-db', proxy: { domain: 'app.local' }, secrets: ['TOKEN'],
      encryptedSecrets: '-----BEGIN AGE ENCRYPTED FILE-----\n…\n-----END AGE ENCRYPTED FILE-----\n', dependsOn: ['postgres'],
    });
    assert.equal(engine.newContainerSpecSchema.safeParse(JSON.parse(JSON.stringify(spec))).success, true, 'the server accepts it');
  });
});
