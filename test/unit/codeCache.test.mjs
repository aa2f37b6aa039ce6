// bin/hwc compiles the CLI bundle from V8's code cache saved next to it (out/cli.js.cache):
// the findings must not depend on whether a cache exists, was just written, belongs to an
// older bundle, or is garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const example = path.join(repo, 'examples', 'homelab');

/** A copy of bin/ and out/ of its own, so the cache written here is this test's. */
function install() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-cache-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.mkdirSync(path.join(dir, 'out'));
  fs.copyFileSync(path.join(repo, 'bin', 'hwc'), path.join(dir, 'bin', 'hwc'));
  for (const file of ['cli.js', 'parseWorker.js', 'web-tree-sitter.wasm', 'tree-sitter-nix.wasm']) fs.copyFileSync(path.join(repo, 'out', file), path.join(dir, 'out', file));
  return dir;
}

function lint(dir) {
  const run = spawnSync(process.execPath, [path.join(dir, 'bin', 'hwc'), 'lint', '--format', 'json', '--root', example], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('the first run writes the cache; runs with it, with a stale one or with a broken one report the same', () => {
  const dir = install();
  const cache = path.join(dir, 'out', 'cli.js.cache');
  try {
    const first = lint(dir);
    assert.ok(first.stdout.length > 0, first.stderr);
    assert.ok(fs.existsSync(cache), 'cache written after the first run');
    assert.deepEqual(lint(dir), first);

    // A rebuilt bundle: the old cache is not used, and is replaced.
    const bundle = path.join(dir, 'out', 'cli.js');
    const before = fs.readFileSync(cache);
    fs.utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(lint(dir), first);
    assert.notDeepEqual(fs.readFileSync(cache), before);

    // Garbage after a valid key: V8 rejects it and the run goes on.
    const key = fs.readFileSync(cache).subarray(0, fs.readFileSync(cache).indexOf(10) + 1);
    fs.writeFileSync(cache, Buffer.concat([key, Buffer.from('not a code cache')]));
    assert.deepEqual(lint(dir), first);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).filter((f) => f.endsWith('.tmp')), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
