// Cache files are written record by record (a 20,000-module workspace's summaries are about
// 100 MB, never held as one string) and read back a chunk at a time. A file written that way
// must read back exactly as the records went in, and a write that stops half-way (the size
// bound reached, the producer failing) must leave the previous file as it was and no temp file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTs } from '../helpers/loadTs.mjs';

// Both bundles below sign with this key (each has its own copy of cacheKey.ts).
process.env.HWC_CACHE_KEY = 'streamed-write test key, 32 chars';
const { CacheDir, MAX_FILE_BYTES } = loadTs('server/src/cache/cacheDir.ts');
const { FORMAT, FORMAT_VERSION, joinLines, readCacheFile, splitLines, writeCacheFile, CorruptCache } = loadTs('server/src/cache/cacheFiles.ts');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-streamed-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function freshRoot(name) {
  const root = path.join(scratch, name);
  fs.mkdirSync(path.join(root, 'domains/server/containers/jellyfin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'flake.nix'), '{ outputs = { self, nixpkgs }: { }; }\n');
  return root;
}

const header = (root) => ({ format: FORMAT, version: FORMAT_VERSION, kind: 'summaries', engine: 'test-engine', root });
const expected = (root) => ({ kind: 'summaries', engine: 'test-engine', root });

/** Summary-like records for many container modules: non-ASCII names, enough text to span several write chunks. */
function records(count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const file = `domains/server/containers/jellyfin-${String(i).padStart(5, '0')}/index.nix`;
    const payload = JSON.stringify({ summary: { file, containers: [{ name: `jellyfin-${i}`, image: 'lscr.io/linuxserver/jellyfin:10.9.7', ports: [`${8096 + (i % 500)}:8096`], volumes: [`/opt/media/jellyfin-${i}/config:/config`], description: 'Médiathèque — 映画 🎬' }] }, logs: [] });
    out.push(`hash${i}\tconfigkey\t${JSON.stringify(file)}\t${payload}`);
  }
  return out;
}

const leftovers = (dir) => fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));

test('a file written record by record is byte for byte the joined file, and reads back the same records', () => {
  const root = freshRoot('roundtrip');
  const dir = CacheDir.at(root);
  const written = records(12_000);
  // A generator: the writer takes records one at a time, as the stores hand them over.
  assert.equal(writeCacheFile(dir, 'summaries-test', header(root), (function* () { yield* written; })()), true);
  const file = path.join(dir.dir, 'summaries-test');
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.length > 4 * (1 << 20), 'the file spans several write chunks');
  assert.equal(text, joinLines(header(root), written));
  const streamed = readCacheFile(dir, 'summaries-test', expected(root));
  assert.deepEqual(streamed.records, written);
  assert.deepEqual(streamed.header, header(root));
  assert.deepEqual(splitLines(text, expected(root)).records, written);
  // Another root's file is not ours; one cut short is corrupt, as the whole-text reader says.
  assert.equal(readCacheFile(dir, 'summaries-test', { ...expected(root), root: '/elsewhere' }), undefined);
  fs.truncateSync(file, text.length - 10);
  assert.throws(() => readCacheFile(dir, 'summaries-test', expected(root)), CorruptCache);
  assert.deepEqual(leftovers(dir.dir), []);
});

test('an empty file of records and a missing file read back as the whole-text reader reads them', () => {
  const root = freshRoot('empty');
  const dir = CacheDir.at(root);
  assert.equal(readCacheFile(dir, 'summaries-none', expected(root)), undefined);
  assert.equal(writeCacheFile(dir, 'summaries-empty', header(root), []), true);
  assert.deepEqual(readCacheFile(dir, 'summaries-empty', expected(root)).records, []);
});

test('a write that passes the size bound half-way is abandoned: the old file stays, no temp file is left', () => {
  const root = freshRoot('bounded');
  const dir = CacheDir.at(root);
  const old = records(200);
  assert.equal(writeCacheFile(dir, 'summaries-test', header(root), old), true);
  const before = fs.readFileSync(path.join(dir.dir, 'summaries-test'));
  // Some records are written to the temp file, then a chunk that would take it past the bound
  // (never filled nor written: only its length counts).
  const oversized = function* () {
    yield Buffer.from(`${JSON.stringify(header(root))}\n${records(300).join('\n')}\n`);
    yield Buffer.allocUnsafe(MAX_FILE_BYTES);
  };
  assert.equal(dir.writeChunks('summaries-test', oversized()), false);
  assert.deepEqual(fs.readFileSync(path.join(dir.dir, 'summaries-test')), before);
  assert.deepEqual(leftovers(dir.dir), []);
  assert.deepEqual(readCacheFile(dir, 'summaries-test', expected(root)).records, old);
});

test('a producer that fails half-way: its error comes through, the old file stays, no temp file is left', () => {
  const root = freshRoot('failing');
  const dir = CacheDir.at(root);
  const old = records(50);
  assert.equal(writeCacheFile(dir, 'summaries-test', header(root), old), true);
  const failing = function* () {
    yield* records(3000);
    throw new Error('a summary that cannot be encoded');
  };
  assert.throws(() => writeCacheFile(dir, 'summaries-test', header(root), failing()), /cannot be encoded/);
  assert.deepEqual(leftovers(dir.dir), []);
  assert.deepEqual(readCacheFile(dir, 'summaries-test', expected(root)).records, old);
});
