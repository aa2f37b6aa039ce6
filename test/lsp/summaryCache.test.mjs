// The language server starts from the lint cache (lsp/summaryCache.ts): in a trusted
// workspace its scan takes each unchanged file's summary from `.hwc-cache/` instead of parsing
// it, and leaves the summaries it made there for the next start. What it publishes must not
// depend on that: a start from the cache, and one after a file changed on disk, publish what
// a cold start publishes. A file whose stat is the one recorded at the last start is not
// even read; a file rewritten since is, whatever its size and mtime say (as `hwc lint`
// decides, by the ctime). An untrusted workspace gets no cache folder at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../helpers/lspClient.mjs';
import { HOMELAB } from '../helpers/editorFeatures.mjs';
import { copyWorkspace, inLintCache } from '../helpers/lintCache.mjs';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
const TRUSTED = { initializationOptions: { trusted: true } };

function copyOfHomelab() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-lsp-cache-'));
  copyWorkspace(HOMELAB, dir);
  return dir;
}

function findings(server, dir) {
  return [...server.diagnostics.values()]
    .flatMap((p) => p.diagnostics.map((d) => `${path.relative(dir, fileURLToPath(p.uri))}:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.code}:${SEVERITY[d.severity]}:${d.message}`))
    .sort();
}

const editorCacheFile = (dir) => {
  const folder = path.join(dir, '.hwc-cache');
  return fs.existsSync(folder) ? fs.readdirSync(folder).find((n) => n.startsWith('summaries-') && n.endsWith('-editor')) : undefined;
};

/** Starts, waits for the index and the diagnostics to settle; returns what was published and the ready log line. */
async function startAndCollect(dir, options, { waitForStore = false } = {}) {
  const server = await startServer(dir, options);
  try {
    await server.waitReady(60_000);
    let last = -1;
    // Settled: the same findings twice, 300 ms apart.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = findings(server, dir);
      if (now.length === last) break;
      last = now.length;
    }
    // The server stores its summaries a second after the first lint (a file on disk: poll for it).
    for (let waited = 0; waitForStore && !editorCacheFile(dir); waited += 100) {
      assert.ok(waited < 15_000, 'the editor summaries appear in .hwc-cache');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const line = server.logs.find((l) => l.startsWith('hwc: indexed '));
    return { published: findings(server, dir), line };
  } finally {
    await server.stop();
  }
}

const fromCache = (line) => Number(/\((\d+) from the cache/.exec(line ?? '')?.[1]);
/** Of those, the files the start did not read: their stat stood in for their content hash. */
const notRead = (line) => Number(/from the cache, (\d+) not read\)/.exec(line ?? '')?.[1]);

