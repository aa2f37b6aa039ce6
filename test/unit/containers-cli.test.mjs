// `hwc containers`: the inventory as a process. The JSON contract (sorted, relative paths,
// each unknown value with the evaluator's or resolver's reason), the text for a terminal
// (control characters from the repository escaped), path narrowing and usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');
const fixture = path.join(repo, 'test', 'fixtures', 'inventory');

function hwc(args, cwd = repo) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [hwcBin, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inventory(args = []) {
  const r = hwc(['containers', '--root', fixture, '--format', 'json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('json lists every container sorted by name, then file; a container defined twice appears once per file', () => {
  const containers = inventory();
  assert.deepEqual(
    containers.map((c) => `${c.name} ${c.file}:${c.line}`),
    [
      'immich-db domains/server/containers/immich/index.nix:21',
      'immich-server domains/server/containers/immich/index.nix:9',
      'jellyfin domains/server/containers/jellyfin/index.nix:11',
      'jellyfin-vue domains/server/containers/jellyfin/index.nix:18',
      'whoami domains/server/containers/whoami/index.nix:9',
      'whoami hosts/test/whoami.nix:4',
    ],
  );
  for (const c of containers) {
    const files = [c.file, ...c.image.map((v) => v.file), ...c.volumes.map((v) => v.file), ...c.statePaths.map((s) => s.file)];
    for (const file of files) assert.ok(!path.isAbsolute(file) && !file.includes('\\'), `${file} is workspace-relative with / separators`);
  }
});

test('resolved values come with where they are written; state paths carry their category, custom ones included', () => {
  const server = inventory().find((c) => c.name === 'immich-server');
  assert.deepEqual(server.image.map((v) => v.value), ['ghcr.io/immich-app/immich-server:v1.132.3']);
  assert.deepEqual(server.ports.map((v) => v.value), ['127.0.0.1:2283:2283']);
  assert.deepEqual(server.networks.map((v) => v.value), ['immich']);
  assert.deepEqual(server.secrets, ['immich-env']);
  assert.deepEqual(server.dependsOn.map((v) => v.value), ['immich-db']);
  assert.deepEqual(server.statePaths.map((s) => [s.path, s.category, s.configuredCategory]), [['/opt/photos/immich-server', 'photos', true]]);
  assert.equal(server.category, 'photos');
  assert.deepEqual(server.domains.map((d) => [d.domain, d.file]), [['photos.home.arpa', 'domains/server/containers/caddy/routes.nix']]);
  const db = inventory().find((c) => c.name === 'immich-db');
  assert.deepEqual(db.networks.map((v) => v.value), ['immich'], '`--network` followed by the name as the next item');
  assert.deepEqual(db.domains, [], 'the module\'s route proxies to the server, not to its database');
});

test('unknown values say why, in the words of the evaluator or the resolver', () => {
  const containers = inventory();
  const upload = containers.find((c) => c.name === 'immich-server').volumes[1];
  assert.equal(upload.value, null);
  assert.equal(upload.partial, '…:/usr/src/app/upload');
  assert.equal(upload.unknown, 'option `hwc.server.containers.immich.uploadDir` has no default');
  const vue = containers.find((c) => c.name === 'jellyfin-vue');
  assert.deepEqual(vue.image.map((v) => [v.value, v.unknown]), [[null, 'function `pkgs.dockerTools.pullImage` not modelled']]);
  assert.deepEqual(vue.networks.map((v) => v.value), ['host']);
  const jellyfin = containers.find((c) => c.name === 'jellyfin');
  assert.equal(jellyfin.helper, 'mkContainer');
  assert.equal(jellyfin.image[0].value, 'docker.io/jellyfin/jellyfin:10.10.7');
  assert.match(jellyfin.volumes[0].unknown, /not passed to `mkContainer`/);
  const envFile = containers.find((c) => c.name === 'immich-db').environmentFiles[0];
  assert.equal(envFile.unknown, 'path of agenix secret `immich-env`, set by agenix at activation');
});

test('paths narrow the listing to the containers defined there', () => {
  const r = hwc(['containers', '--format', 'json', 'hosts/test'], fixture);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).map((c) => `${c.name} ${c.file}`), ['whoami hosts/test/whoami.nix']);
});

test('text output: one block per container, unknowns with their reason and site, a summary with the share of known images', () => {
  const r = hwc(['containers', '--root', fixture]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('\u001b['), 'no colour when stdout is a pipe');
  assert.match(r.stdout, /^jellyfin-vue {2}domains\/server\/containers\/jellyfin\/index\.nix:18 {2}\(module jellyfin\)\n {2}image {7}unknown: function `pkgs\.dockerTools\.pullImage` not modelled \(domains\/server\/containers\/jellyfin\/index\.nix:19\)$/m);
  assert.match(r.stdout, /^ {2}state {7}\/opt\/photos\/immich-server$/m);
  assert.match(r.stdout, /^whoami {2}hosts\/test\/whoami\.nix:4$/m);
  assert.match(r.stdout, /^6 containers in 4 files; image known for 5 \(83%\)$/m);
});

test('text output escapes control characters that repository text smuggles in', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-inventory-'));
  try {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { ... }: { }; }\n');
    fs.mkdirSync(path.join(dir, 'hosts'));
    // A raw ESC and BEL inside a Nix string: valid Nix, and an OSC sequence that would retitle the terminal.
    fs.writeFileSync(
      path.join(dir, 'hosts', 'web.nix'),
      '{ ... }:\n{\n  virtualisation.oci-containers.containers.web = {\n    image = "nginx:1.27\u001b]0;owned\u0007";\n    volumes = [ "/opt/services/web\u001b[2J:/data" ];\n  };\n}\n',
    );
    const r = hwc(['containers', '--root', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\u001b') && !r.stdout.includes('\u0007'), 'no raw control character reaches the terminal');
    assert.match(r.stdout, /image {7}nginx:1\.27\\x1b\]0;owned\\x07$/m);
    assert.match(r.stdout, /volumes {5}\/opt\/services\/web\\x1b\[2J:\/data$/m);
    const json = JSON.parse(hwc(['containers', '--root', dir, '--format', 'json']).stdout);
    assert.equal(json[0].image[0].value, 'nginx:1.27\u001b]0;owned\u0007', 'JSON keeps the value exactly (JSON escapes it)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2', () => {
  assert.equal(hwc(['containers', '--root', fixture, '--format', 'sarif']).code, 2);
  assert.equal(hwc(['containers', path.join(fixture, 'no-such-folder')]).code, 2);
});
