// The pieces fixes are built from: value rewrites (loopback, read-only, tag pins, closest
// names), the line diff behind fix-all's minimal edits and --fix-dry-run's patch, and
// edits on files with CRLF line ends or odd first lines.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engine, ready, assertNixParses } from '../fixtures/fixes/harness.mjs';

before(ready);

test('loopbackMapping keeps everything but the address', () => {
  const cases = {
    '5432:5432': '127.0.0.1:5432:5432',
    '0.0.0.0:53:53/udp': '127.0.0.1:53:53/udp',
    '[::]:8080:80': '[::1]:8080:80',
    '6379': '127.0.0.1::6379',
    ':6379': '127.0.0.1::6379',
    '8000-8010:8000-8010': '127.0.0.1:8000-8010:8000-8010',
  };
  for (const [from, to] of Object.entries(cases)) assert.equal(engine.loopbackMapping(from)?.text, to, from);
  assert.equal(engine.loopbackMapping('127.0.0.1:5432:5432'), null, 'already bound');
  assert.equal(engine.loopbackMapping('not a port'), null);
});

test('readOnlyVolume adds ro the way podman reads it', () => {
  assert.equal(engine.readOnlyVolume('/mnt/media:/media'), '/mnt/media:/media:ro');
  assert.equal(engine.readOnlyVolume('/mnt/media:/media:z'), '/mnt/media:/media:z,ro');
  assert.equal(engine.readOnlyVolume('/mnt/media:/media:rw,Z'), '/mnt/media:/media:ro,Z');
  assert.equal(engine.readOnlyVolume('/mnt/media:/media:ro'), null);
});

test('parsePin accepts tags and digests and explains the rest', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  assert.deepEqual(engine.parsePin('1.2.3'), { tag: '1.2.3', digest: null });
  assert.deepEqual(engine.parsePin(digest), { tag: null, digest });
  assert.deepEqual(engine.parsePin('@' + digest), { tag: null, digest });
  assert.deepEqual(engine.parsePin(`1.2.3@${digest}`), { tag: '1.2.3', digest });
  for (const bad of ['', 'latest', 'has space', 'sha256:short', ':1.2']) assert.ok('error' in engine.parsePin(bad), bad);
  assert.equal(engine.pinnedImage('lscr.io/linuxserver/sonarr:latest', { tag: '4.0.14', digest: null }), 'lscr.io/linuxserver/sonarr:4.0.14');
  assert.equal(engine.pinnedImage('registry.local:5000/app', { tag: '2', digest: null }), 'registry.local:5000/app:2');
});

test('closestNames: small edit distances only, ties all offered', () => {
  assert.deepEqual(engine.closestNames('postgress', ['postgres', 'redis', 'paperless']), ['postgres']);
  assert.deepEqual(engine.closestNames('radar', ['radarr', 'sonarr']), ['radarr']);
  assert.deepEqual(engine.closestNames('Redis', ['redis']), ['redis']);
  assert.deepEqual(engine.closestNames('db', ['redis', 'postgres']), []);
  assert.deepEqual(engine.closestNames('arr', ['arr1', 'arr2']), ['arr1', 'arr2']);
});

test('textEdits: applying the minimal edits gives the new text, and unchanged lines are not touched', () => {
  const before = 'a\nb\nc\nd\ne\nf\n';
  const after = 'a\nB\nc\nd\ne2\nf\ng\n';
  const edits = engine.textEdits(before, after);
  assert.equal(engine.applyEdits(before, edits), after);
  assert.deepEqual(edits.map((e) => before.slice(e.start, e.end)), ['b', '', '']);
  assert.deepEqual(engine.textEdits('same\n', 'same\n'), []);
  for (const [x, y] of [['', 'x'], ['x', ''], ['no newline', 'no newline\n'], ['1\n2\n3', '0\n1\n3\n4']]) assert.equal(engine.applyEdits(x, engine.textEdits(x, y)), y);
});

