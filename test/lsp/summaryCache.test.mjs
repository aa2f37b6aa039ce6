// The language server starts from the lint cache (lsp/summaryCache.ts): in a trusted
// workspace its scan takes each unchanged file's summary from `.hwc-cache/` instead of parsing
// it, and leaves the summaries it made there for the next start. What it publishes must not
// depend on that: a start from the cache, and one after a file changed on disk, publish what
// a cold start publishes. An untrusted workspace gets no cache folder at all.
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

const fromCache = (line) => Number(/\((\d+) from the cache\)/.exec(line ?? '')?.[1]);

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
