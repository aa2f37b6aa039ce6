#!/usr/bin/env node
// The language server's start and edits on one workspace, for comparing two builds run by
// run on a busy machine: wall times, and the server's CPU time (whole process and its main
// thread, from /proc) which load on the other cores disturbs far less.
//
//   node bench/lsp-startup.mjs WORKSPACE [--server out/server.js] [--startups 3] [--edits 100] [--port-edits 30] [--trusted]
//   (a messy workspace to run it on: node bench/generate.mjs --messy)
//
// Startup: spawn → hwc/status ready, → the last publishDiagnostics (once quiet for 1 s).
// --edits: one-character edits of monolith/index.nix (as run.mjs). --port-edits: a module's
// port default set to another module's port and back (host-port-conflict appears in the other).
// --trusted: every start is trusted, after one trusted start of the same build left its
// summaries in WORKSPACE/.hwc-cache/ (deleted first: the cache is the build's own).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/helpers/lspClient.mjs';
import { monolithPortSite } from './generate.mjs';
import { TRUSTED, replaceAt, rssMb, sleep, warmServerCache } from './probe.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);

function cpuMs(pid, mainThreadOnly = false) {
  try {
    const fields = fs.readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  } catch {
    return null;
  }
}

/** Resident memory in whole MB (probe.mjs reads it), or null once the process is gone. */
function roundedRssMb(pid) {
  const mb = rssMb(pid);
  return mb === null ? null : Math.round(mb);
}

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1];
const summary = (values) => ({ n: values.length, p50: Math.round(quantile(values, 0.5) * 100) / 100, p95: Math.round(quantile(values, 0.95) * 100) / 100 });

async function startup(ws, serverPath, trusted) {
  const t0 = performance.now();
  const server = await startServer(ws, { serverPath, ...(trusted ? TRUSTED : {}) });
  let lastPublish = 0;
  let publishes = 0;
  const push = server.notifications.push.bind(server.notifications);
  server.notifications.push = (n) => {
    if (n.method === 'textDocument/publishDiagnostics') {
      lastPublish = performance.now();
      publishes++;
    }
    return push(n);
  };
  await server.waitReady(300_000);
  const result = { readyMs: Math.round(performance.now() - t0), cpuMs: cpuMs(server.child.pid), mainThreadCpuMs: cpuMs(server.child.pid, true) };
  for (let seen = -1; seen !== publishes; ) {
    seen = publishes;
    await sleep(1000);
  }
  const files = [...server.diagnostics.values()].filter((d) => d.diagnostics.length > 0);
  Object.assign(result, {
    allPublishedMs: Math.round(lastPublish - t0),
    filesWithFindings: files.length,
    findings: files.reduce((n, d) => n + d.diagnostics.length, 0),
    rssMb: roundedRssMb(server.child.pid),
    log: server.logs.find((l) => l.startsWith('hwc: indexed')),
  });
  return { server, result };
}

async function monolithEdits(server, ws, count) {
  const file = path.join(ws, 'domains/server/containers/monolith/index.nix');
  const text = fs.readFileSync(file, 'utf8');
  const uri = server.open(file, text);
  await sleep(500);
  const site = monolithPortSite(text);
  const latencies = [];
  const cpuBefore = cpuMs(server.child.pid);
  let broken = false;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const version = server.change(uri, broken ? replaceAt(site.line, site.character, 1, '') : replaceAt(site.line, site.character, 0, '0'));
    broken = !broken;
    await server.waitFor(() => server.diagnostics.get(uri)?.version === version, 60_000, `edit ${i}`);
    latencies.push(performance.now() - t);
  }
  if (broken) server.change(uri, replaceAt(site.line, site.character, 1, ''));
  return { ...summary(latencies), cpuPerEditMs: Math.round(((cpuMs(server.child.pid) - cpuBefore) / count) * 10) / 10 };
}

async function portEdits(server, ws, count) {
  const dir = path.join(ws, 'domains/server/containers');
  const names = fs.readdirSync(dir).filter((n) => /-\d+$/.test(n)).sort();
  const [a, b] = [names.find((n) => n.startsWith('grafana')), names.filter((n) => n.startsWith('prometheus'))[3]];
  const portOf = (name) => /default = (\d+);/.exec(fs.readFileSync(path.join(dir, name, 'options.nix'), 'utf8'))[1];
  const file = path.join(dir, a, 'options.nix');
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(`default = ${portOf(a)};`));
  const character = lines[line].indexOf(portOf(a));
  const uri = server.open(file, text);
  await sleep(500);
  const other = [path.join(dir, b, 'index.nix'), path.join(dir, b, 'options.nix')].map((f) => `file://${f}`);
  const conflict = () => other.some((u) => (server.diagnostics.get(u)?.diagnostics ?? []).some((d) => d.code === 'host-port-conflict'));
  const latencies = [];
  const cpuBefore = cpuMs(server.child.pid);
  for (let i = 0; i < count; i++) {
    const toB = i % 2 === 0;
    const t = performance.now();
    server.change(uri, replaceAt(line, character, portOf(a).length, toB ? portOf(b) : portOf(a)));
    await server.waitFor(() => conflict() === toB, 60_000, `port edit ${i}`);
    latencies.push(performance.now() - t);
  }
  return { modules: [a, b], ...summary(latencies), cpuPerEditMs: Math.round(((cpuMs(server.child.pid) - cpuBefore) / count) * 10) / 10 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  {
    const ws = path.resolve(argv[0]);
    const serverPath = option('--server', undefined) && path.resolve(option('--server'));
    const startups = Number(option('--startups', 1));
    const trusted = argv.includes('--trusted');
    const out = { workspace: ws, server: serverPath ?? 'out/server.js', trusted, startups: [] };
    if (trusted) fs.rmSync(path.join(ws, '.hwc-cache'), { recursive: true, force: true });
    if (trusted && !(await warmServerCache(ws, serverPath))) throw new Error('the trusted start left no summaries in .hwc-cache/');
    for (let s = 0; s < startups; s++) {
      const { server, result } = await startup(ws, serverPath, trusted);
      out.startups.push(result);
      process.stderr.write(`${JSON.stringify(result)}\n`);
      if (s === startups - 1) {
        if (Number(option('--edits', 0))) out.edits = await monolithEdits(server, ws, Number(option('--edits', 0)));
        if (Number(option('--port-edits', 0))) out.portEdits = await portEdits(server, ws, Number(option('--port-edits', 0)));
      }
      await server.stop();
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  }
}