test('unifiedDiff is a patch git apply accepts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-diff-'));
  try {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = before.replace('line 3\n', 'line three\n').replace('line 25\n', 'line 25\nline 25b\n').replace(/line 29\n$/, 'line 29');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub/f.nix'), before);
    const patch = engine.unifiedDiff('sub/f.nix', before, after);
    assert.match(patch, /^--- a\/sub\/f\.nix\n\+\+\+ b\/sub\/f\.nix\n@@ -1,7 \+1,7 @@/);
    assert.match(patch, /\\ No newline at end of file/);
    fs.writeFileSync(path.join(dir, 'p.diff'), patch);
    execFileSync('git', ['apply', '--unsafe-paths', '--directory=', 'p.diff'], { cwd: dir });
    assert.equal(fs.readFileSync(path.join(dir, 'sub/f.nix'), 'utf8'), after);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function workspaceWith(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fixunit-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const workspace = new engine.Workspace(dir);
  workspace.loadAll();
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  const diagnostics = [...engine.workspaceDiagnostics(workspace).values()].flat();
  return { dir, workspace, read, diagnostics, ctx: (d) => ({ diagnostic: d, config: workspace.config, index: workspace.index, text: read }) };
}

test('edits in a CRLF file keep CRLF line ends', () => {
  const crlf = (s) => s.replace(/\n/g, '\r\n');
  const ws = workspaceWith({
    'domains/server/containers/paperless/index.nix': crlf(`{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.paperless;
in {
  imports = [ ./options.nix ];

  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.paperless = {
      image = "ghcr.io/paperless-ngx/paperless-ngx:2.15.1";
      volumes = [ "/opt/business/paperless:/data" ];
      environmentFiles = [ config.age.secrets."paperless-env".path ];
    };
  };
}
`),
    'domains/server/containers/paperless/options.nix': crlf('{ lib, ... }: {\n  options.hwc.server.containers.paperless.enable = lib.mkEnableOption "paperless";\n}\n'),
  });
  try {
    const result = engine.fixAll({ index: ws.workspace.index, config: ws.workspace.config, read: ws.read, includeUnsafe: false });
    const after = result.changes.get('domains/server/containers/paperless/index.nix').after;
    assert.deepEqual(result.applied.map((a) => a.rule).sort(), ['secret-missing-assertion', 'state-dir-missing-tmpfiles']);
    assert.ok(!/[^\r]\n/.test(after), 'no bare LF');
    assertNixParses(new Map([['index.nix', after]]));
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('a module finding on a first line that already ends in a comment is suppressed for the file only', () => {
  const ws = workspaceWith({
    'profiles/server.nix': '{ ... }: { }\n',
    'domains/server/containers/redis/index.nix': `{ config, lib, ... }: # the queue
let
  cfg = config.hwc.server.containers.redis;
in {
  imports = [ ./options.nix ];
  config = lib.mkIf cfg.enable { virtualisation.oci-containers.containers.redis.image = "redis:7.4"; };
}
`,
    'domains/server/containers/redis/options.nix': '{ lib, ... }: {\n  options.hwc.server.containers.redis.enable = lib.mkEnableOption "redis";\n}\n',
  });
  try {
    const d = ws.diagnostics.find((x) => x.rule === 'module-not-enabled');
    const titles = engine.actionsFor(ws.ctx(d)).filter((a) => a.fix === 'suppress').map((a) => a.title);
    assert.deepEqual(titles, ['Disable module-not-enabled for this file']);
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('a line inside a multi-line string gets no line suppression (it would change the string)', () => {
  const ws = workspaceWith({
    'domains/server/scripts.nix': `{ pkgs, ... }:
{
  systemd.services.legacy.script = ''
    echo starting
  '' + "podman run --rm docker.io/library/alpine:3.20 true";
}
`,
  });
  try {
    const d = ws.diagnostics.find((x) => x.rule === 'imperative-podman-run');
    assert.ok(d, ws.diagnostics.map((x) => x.rule).join());
    const titles = engine.actionsFor(ws.ctx(d)).map((a) => a.title);
    assert.ok(!titles.includes('Disable imperative-podman-run for this line'), titles.join(' | '));
    assert.ok(titles.includes('Disable imperative-podman-run for this file'));
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('every fix declares its safety and which rules it answers', () => {
  const rules = new Set(engine.RULES.map((r) => r.id));
  for (const fix of engine.FIXES) {
    assert.ok(fix.safety === 'safe' || fix.safety === 'unsafe', fix.id);
    assert.ok(fix.summary.length > 10, fix.id);
    if (fix.rules !== '*') for (const rule of fix.rules) assert.ok(rules.has(rule), `${fix.id} answers unknown rule ${rule}`);
  }
});

test('fix-all joins insertions at one place (two imports, tmpfiles and assertions) into a single applying pass', () => {
  const root = new URL('../../examples/homelab/', import.meta.url).pathname;
  const workspace = new engine.Workspace(root);
  workspace.loadAll();
  const read = (f) => fs.readFileSync(path.join(root, f), 'utf8');
  const result = engine.fixAll({ index: workspace.index, config: workspace.config, read, includeUnsafe: true });
  assert.equal(result.passes, 2, 'one pass applies everything, the second finds nothing more');
  const paperless = result.changes.get('domains/server/containers/paperless/index.nix').after;
  assert.match(paperless, /\];\n\n    assertions = \[/, 'the tmpfiles binding and the assertions, one after the other');
  const second = new engine.Workspace(root);
  second.loadAll();
  for (const [f, c] of result.changes) second.updateText(f, c.after);
  const left = [...engine.workspaceDiagnostics(second).values()].flat().map((d) => d.rule).sort();
  assert.deepEqual(left, ['hardcoded-secret', 'image-latest-tag', 'media-mount-writable', 'state-path-category'], 'what needs a choice or the user is left (whether the app writes to the library, too)');
});