/** Files whose findings the start published from the last start's first lint, before its own. */
const replayed = (line) => Number(/the last start's findings of (\d+) files/.exec(line ?? '')?.[1] ?? 0);

/** A stat stands in only once its file is two seconds old (a racy one is read): wait until the copy is. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));

test('a trusted start leaves its summaries in .hwc-cache; the next start takes every file from there and publishes the same', async () => {
  const dir = copyOfHomelab();
  try {
    const cold = await startAndCollect(dir, TRUSTED, { waitForStore: true });
    assert.ok(cold.published.length >= 5, `the example has findings (${cold.published.length})`);
    assert.equal(fromCache(cold.line), 0, cold.line);
    const nixFiles = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.nix') && !inLintCache(f)).length;
    const warm = await startAndCollect(dir, TRUSTED);
    assert.equal(fromCache(warm.line), nixFiles, warm.line);
    assert.deepEqual(warm.published, cold.published);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file changed on disk since the cache was written is parsed again: the start publishes what a cold start publishes', async () => {
  const dir = copyOfHomelab();
  try {
    await startAndCollect(dir, TRUSTED, { waitForStore: true });
    const module = path.join(dir, 'domains/server/containers/sonarr/index.nix');
    const text = fs.readFileSync(module, 'utf8');
    fs.writeFileSync(module, text.replace('"lscr.io/linuxserver/sonarr:4.0.14"', '"lscr.io/linuxserver/sonarr:latest"'));
    const warm = await startAndCollect(dir, TRUSTED);
    assert.ok(warm.published.some((f) => f.startsWith('domains/server/containers/sonarr/index.nix:') && f.includes(':image-latest-tag:')), 'the new latest tag is reported');
    fs.rmSync(path.join(dir, '.hwc-cache'), { recursive: true, force: true });
    const cold = await startAndCollect(dir, TRUSTED);
    assert.deepEqual(warm.published, cold.published);
    assert.equal(fromCache(cold.line), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an untrusted workspace: the server neither reads nor writes .hwc-cache', async () => {
  const dir = copyOfHomelab();
  try {
    const untrusted = await startAndCollect(dir, {});
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(fs.existsSync(path.join(dir, '.hwc-cache')), false, 'no cache folder was made');
    assert.equal(fromCache(untrusted.line), 0, untrusted.line);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unchanged start reads no file; a file rewritten with its old size and mtime is read again (its ctime moved) and publishes what a cold start does', async () => {
  const dir = copyOfHomelab();
  try {
    // A whole second for the module's mtime, which utimes can set back exactly.
    const module = path.join(dir, 'domains/server/containers/sonarr/index.nix');
    const mtime = Math.floor(Date.now() / 1000) - 60;
    fs.utimesSync(module, mtime, mtime);
    await settle();
    await startAndCollect(dir, TRUSTED, { waitForStore: true });
    const nixFiles = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.nix') && !inLintCache(f)).length;
    const unchanged = await startAndCollect(dir, TRUSTED);
    assert.equal(fromCache(unchanged.line), nixFiles, unchanged.line);
    assert.equal(notRead(unchanged.line), nixFiles, `every file's stat stood in for it: ${unchanged.line}`);
    assert.ok(replayed(unchanged.line) >= 5, `nothing changed: the last start's findings were published before the first lint: ${unchanged.line}`);
    assert.match(unchanged.line, /diagnostics of 0 files converted and sent/, 'the first lint found what was published already');

    // The same number of characters, and the old mtime set back: only the ctime tells.
    const before = fs.statSync(module);
    const text = fs.readFileSync(module, 'utf8');
    assert.ok(text.includes(':4.0.14"'), 'the fixture pins sonarr');
    fs.writeFileSync(module, text.replace(':4.0.14"', ':latest"'));
    fs.utimesSync(module, mtime, mtime);
    const after = fs.statSync(module);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    await settle();
    const lied = await startAndCollect(dir, TRUSTED);
    assert.equal(notRead(lied.line), nixFiles - 1, `only the rewritten file was read: ${lied.line}`);
    assert.equal(replayed(lied.line), 0, `a file changed: nothing is published before the lint: ${lied.line}`);
    assert.ok(lied.published.some((f) => f.startsWith('domains/server/containers/sonarr/index.nix:') && f.includes(':image-latest-tag:')), 'the new latest tag is reported');
    fs.rmSync(path.join(dir, '.hwc-cache'), { recursive: true, force: true });
    const cold = await startAndCollect(dir, TRUSTED);
    assert.deepEqual(lied.published, cold.published);
    assert.deepEqual(unchanged.published.filter((f) => !f.startsWith('domains/server/containers/sonarr/index.nix:')), cold.published.filter((f) => !f.startsWith('domains/server/containers/sonarr/index.nix:')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file changed within two seconds of its stat is read at every start, even when its stat matches the one recorded', async () => {
  const dir = copyOfHomelab();
  try {
    await settle();
    // Its mtime a minute ahead: every stat of it is "racy" (within two seconds of its last change) for that minute.
    const module = path.join(dir, 'domains/server/containers/sonarr/index.nix');
    const ahead = Date.now() / 1000 + 60;
    fs.utimesSync(module, ahead, ahead);
    const nixFiles = fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.nix') && !inLintCache(f)).length;
    await startAndCollect(dir, TRUSTED, { waitForStore: true });
    const racy = await startAndCollect(dir, TRUSTED);
    assert.equal(fromCache(racy.line), nixFiles, racy.line);
    assert.equal(notRead(racy.line), nixFiles - 1, `the racy file was read, the others not: ${racy.line}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a changed rule severity setting: the last start's findings are not published, the lint's are", async () => {
  const dir = copyOfHomelab();
  try {
    await settle();
    const first = await startAndCollect(dir, TRUSTED, { waitForStore: true });
    const again = await startAndCollect(dir, TRUSTED);
    assert.ok(replayed(again.line) > 0, again.line);
    assert.deepEqual(again.published, first.published);
    const rule = first.published[0].split(':')[3];
    const demoted = await startAndCollect(dir, { ...TRUSTED, settings: { rules: { [rule]: 'hint' } } });
    assert.equal(replayed(demoted.line), 0, demoted.line);
    const expected = first.published.map((f) => (f.split(':')[3] === rule ? f.replace(/:(error|warning|info):/, ':hint:') : f));
    assert.deepEqual(demoted.published, expected.sort());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
