// Registry-aware images (issue 19) against a real registry: Debian's docker-registry on
// loopback, images built here and pushed with skopeo. `hwc images` and `hwc pin` through the
// CLI: tags across pages, a multi-arch index, the 401 → token → 200 flow, a 429, a registry
// that hangs and one that is down — and nothing written when the registry cannot answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, frontDoor, hasRegistryTools, startRegistry } from '../helpers/registry.mjs';
import { loadTs } from '../helpers/loadTs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hwcBin = path.join(root, 'bin/hwc');


test('tags read as versions: stable newest first, pre-releases, names, dates and architectures last', () => {
  const { sortTagsForPicking, newestOnTrack, newestStable } = loadTs('server/src/registry/tags.ts');
  const tags = ['latest', '1.9.3', '1.10.0', '1.10.0-rc1', '2.0.0', '1.10.1-alpine', 'nightly', 'develop', '20240115', '1.10.0-amd64', 'arm64v8-1.10.0', '2.1.0-beta.2'];
  assert.deepEqual(sortTagsForPicking(tags).map((t) => `${t.tag}:${t.kind}`), [
    '2.0.0:stable', '1.10.0:stable', '1.9.3:stable', '1.10.1-alpine:stable',
    '2.1.0-beta.2:prerelease', '1.10.0-rc1:prerelease',
    'develop:name', 'latest:name', 'nightly:name',
    '20240115:date',
    '1.10.0-amd64:arch', 'arm64v8-1.10.0:arch',
  ]);
  assert.equal(newestOnTrack('1.9.3', tags), '1.10.0', 'same major, not the 2.x line, not the Alpine variant, not a release candidate');
  assert.equal(newestOnTrack('1.9.3', tags, true), '2.0.0', 'across the major when asked');
  assert.equal(newestOnTrack('1.10.0-alpine', [...tags, '1.10.2-alpine']), '1.10.2-alpine', 'a variant stays on its variant');
  assert.equal(newestOnTrack('4.0.14.2939-ls255', ['4.0.14.2939-ls255', '4.0.15.2941-ls256', '5.0.0.1-ls1']), '4.0.15.2941-ls256', 'linuxserver builds');
  assert.equal(newestOnTrack('0.9.1', ['0.10.0', '0.9.4']), '0.9.4', 'a 0.x minor is a major');
  assert.equal(newestOnTrack('2024.11.3', ['2024.12.4', '2024.12.0b1', '2025.1.0']), '2024.12.4', 'calendar versions are releases');
  assert.equal(newestStable(tags), '2.0.0');
});

