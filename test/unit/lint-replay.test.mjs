// bin/hwc's fast path for `hwc lint` with nothing changed (server/src/cache/replayEntry.ts):
// a run the lint cache replayed (text, JSON) or a SARIF run is kept in .hwc-cache/replay-*,
// and the same invocation on the same workspace prints it again without loading the CLI.
// Every test compares with the full path (HWC_NO_REPLAY=1: bin/hwc never tries the fast
// path): stdout, stderr and exit code byte for byte. HWC_REPLAY_REPORT says which path ran
// (`replayed`, `not handled: …`, `recorded`, `not recorded: …`).
//
// A run is kept only when nothing it read changed within two seconds before it (the lint
// cache's racy window), so the workspaces are made first and the tests wait once.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWorkspace, LINT_CACHE } from '../helpers/lintCache.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOMELAB = path.join(repo, 'examples/homelab');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-lint-replay-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let workspaces = 0;
/** A fresh copy of the example homelab (two errors: exit 1), with a `latest` image more. */
function workspace() {
  const root = path.join(scratch, `ws-${++workspaces}`);
  copyWorkspace(HOMELAB, root);
  const sonarr = path.join(root, 'domains/server/containers/sonarr/index.nix');
  fs.writeFileSync(sonarr, fs.readFileSync(sonarr, 'utf8').replace(/(image = "[^":]+):[^"]+"/, '$1:latest"'));
  return root;
}

