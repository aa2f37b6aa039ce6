// What the generator refuses, with the reason, before anything is written: bad names,
// duplicates, collisions with existing files, unpinned images, port clashes, exposed
// databases, unknown dependencies, taken domains, values that are not secrets' values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanup, engine, generate, scratchWorkspace, snapshot } from '../fixtures/scaffold/harness.mjs';

after(cleanup);

let root;
let untouched;
before(() => {
  ({ root } = scratchWorkspace());
  untouched = snapshot(root);
});

async function refused(spec, pattern, field) {
  await assert.rejects(generate(root, spec), (error) => {
    assert.ok(error instanceof engine.ScaffoldError, `a ScaffoldError, got ${error}`);
    assert.match(error.message, pattern);
    if (field) assert.ok(error.problems.some((p) => p.field === field), `a problem on ${field}: ${JSON.stringify(error.problems)}`);
    return true;
  });
  assert.deepEqual(snapshot(root), untouched, 'nothing was written');
}

const ok = { image: 'ghcr.io/example/app:1.0.0' };

describe('names', () => {
  for (const [name, pattern] of [
    ['../x', /path characters/],
    ['a/b', /path characters/],
    ['a\\b', /path characters/],
    ['Foo', /upper-case/],
    ['a b', /spaces/],
    ['', /a name is required/],
    ['-x', /not kebab-case/],
    ['x--y', /not kebab-case/],
    ['9lives', /not kebab-case/],
    ['under_score', /not kebab-case/],
    ['if', /Nix keyword/],
    ['a'.repeat(64), /at most 63/],
  ]) {
    test(`${JSON.stringify(name)} is refused`, () => refused({ ...ok, name }, pattern, 'name'));
  }
  test('an existing container name is refused', () => refused({ ...ok, name: 'sonarr' }, /a container named `sonarr` already exists/, 'name'));
  test('a container defined by a helper call counts too', () => refused({ ...ok, name: 'prowlarr' }, /already exists/, 'name'));
});

describe('collisions with files on disk', () => {
  test('a stray route file for the name', async () => {
    const route = path.join(root, 'domains/server/containers/caddy/routes/newapp.nix');
    writeFileSync(route, '{ }\n');
    untouched = snapshot(root);
    await refused({ ...ok, name: 'newapp', ports: ['7000:7000'], proxy: {} }, /domains\/server\/containers\/caddy\/routes\/newapp\.nix already exists; nothing was written/, 'workspace');
  });
  test('an existing .age file for the secret', async () => {
    writeFileSync(path.join(root, 'domains/secrets/parts/server/other-env.age'), 'x');
    untouched = snapshot(root);
    await refused({ ...ok, name: 'other', secrets: ['TOKEN'] }, /other-env\.age already exists/, 'workspace');
  });
  test('a module folder holding only an index.nix the index does not know as a container', async () => {
    mkdirSync(path.join(root, 'domains/server/containers/half'));
    writeFileSync(path.join(root, 'domains/server/containers/half/options.nix'), '{ ... }: { }\n');
    untouched = snapshot(root);
    await refused({ ...ok, name: 'half' }, /module folder `domains\/server\/containers\/half` already exists/, 'name');
  });
});

describe('images', () => {
  test('latest', () => refused({ name: 'x1', image: 'louislam/uptime-kuma:latest' }, /the `latest` tag changes under you/, 'image'));
  test('no tag', () => refused({ name: 'x1', image: 'nginx' }, /has no tag, which means `latest`/, 'image'));
  test('something that is not an image', () => refused({ name: 'x1', image: 'nginx:1.27"; evil = "' }, /not an image reference|spaces/, 'image'));
  test('a malformed digest', () => refused({ name: 'x1', image: 'nginx@sha256:abc' }, /64 hex digits/, 'image'));
});