test('credentials: the first auth file that is a readable regular file counts (a FIFO is skipped, never a hang); Docker Hub under its old names', { timeout: 10_000 }, () => {
  const { loadCredentials } = loadTs('server/src/registry/credentials.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-auth-'));
  try {
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: 'dXNlcjpwYXNz' }, 'https://index.docker.io/v1/': { auth: 'aHViOnNlY3JldA==' } } }));
    const credentials = loadCredentials([path.join(dir, 'fifo.json'), path.join(dir, 'missing.json'), path.join(dir, 'config.json')]);
    assert.equal(credentials.source, path.join(dir, 'config.json'));
    assert.equal(credentials.basicFor('ghcr.io'), 'dXNlcjpwYXNz');
    assert.equal(credentials.basicFor('docker.io'), 'aHViOnNlY3JldA==');
    assert.equal(credentials.basicFor('quay.io'), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('hwc images and hwc pin against a real registry', { skip: !hasRegistryTools() && 'docker-registry and skopeo are not installed', timeout: 180_000 }, () => {
  let registry;
  let digests;
  before(async () => {
    registry = await startRegistry();
    // Twelve tags (more than one page of 5); `latest` is 2.0.0; 1.10.1 is a two-architecture index.
    digests = registry.push('library/app', [['2.0.0', 'latest'], '1.9.3', '1.10.0', '1.10.1', '2.1.0-rc1', 'nightly', '1.10.1-alpine', '1.10.2-alpine', '20240115', 'arm64v8-1.10.1', '1.8.0'], { multiArch: ['1.10.1'] });
  });
  after(async () => {
    await registry?.stop();
  });

  /** A workspace whose images live on `host`: app's image in an option default, tools' inline with `latest`. */
  function workspace(host, { lookups = true } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-images-'));
    const write = (file, text) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('flake.nix', '{\n  description = "homelab";\n  outputs = { self, nixpkgs }: { };\n}\n');
    write('.hwc-lint.json', JSON.stringify({ registry: { lookups, insecureHosts: [host] } }, null, 2));
    write('domains/server/containers/app/options.nix', `{ lib, ... }:\n{\n  options.hwc.server.containers.app = {\n    enable = lib.mkEnableOption "app";\n    image = lib.mkOption {\n      type = lib.types.str;\n      default = "${host}/library/app:1.9.3";\n    };\n  };\n}\n`);
    write('domains/server/containers/app/index.nix', `{ config, lib, ... }:\nlet\n  cfg = config.hwc.server.containers.app;\nin\n{\n  imports = [ ./options.nix ];\n\n  config = lib.mkIf cfg.enable {\n    virtualisation.oci-containers.containers.app = {\n      image = cfg.image;\n      ports = [ "127.0.0.1:8080:8080" ];\n    };\n    virtualisation.oci-containers.containers.tools = {\n      image = "${host}/library/app:latest";\n    };\n  };\n}\n`);
    return dir;
  }
  // Asynchronous: the front doors run in this process and must answer while hwc waits.
  const hwc = (args, env = {}) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [hwcBin, ...args], { env: { ...process.env, NO_COLOR: '1', HWC_REGISTRY_PAGE_SIZE: '5', ...env }, timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const snapshot = (dir) => Object.fromEntries(['domains/server/containers/app/options.nix', 'domains/server/containers/app/index.nix'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

  test('hwc images --format json: current, newest stable on the track (across pages), digest, outdated', async () => {
    const dir = workspace(registry.host);
    const r = await hwc(['images', '--root', dir, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const images = JSON.parse(r.stdout);
    assert.deepEqual(images, [
      { container: 'tools', image: `${registry.host}/library/app:latest`, file: 'domains/server/containers/app/index.nix', line: 14, current: 'latest', newest: '2.0.0', digest: digests.latest, outdated: false },
      { container: 'app', image: `${registry.host}/library/app:1.9.3`, file: 'domains/server/containers/app/options.nix', line: 7, current: '1.9.3', newest: '1.10.1', digest: digests['1.9.3'], outdated: true },
    ]);
    const outdated = JSON.parse((await hwc(['images', '--root', dir, '--format', 'json', '--outdated'])).stdout);
    assert.deepEqual(outdated.map((i) => i.container), ['app']);
    const text = (await hwc(['images', '--root', dir])).stdout;
    assert.match(text, /options\.nix:7: app: .*app:1\.9\.3 — behind: 1\.10\.1 is out/);
    assert.match(text, /2 images, 1 behind/);
  });

  test('hwc pin --latest-stable edits the option default; --to with --digest pins the multi-arch index digest; the file parses and the tag rule is quiet', async () => {
    const dir = workspace(registry.host);
    let r = await hwc(['pin', 'app', '--latest-stable', '--root', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /pinned domains\/server\/containers\/app\/options\.nix:7: .*app:1\.9\.3 → .*app:1\.10\.1/);
    assert.match(fs.readFileSync(path.join(dir, 'domains/server/containers/app/options.nix'), 'utf8'), new RegExp(`default = "${registry.host}/library/app:1\\.10\\.1";`));
    r = await hwc(['pin', 'tools', '--to', '1.10.1', '--digest', '--root', dir]);
    assert.equal(r.status, 0, r.stderr);
    const index = fs.readFileSync(path.join(dir, 'domains/server/containers/app/index.nix'), 'utf8');
    assert.ok(index.includes(`image = "${registry.host}/library/app:1.10.1@${digests['1.10.1']}";`), index);
    assert.equal((await hwc(['pin', 'app', '--to', '1.10.1', '--root', dir])).status, 1, 'nothing to do');
    execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', path.join(dir, 'domains/server/containers/app/index.nix'), path.join(dir, 'domains/server/containers/app/options.nix')], { stdio: 'pipe' });
    const lint = JSON.parse((await hwc(['lint', '--root', dir, '--format', 'json'])).stdout);
    assert.deepEqual(lint.filter((f) => f.rule === 'image-latest-tag'), []);
  });

  test('image-outdated: hwc lint with lookups reports a pin behind its track, on the literal; silent when off or when lookups are off', async () => {
    const dir = workspace(registry.host);
    const lint = async (extra = {}) => {
      if (Object.keys(extra).length) fs.writeFileSync(path.join(dir, '.hwc-lint.json'), JSON.stringify({ registry: { lookups: true, insecureHosts: [registry.host] }, ...extra }));
      return JSON.parse((await hwc(['lint', '--root', dir, '--format', 'json'])).stdout);
    };
    const outdated = (await lint()).filter((f) => f.rule === 'image-outdated');
    assert.deepEqual(outdated.map((f) => [f.file, f.line, f.severity]), [['domains/server/containers/app/options.nix', 7, 'info']]);
    assert.match(outdated[0].message, /app: image `.*app:1\.9\.3` is behind: `1\.10\.1` is the newest stable release on its track/);
    assert.deepEqual((await lint({ rules: { 'image-outdated': 'off' } })).filter((f) => f.rule === 'image-outdated'), []);
    fs.writeFileSync(path.join(dir, '.hwc-lint.json'), JSON.stringify({ registry: { lookups: false, insecureHosts: [registry.host] } }));
    assert.deepEqual(JSON.parse((await hwc(['lint', '--root', dir, '--format', 'json'])).stdout).filter((f) => f.rule === 'image-outdated'), []);
  });

  test('a registry that wants a token: 401 → anonymous token → 200', async () => {
    const door = await frontDoor(registry.host, 'token');
    try {
      const dir = workspace(door.host);
      const r = await hwc(['images', '--root', dir, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).find((i) => i.container === 'app').newest, '1.10.1');
      assert.ok(door.seen.some((s) => s.startsWith('GET /token?service=hwc-test&scope=repository%3Alibrary%2Fapp%3Apull')), door.seen.join('\n'));
    } finally {
      await door.stop();
    }
  });

  test('429, a registry that hangs, one that is down: a clear message, exit 2, nothing written', async () => {
    for (const mode of ['429', 'hang', 'down']) {
      const door = mode === 'down' ? { host: `127.0.0.1:${await freePort()}`, stop: async () => {} } : await frontDoor(registry.host, mode);
      try {
        const dir = workspace(door.host);
        const before = snapshot(dir);
        const r = await hwc(['pin', 'app', '--latest-stable', '--root', dir], { HWC_REGISTRY_TIMEOUT_MS: '800' });
        assert.equal(r.status, 2, `${mode}: ${r.stdout}${r.stderr}`);
        const expected = { 429: /rate limited \(HTTP 429, retry after 120 s\)/, hang: /no answer within 0\.8 s/, down: /cannot reach the registry \(ECONNREFUSED\)/ }[mode];
        assert.match(r.stderr, expected, mode);
        assert.match(r.stderr, /nothing was written/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
        assert.deepEqual(snapshot(dir), before, `${mode}: files unchanged`);
        const images = await hwc(['images', '--root', dir, '--format', 'json'], { HWC_REGISTRY_TIMEOUT_MS: '800' });
        assert.equal(images.status, 2);
        for (const image of JSON.parse(images.stdout)) {
          assert.match(image.error, expected);
          assert.equal(image.newest, null);
        }
      } finally {
        await door.stop();
      }
    }
  });

  test('lookups stay off until the configuration turns them on; plain HTTP only for loopback', async () => {
    const dir = workspace(registry.host, { lookups: false });
    const r = await hwc(['images', '--root', dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /registry lookups are off: add "registry": \{ "lookups": true \} to \.hwc-lint\.json/);
    assert.equal((await hwc(['pin', 'app', '--to', '1.10.0', '--root', dir])).status, 0, 'pinning to a given tag needs no registry');
    fs.writeFileSync(path.join(dir, '.hwc-lint.json'), JSON.stringify({ registry: { lookups: true, insecureHosts: ['registry.example.org:5000'] } }));
    const refused = await hwc(['images', '--root', dir]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /plain HTTP is allowed only for loopback registries/);
  });
});