/** `hwc lint ARGS` in `root`; `fast: false` runs the full path only. Returns the output and what the fast path did. */
function hwc(root, args, { fast = true, bin = path.join(repo, 'bin', 'hwc'), env = {} } = {}) {
  const report = path.join(scratch, `report-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, [bin, 'lint', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', HWC_REPLAY_REPORT: report, ...(fast ? {} : { HWC_NO_REPLAY: '1' }), ...env },
  });
  const said = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n') : [];
  fs.rmSync(report, { force: true });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status, said };
}

/** The full path's output for the same invocation. */
function assertSameAsFullPath(root, args, run, label, options = {}) {
  const full = hwc(root, args, { ...options, fast: false });
  assert.equal(run.stdout, full.stdout, `${label}: stdout`);
  assert.equal(run.stderr, full.stderr, `${label}: stderr`);
  assert.equal(run.code, full.code, `${label}: exit code`);
}

/** Lints until the invocation's output is kept (a cold run, then the lint cache's replay, which records). */
function prime(root, args, options = {}) {
  for (let i = 0; i < 3; i++) {
    const run = hwc(root, args, options);
    if (run.said.includes('recorded')) return;
  }
  assert.fail(`${args.join(' ')}: the output was never kept`);
}

/** The invocation is replayed, prints what the full path prints, and loads nothing of the CLI. */
function assertReplayed(root, args, label, options = {}) {
  const run = hwc(root, args, options);
  assert.deepEqual(run.said, ['replayed'], `${label}: the fast path answered`);
  assertSameAsFullPath(root, args, run, label, options);
  return run;
}

/** The invocation runs the CLI (the reason starts with `reason`) and prints what the full path prints. */
function assertFallsThrough(root, args, reason, label, options = {}) {
  const run = hwc(root, args, options);
  assert.ok(run.said[0]?.startsWith(`not handled: ${reason}`), `${label}: not handled because ${reason} (said ${JSON.stringify(run.said)})`);
  assertSameAsFullPath(root, args, run, label, options);
  return run;
}

const replayFile = (root) => {
  const name = fs.readdirSync(path.join(root, LINT_CACHE)).find((n) => n.startsWith('replay-'));
  return name && path.join(root, LINT_CACHE, name);
};

// Made before the wait: each test changes its own.
const ws = {};
let install;
before(() => {
  for (const name of ['formats', 'baseline', 'config', 'edit', 'newFile', 'engine', 'tampered', 'unsigned', 'cut', 'link', 'touched', 'scoped']) ws[name] = workspace();
  // A baseline of today's findings: none is reported.
  hwc(ws.baseline, ['--baseline-write'], { fast: false });
  // A config file outside the workspace, given with --config.
  fs.writeFileSync(path.join(scratch, 'strict.json'), JSON.stringify({ rules: { 'image-latest-tag': 'warning', 'state-path-category': 'off' } }));
  // Another install of hwc (its own bundles) for the engine change.
  install = path.join(scratch, 'install');
  fs.mkdirSync(path.join(install, 'out'), { recursive: true });
  fs.cpSync(path.join(repo, 'bin'), path.join(install, 'bin'), { recursive: true });
  fs.cpSync(path.join(repo, 'docs', 'rules'), path.join(install, 'docs', 'rules'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'package.json'), path.join(install, 'package.json'));
  for (const name of ['cli.js', 'lintReplay.js', 'parseWorker.js', 'tree-sitter-nix.wasm', 'web-tree-sitter.wasm']) fs.copyFileSync(path.join(repo, 'out', name), path.join(install, 'out', name));
  spawnSync('sleep', ['2.1']);
});

describe('hwc lint replays an unchanged run without the CLI', () => {
  test('text, JSON and SARIF, with --quiet, --max-warnings and --rule: the full path output, byte for byte', () => {
    const root = ws.formats;
    const invocations = [[], ['--format', 'json'], ['--format', 'sarif'], ['--quiet'], ['--max-warnings', '0', '--format', 'json'], ['--rule', 'hardcoded-secret=off', '--rule', 'database-port-exposed=off']];
    for (const args of invocations) prime(root, args);
    const exits = new Set();
    for (const args of invocations) exits.add(assertReplayed(root, args, args.join(' ') || 'text').code);
    // An error and none: both exit codes come back.
    assert.deepEqual([...exits].sort(), [0, 1]);
    const text = hwc(root, []);
    assert.match(text.stdout, /image-latest-tag/);
    // Another working folder is another invocation (paths are printed relative to it).
    const run = hwc(path.join(root, 'domains'), ['--root', root]);
    assert.ok(run.said[0].startsWith('not handled: no output kept'), run.said.join());
    assertSameAsFullPath(path.join(root, 'domains'), ['--root', root], run, 'another cwd');
  });

  test('a baseline applies as in the full path; a changed baseline runs the CLI', () => {
    const root = ws.baseline;
    prime(root, []);
    const replayed = assertReplayed(root, [], 'with a baseline');
    assert.match(replayed.stdout, /baseline/);
    // Entries dropped from the baseline: their findings are reported again.
    const file = path.join(root, '.hwc-baseline.json');
    const baseline = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...baseline, entries: [] }, null, 2));
    const after = assertFallsThrough(root, [], `${file} changed`, 'after the baseline changed');
    assert.notEqual(after.stdout, replayed.stdout);
    // --no-baseline is its own invocation.
    assertFallsThrough(root, ['--no-baseline'], 'no output kept', '--no-baseline');
  });

  test('--config: a changed config file runs the CLI', () => {
    const root = ws.config;
    const config = path.join(scratch, 'strict.json');
    prime(root, ['--config', config, '--format', 'json']);
    const replayed = assertReplayed(root, ['--config', config, '--format', 'json'], '--config');
    fs.writeFileSync(config, JSON.stringify({ rules: { 'image-latest-tag': 'error' } }));
    const after = assertFallsThrough(root, ['--config', config, '--format', 'json'], `${config} changed`, 'after the config changed');
    assert.notEqual(after.stdout, replayed.stdout);
  });

  test('an edited module, and a new module, run the CLI', () => {
    const edited = ws.edit;
    prime(edited, ['--format', 'json']);
    const module = path.join(edited, 'domains/server/containers/radarr/index.nix');
    fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace(/(image = "[^":]+):[^"]+"/, '$1:latest"'));
    const after = assertFallsThrough(edited, ['--format', 'json'], 'domains/server/containers/radarr/index.nix changed', 'after an edit');
    assert.match(after.stdout, /radarr\/index\.nix[\s\S]*image-latest-tag|image-latest-tag[\s\S]*radarr\/index\.nix/);
    // A state that no longer holds is of no use to any invocation: the run removed it.
    assert.equal(replayFile(edited), undefined, 'the out-of-date replay file is gone');
    assert.ok(hwc(edited, ['--format', 'json']).said[0].startsWith('not handled: no replay file'));

    const added = ws.newFile;
    prime(added, ['--format', 'json']);
    const folder = path.join(added, 'domains/server/containers/whoami');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, 'index.nix'),
      '{ config, lib, ... }:\n{\n  virtualisation.oci-containers.containers.whoami = {\n    image = "traefik/whoami:latest";\n    ports = [ "0.0.0.0:8099:80" ];\n  };\n}\n',
    );
    const run = assertFallsThrough(added, ['--format', 'json'], 'domains/server/containers/ changed', 'after a new module');
    assert.match(run.stdout, /whoami/);
  });

  test('a file touched without a change runs the CLI (a stat that differs is a doubt)', () => {
    const root = ws.touched;
    prime(root, []);
    const module = path.join(root, 'domains/server/containers/redis/index.nix');
    fs.writeFileSync(module, fs.readFileSync(module));
    assertFallsThrough(root, [], 'domains/server/containers/redis/index.nix changed', 'after a touch');
  });

  test('another engine (a rebuilt CLI bundle) runs the CLI', () => {
    const root = ws.engine;
    const bin = path.join(install, 'bin', 'hwc');
    prime(root, ['--format', 'json'], { bin });
    assertReplayed(root, ['--format', 'json'], 'the other install', { bin });
    fs.appendFileSync(path.join(install, 'out', 'cli.js'), '\n// rebuilt\n');
    assertFallsThrough(root, ['--format', 'json'], 'no signed replay file', 'after a rebuild', { bin });
  });

  test('a tampered, an unsigned and a cut replay file run the CLI, with the full path output', () => {
    for (const [name, spoil, reason] of [
      ['tampered', (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"code":1/, '"code":0')), 'no signed replay file'],
      ['unsigned', () => undefined, 'no signed replay file'],
      ['cut', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), 'replay-'],
    ]) {
      const root = ws[name];
      prime(root, ['--format', 'json']);
      const file = replayFile(root);
      assert.ok(file, `${name}: a replay file was written`);
      spoil(file);
      // Unsigned: a file another key signed (another machine, or committed to the repository).
      const env = name === 'unsigned' ? { HWC_CACHE_KEY: 'another-machine-key-0123456789' } : {};
      const run = assertFallsThrough(root, ['--format', 'json'], reason, name, { env });
      assert.equal(run.code, 1, `${name}: the error is still reported`);
    }
  });

  test('a cache folder that is a symbolic link is not read: the CLI runs and says so', () => {
    const root = ws.link;
    prime(root, ['--format', 'json']);
    const elsewhere = path.join(scratch, 'moved-cache');
    fs.renameSync(path.join(root, LINT_CACHE), elsewhere);
    fs.symlinkSync(elsewhere, path.join(root, LINT_CACHE));
    const run = assertFallsThrough(root, ['--format', 'json'], '.hwc-cache is a symbolic link', 'a linked cache folder');
    assert.match(run.stderr, /symbolic link/);
  });

  test('paths narrow the report as in the full path; what the fast path does not handle runs the CLI', () => {
    const root = ws.scoped;
    const scope = ['domains/server/containers/sonarr'];
    prime(root, scope);
    assertReplayed(root, scope, 'a folder given');
    for (const [args, reason] of [
      [['--no-cache'], 'arguments'],
      [['--fix-dry-run'], 'arguments'],
      [['--baseline-write', '--baseline', path.join(scratch, 'other-baseline.json')], 'arguments'],
      [['domains/nowhere'], 'domains/nowhere does not exist'],
    ]) {
      const run = hwc(root, args);
      assert.ok(run.said[0]?.startsWith(`not handled: ${reason}`), `${args.join(' ')}: ${run.said.join()}`);
    }
  });
});