describe('ports', () => {
  test('a host port another container publishes (sonarr on 127.0.0.1:8989)', () => refused({ ...ok, name: 'x2', ports: ['8989:80'] }, /host port 8989 is already published by sonarr/, 'ports'));
  test('the same host port twice', () => refused({ ...ok, name: 'x2', ports: ['7001:80', '7001:81'] }, /listed twice/, 'ports'));
  test('a database on every interface', () => refused({ name: 'pg2', image: 'postgres:16.8', ports: ['0.0.0.0:5433:5432'] }, /would publish the database postgres on every interface/, 'ports'));
  test('malformed mappings', async () => {
    await refused({ ...ok, name: 'x2', ports: ['70000:80'] }, /not a port or range within 1–65535/, 'ports');
    await refused({ ...ok, name: 'x2', ports: ['8000-8010:8000-8010'] }, /one port per mapping/, 'ports');
    await refused({ ...ok, name: 'x2', ports: ['127.0.0.1::80'] }, /give the host port too/, 'ports');
  });
  test('a proxy needs a TCP port', () => refused({ ...ok, name: 'x2', proxy: {} }, /Caddy needs the TCP port/, 'proxy'));
});

describe('everything else', () => {
  test('unknown dependency, self dependency', async () => {
    await refused({ ...ok, name: 'x3', dependsOn: ['nope'] }, /no container named `nope`/, 'dependsOn');
    await refused({ ...ok, name: 'x3', dependsOn: ['x3'] }, /cannot depend on itself/, 'dependsOn');
  });
  test('a domain another module serves', () => refused({ ...ok, name: 'x4', ports: ['7002:80'], proxy: { domain: 'sonarr.local' } }, /`sonarr\.local` is already served/, 'proxy'));
  test('bad domain, email, basic auth', async () => {
    await refused({ ...ok, name: 'x4', ports: ['7002:80'], proxy: { domain: 'Bad Domain' } }, /not a host name/, 'proxy');
    await refused({ ...ok, name: 'x4', ports: ['7002:80'], proxy: { tlsEmail: 'nope' } }, /not an email address/, 'proxy');
    await refused({ ...ok, name: 'x4', ports: ['7002:80'], proxy: { basicAuth: { user: 'admin', hash: 'plaintext-password' } } }, /not a bcrypt hash/, 'proxy');
  });
  test('an unknown category', () => refused({ ...ok, name: 'x5', category: 'apps' }, /`apps` is not one of the configured categories/, 'category'));
  test('a device service on a custom network', () => refused({ name: 'jellyfin', image: 'jellyfin/jellyfin:10.10.3', network: 'hwc-db' }, /use the host network/, 'network'));
  test('an image listed in discoveryImages on a custom network', async () => {
    const { root: configured } = scratchWorkspace();
    writeFileSync(path.join(configured, '.hwc-lint.json'), JSON.stringify({ discoveryImages: ['homebridge'] }));
    await assert.rejects(generate(configured, { name: 'homebridge', image: 'docker.io/homebridge/homebridge:2024-11-05', network: 'hwc-db' }), /homebridge discovers devices on the LAN/);
  });
  test('a built-in network mode as a custom network', () => refused({ ...ok, name: 'x6', network: 'bridge' }, /built-in Podman network mode/, 'network'));
  test('secrets: bad names, an existing declaration, values that do not match', async () => {
    await refused({ ...ok, name: 'x7', secrets: ['1BAD'] }, /not an environment variable name/, 'secrets');
    await refused({ ...ok, name: 'n8n2', secrets: ['A', 'A'] }, /listed twice/, 'secrets');
    await refused({ ...ok, name: 'x7', secrets: ['A'], secretValues: { A: 'x', B: 'y' } }, /value was given for `B`/, 'secrets');
    await refused({ ...ok, name: 'x7', secrets: ['A', 'B'], secretValues: { A: 'x' } }, /no value for `B`/, 'secrets');
    await refused({ ...ok, name: 'x7', secrets: ['A'], secretValues: { A: 'two\nlines' } }, /line breaks/, 'secrets');
    await refused({ ...ok, name: 'x7', secrets: ['A'], encryptedSecrets: 'A=plaintext\n' }, /not an ASCII-armored age file/, 'secrets');
  });
  test('a malformed request', () => refused({ name: 'x8', image: 'a:1', extra: true }, /invalid request/, 'workspace'));
  test('every problem at once, not only the first', async () => {
    await assert.rejects(generate(root, { name: 'Foo', image: 'nginx', ports: ['bad'], dependsOn: ['nope'] }), (error) => {
      assert.deepEqual(error.problems.map((p) => p.field).sort(), ['dependsOn', 'image', 'name', 'ports']);
      return true;
    });
  });
});
