// What run.mjs and mem.mjs share to measure the language server's memory: its RSS, a
// server started with the memory probe (mem-probe.cjs) preloaded, process.memoryUsage()
// after forced GCs in it, and the probe edit that tells when every edit before it is
// analysed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/helpers/lspClient.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const round1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

export function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return null;
  }
}

/** RSS of the process by kind of mapping, from /proc/PID/smaps (MB). */
export function smapsByKind(pid) {
  const out = {};
  let kind = null;
  let size = 0;
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      size = (parseInt(head[2], 16) - parseInt(head[1], 16)) / 2 ** 20;
      const name = head[3];
      kind = name === '' ? (size >= 60 ? 'anon>=60MB' : size >= 1 ? 'anon1-60MB' : 'anon<1MB') : name.startsWith('/') ? 'file' : name;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && kind) out[kind] = round1((out[kind] ?? 0) + Number(rss[1]) / 1024);
  }
  return out;
}

/**
 * Starts the language server with the memory probe preloaded (see mem-probe.cjs).
 * HWC_MEM_SNAPSHOT_DIR: heap snapshots on SIGUSR1 go there; HWC_MEM_PROBE: another probe.
 */
/** What a trusted workspace's client sends (the server reads and writes the lint cache only then). */
export const TRUSTED = { initializationOptions: { trusted: true } };

/**
 * Starts the server in a trusted workspace once, so it leaves its summaries in `.hwc-cache/`
 * (a second after its first lint), and stops it: the next trusted start can read them.
 */
export async function warmServerCache(root, serverPath = undefined) {
  const server = await startServer(root, { ...TRUSTED, serverPath });
  try {
    await server.waitReady(300_000);
    const folder = path.join(root, '.hwc-cache');
    for (let waited = 0; waited < 30_000; waited += 200) {
      if (fs.existsSync(folder) && fs.readdirSync(folder).some((n) => n.endsWith('-editor'))) return true;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return false;
  } finally {
    await server.stop();
  }
}

export async function startProbedServer(root, options = {}) {
  const memFile = path.join(os.tmpdir(), `hwc-bench-mem-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, HWC_BENCH_MEM_FILE: process.env.HWC_BENCH_MEM_FILE };
  const snapshots = process.env.HWC_MEM_SNAPSHOT_DIR ? ` --heapsnapshot-signal=SIGUSR1 --diagnostic-dir=${process.env.HWC_MEM_SNAPSHOT_DIR}` : '';
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''}${snapshots} --expose-gc --require ${process.env.HWC_MEM_PROBE ?? path.join(here, 'mem-probe.cjs')}`.trim();
  process.env.HWC_BENCH_MEM_FILE = memFile;
  try {
    const server = await startServer(root, options);
    server.memFile = memFile;
    return server;
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/**
 * process.memoryUsage() of the server in MB after forced GCs (null when the probe does not
 * answer); with HWC_MEM_SMAPS=1 also its RSS by kind of mapping.
 */
export async function memoryAfterGc(server) {
  fs.rmSync(server.memFile, { force: true });
  try {
    process.kill(server.child.pid, 'SIGUSR2');
  } catch {
    return null;
  }
  for (let i = 0; i < 1200; i++) {
    if (fs.existsSync(server.memFile)) {
      const m = JSON.parse(fs.readFileSync(server.memFile, 'utf8'));
      fs.rmSync(server.memFile, { force: true });
      const mb = {};
      for (const [k, v] of Object.entries(m)) mb[k] = typeof v === 'number' ? round1(v / 2 ** 20) : v;
      if (process.env.HWC_MEM_SMAPS) mb.smaps = smapsByKind(server.child.pid);
      return mb;
    }
    await sleep(50);
  }
  return null;
}

export function replaceAt(line, character, length, text) {
  return [{ range: { start: { line, character }, end: { line, character: character + length } }, text }];
}

let probeCounter = 0;

/**
 * Puts a unique port into the monolith's mapping at `site` and waits until a finding names
 * it, then restores the port: every edit sent before is analysed by then. Returns when the
 * restore was sent and the index of the first notification after it.
 */
export async function probeEdit(server, uri, site) {
  const unique = String(70000 + (probeCounter++ % 20000));
  const start = site.character - 5;
  let v = server.change(uri, replaceAt(site.line, start, 5, unique));
  await server.waitFor(() => server.diagnostics.get(uri)?.version === v && server.diagnostics.get(uri).diagnostics.some((d) => d.message.includes(unique)), 60_000, 'probe edit');
  const at = performance.now();
  const index = server.notifications.length;
  v = server.change(uri, replaceAt(site.line, start, 5, '40040'));
  await server.waitFor(() => server.diagnostics.get(uri)?.version === v, 60_000, 'probe restore');
  return { at, index };
}
