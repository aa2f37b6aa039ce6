#!/usr/bin/env node
// How long the language server takes to answer a hover while a pathological file is open
// (issue 15, item 5): a 20,000-step select chain and 32,000 unclosed `{ a =`. Prints one
// row per file: the latency of a hover on another file sent right after didOpen, then of
// one on the file itself, and the file's first diagnostic. Never fails on numbers.
//
//   node bench/pathological.mjs [path/to/server.js]   (default: this checkout's out/server.js)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fileUri, startServer } from '../test/helpers/lspClient.mjs';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const serverPath = path.resolve(process.argv[2] ?? path.join(repo, 'out', 'server.js'));

export const PATHOLOGICAL = {
  'select chain (20,000 steps)': `{ config, ... }:\n{\n  x = config${'.b'.repeat(20_000)};\n}\n`,
  'unclosed `{ a =` (32,000)': '{ a = '.repeat(32_000) + '\n',
};

async function measure(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-patho-'));
  fs.cpSync(path.join(repo, 'examples', 'homelab'), dir, { recursive: true });
  const server = await startServer(dir, { serverPath });
  try {
    await server.waitReady(60_000);
    const other = path.join(dir, 'domains/server/containers/sonarr/index.nix');
    const otherUri = server.open(other, fs.readFileSync(other, 'utf8'));
    await server.request('textDocument/hover', { textDocument: { uri: otherUri }, position: { line: 0, character: 0 } });
    const file = path.join(dir, 'domains/server/containers/sonarr/generated.nix');
    const started = performance.now();
    const uri = server.open(file, text);
    const hover = await server.request('textDocument/hover', { textDocument: { uri: otherUri }, position: { line: 3, character: 4 } }).then(() => performance.now() - started);
    // Then a request on the file itself, and whatever diagnostics it got.
    await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    const ownMs = performance.now() - started;
    const published = await server.waitDiagnostics(uri, (d) => d.length > 0, 5_000).catch(() => []);
    const first = published[0] ? `${published[0].code}: ${published[0].message.slice(0, 100)}` : 'no diagnostics';
    return { name, hoverMs: Math.round(hover), ownMs: Math.round(ownMs), first };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`server: ${serverPath}`);
for (const [name, text] of Object.entries(PATHOLOGICAL)) {
  const row = await measure(name, text);
  console.log(`${row.name}: hover on another file answered ${row.hoverMs} ms after didOpen; hover on the file itself ${row.ownMs} ms (${row.first})`);
}
