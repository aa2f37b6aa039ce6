#!/usr/bin/env node
// The benchmark's three memory measurements on their own, writing nothing but stdout (for
// working on memory without re-running, and overwriting, the whole benchmark):
//
//   node bench/mem.mjs [--leak] [--index] [--lint] [--leak-edits N] [--leak-size 200] [--lint-size 20000] [--paced]
//
// --leak: RSS after a forced GC before and after N one-character edits of the 2,000-line
//   module (as run.mjs's leak check); --index: server RSS after indexing 2,000 modules;
//   --lint: peak RSS of `hwc lint` (/usr/bin/time). No flag: all three.
// HWC_MEM_SNAPSHOT_DIR=dir: --index also writes a heap snapshot of the server (index.heapsnapshot).
// HWC_MEM_SMAPS=1: RSS by kind of mapping too.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateWorkspace, monolithPortSite } from './generate.mjs';
import { memoryAfterGc, probeEdit, replaceAt, round1, rssMb, sleep, smapsByKind, startProbedServer } from './probe.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const hwc = path.join(path.dirname(here), 'bin', 'hwc');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const all = !argv.includes('--leak') && !argv.includes('--index') && !argv.includes('--lint');

/** Writes a heap snapshot of the server into $HWC_MEM_SNAPSHOT_DIR (node --heapsnapshot-signal=SIGUSR1). */
async function heapSnapshot(server, label) {
  const dir = process.env.HWC_MEM_SNAPSHOT_DIR;
  const before = new Set(fs.readdirSync(dir));
  process.kill(server.child.pid, 'SIGUSR1');
  for (let i = 0; i < 1200; i++) {
    await sleep(100);
    const made = fs.readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (made) {
      let size = -1;
      while (size <= 0 || size !== fs.statSync(path.join(dir, made)).size) {
        size = fs.statSync(path.join(dir, made)).size;
        await sleep(500);
      }
      fs.renameSync(path.join(dir, made), path.join(dir, `${label}.heapsnapshot`));
      return;
    }
  }
}

async function leak() {
  const ws = generateWorkspace(Number(option('--leak-size', 200)));
  const edits = Number(option('--leak-edits', 1000));
  const paced = argv.includes('--paced');
  const server = await startProbedServer(ws.root);
  try {
    await server.waitReady(300_000);
    const file = path.join(ws.root, ws.monolith);
    const text = fs.readFileSync(file, 'utf8');
    const mono = server.open(file, text);
    const site = monolithPortSite(text);
    await probeEdit(server, mono, site);
    const before = await memoryAfterGc(server);
    const t = performance.now();
    let broken = false;
    const samples = [];
    for (let i = 0; i < edits; i++) {
      const v = server.change(mono, broken ? replaceAt(site.line, site.character, 1, '') : replaceAt(site.line, site.character, 0, '0'));
      broken = !broken;
      // --paced: wait for each edit's diagnostics, so every edit is parsed and linted (the server coalesces bursts).
      if (paced) await server.waitFor(() => server.diagnostics.get(mono)?.version === v, 60_000, 'paced edit');
      if (i % 50 === 49) await probeEdit(server, mono, site);
      if (i % 250 === 249 && !broken) samples.push([i + 1, await memoryAfterGc(server)]);
    }
    if (broken) server.change(mono, replaceAt(site.line, site.character, 1, ''));
    await probeEdit(server, mono, site);
    const seconds = (performance.now() - t) / 1000;
    const after = await memoryAfterGc(server);
    console.log(`leak: ${edits} edits in ${seconds.toFixed(1)} s; after GC rss ${before.rss} -> ${after.rss} MB (${round1(((after.rss - before.rss) / before.rss) * 100)}%)`);
    for (const [n, m] of samples) console.log(`  ${n}: ${JSON.stringify(m)}`);
    console.log(`  before ${JSON.stringify(before)}\n  after  ${JSON.stringify(after)}`);
  } finally {
    await server.stop();
  }
}

async function index() {
  const ws = generateWorkspace(2000);
  // The file run.mjs opens: the first index.nix with an error finding (the monolith if none).
  const lint = spawnSync(process.execPath, [hwc, 'lint', '--no-cache', '--root', ws.root, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const openFile = JSON.parse(lint.stdout).find((f) => f.severity === 'error' && f.file.endsWith('/index.nix'))?.file ?? ws.monolith;
  const t0 = performance.now();
  const server = await startProbedServer(ws.root);
  try {
    const file = path.join(ws.root, openFile);
    server.open(file, fs.readFileSync(file, 'utf8'));
    await server.waitReady(300_000);
    const readyMs = performance.now() - t0;
    await sleep(500);
    const raw = rssMb(server.child.pid);
    // --idle-samples: RSS without a forced GC while the server idles (V8's memory reducer starts ~8 s after the last full GC).
    if (argv.includes('--idle-samples')) {
      const idle = [];
      for (let s = 1; s <= 20; s++) {
        await sleep(1000);
        idle.push(`${s + 0.5}s:${round1(rssMb(server.child.pid))}`);
      }
      console.log(`  idle RSS: ${idle.join(' ')}`);
    }
    const smaps = process.env.HWC_MEM_SMAPS ? smapsByKind(server.child.pid) : undefined;
    const gc = await memoryAfterGc(server);
    if (process.env.HWC_MEM_SNAPSHOT_DIR) await heapSnapshot(server, 'index');
    console.log(`index 2000: ready in ${readyMs.toFixed(0)} ms, rss ${round1(raw)} MB, after GC ${JSON.stringify(gc)}${smaps ? ` smaps before GC ${JSON.stringify(smaps)}` : ''}`);
  } finally {
    await server.stop();
  }
}

function lint() {
  const ws = generateWorkspace(Number(option('--lint-size', 20000)));
  const rssFile = path.join(os.tmpdir(), `hwc-mem-rss-${process.pid}`);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, hwc, 'lint', '--no-cache', '--root', ws.root, '--format', 'json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (d) => (bytes += d.length));
    child.on('close', (code) => {
      const peak = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
      console.log(`lint ${ws.modules}: exit ${code}, ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${round1(peak)} MB, ${bytes} bytes of JSON`);
      resolve();
    });
  });
}

if (all || argv.includes('--index')) await index();
if (all || argv.includes('--leak')) await leak();
if (all || argv.includes('--lint')) await lint();
