#!/usr/bin/env node
// The benchmark (`npm run bench`): cold `hwc lint` against a same-run nix-instantiate parse
// baseline on generated workspaces of 200, 2,000 and 20,000 modules, and the language
// server over real JSON-RPC (startup, indexing, edit latency, dependants, memory).
// Writes bench/results.json, bench/RESULTS.md and bench/lint-time.svg. Never fails on
// numbers: a missed target is a row marked "miss", not an exit code.
//
//   node bench/run.mjs [--quick] [--sizes 200,2000,20000] [--runs N] [--no-lsp] [--no-profile]
//
// --quick: sizes 200 and 2,000, fewer repetitions and edits (a smoke run, about a minute).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateWorkspace, monolithPortSite, SHARED_DEPENDANTS } from './generate.mjs';
import { summarise as summariseProfile } from './profile.mjs';
import { renderMarkdown } from './report.mjs';
import { renderSvg } from './plot.mjs';
import { fileUri } from '../test/helpers/lspClient.mjs';
import { memoryAfterGc, probeEdit, replaceAt, round1, rssMb, sleep, startProbedServer } from './probe.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);
const hwc = path.join(repo, 'bin', 'hwc');

// ---------------------------------------------------------------------------------------
// Options and the time budget (the whole run must stay under 10 minutes on 2 cores).

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const quick = argv.includes('--quick');
const sizes = option('--sizes', quick ? '200,2000' : '200,2000,20000').split(',').map(Number);
const runsOverride = option('--runs', undefined);
const withLsp = !argv.includes('--no-lsp');
const withProfile = !argv.includes('--no-profile');
const LSP_SIZE = 2000;
const EDITS = quick ? 40 : 200;
const LEAK_EDITS = Number(option('--leak-edits', quick ? 200 : 1000));
const DEPENDANT_ROUNDS = quick ? 2 : 5;
const STARTUPS = quick ? 1 : 3;
const BUDGET_MS = 9.5 * 60_000;
const started = performance.now();
const elapsed = () => performance.now() - started;
const notes = [];
const log = (line) => process.stderr.write(`[bench ${(elapsed() / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

function runsFor(n) {
  if (runsOverride) return Number(runsOverride);
  if (quick) return 2;
  return n >= 20000 ? 3 : 5;
}

// ---------------------------------------------------------------------------------------
// Statistics

export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // nearest rank
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}
function stats(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const round = (x) => Math.round(x * 100) / 100;
  return {
    n: values.length,
    median: round(median),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
    p50: round(quantile(values, 0.5)),
    p95: round(quantile(values, 0.95)),
    spreadPct: median ? Math.round(((sorted[sorted.length - 1] - sorted[0]) / median) * 1000) / 10 : 0,
  };
}

// ---------------------------------------------------------------------------------------
// Processes: wall time and peak RSS

const haveTime = fs.existsSync('/usr/bin/time');

/** Runs a command; wall time around the spawn, peak RSS from /usr/bin/time (else /proc polling). */
function measureProcess(command, args, { cwd, collect = false, env } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(os.tmpdir(), `hwc-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const [cmd, cmdArgs] = haveTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, { cwd, env: env ?? process.env, stdio: ['ignore', collect ? 'pipe' : 'ignore', 'pipe'] });
    const out = [];
    let stderr = '';
    let polledPeakKb = 0;
    const poll = haveTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledPeakKb = Math.max(polledPeakKb, Number(m[1]));
          } catch {
            /* gone */
          }
        }, 10);
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (poll) clearInterval(poll);
      let peakKb = polledPeakKb;
      if (haveTime) {
        try {
          peakKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
          fs.rmSync(rssFile, { force: true });
        } catch {
          peakKb = NaN;
        }
      }
      resolve({ code, wallMs, peakMb: peakKb / 1024, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** Splits a file list into argument lists of at most ~1 MB (ARG_MAX is 2 MB here). */
function chunkArgs(files, maxBytes = 1_000_000) {
  const chunks = [[]];
  let size = 0;
  for (const f of files) {
    if (size + f.length + 1 > maxBytes && chunks[chunks.length - 1].length) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(f);
    size += f.length + 1;
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------
// 1–2: cold `hwc lint` and the parse baseline

async function lintOnce(ws) {
  const r = await measureProcess(process.execPath, [hwc, 'lint', '--no-cache', '--root', ws.root, '--format', 'json'], { cwd: ws.root, collect: true, env: { ...process.env, NO_COLOR: '1' } });
  let findings = null;
  try {
    findings = JSON.parse(r.stdout);
  } catch {
    notes.push(`lint of ${ws.modules} modules printed no JSON (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
  }
  return { ...r, findings };
}

async function parseBaselineOnce(ws) {
  const chunks = chunkArgs(ws.nixFiles);
  let wallMs = 0;
  let peakMb = 0;
  let failed = null;
  for (const chunk of chunks) {
    const r = await measureProcess('nix-instantiate', ['--store', 'dummy://', '--parse', ...chunk], { cwd: ws.root });
    wallMs += r.wallMs;
    peakMb = Math.max(peakMb, r.peakMb);
    if (r.code !== 0) failed = r.stderr.split('\n').slice(0, 3).join(' ');
  }
  return { wallMs, peakMb, processes: chunks.length, failed };
}

async function benchLint(ws) {
  const runs = runsFor(ws.modules);
  const lint = [];
  const parse = [];
  let findings = null;
  for (let r = 0; r < runs; r++) {
    if (r > 0 && elapsed() > BUDGET_MS * (ws.modules >= 20000 ? 0.97 : 0.6)) {
      notes.push(`lint of ${ws.modules} modules: stopped after ${r} of ${runs} runs to stay inside the time budget`);
      break;
    }
    // Alternate the two so drift on a noisy machine hits both alike.
    const p = await parseBaselineOnce(ws);
    parse.push(p);
    const l = await lintOnce(ws);
    lint.push(l);
    findings ??= l.findings;
    log(`lint ${ws.modules}: ${(l.wallMs / 1000).toFixed(2)} s, ${l.peakMb.toFixed(0)} MB, exit ${l.code}; parse ${(p.wallMs / 1000).toFixed(2)} s`);
  }
  const bySeverity = {};
  const byRule = {};
  for (const f of findings ?? []) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  if (parse.some((p) => p.failed)) notes.push(`nix-instantiate rejected a file of the ${ws.modules}-module workspace: ${parse.find((p) => p.failed).failed}`);
  const lintWall = stats(lint.map((l) => l.wallMs));
  const parseWall = stats(parse.map((p) => p.wallMs));
  return {
    modules: ws.modules,
    containers: ws.containers,
    nixFiles: ws.nixFiles.length,
    megabytes: Math.round(ws.bytes / 1e5) / 10,
    lint: { wallMs: lintWall, peakRssMb: stats(lint.map((l) => l.peakMb)), exitCodes: [...new Set(lint.map((l) => l.code))], findings: findings?.length ?? null, bySeverity, byRule },
    parseBaseline: { wallMs: parseWall, peakRssMb: stats(parse.map((p) => p.peakMb)), processes: parse[0]?.processes },
    ratio: lintWall && parseWall ? Math.round((lintWall.median / parseWall.median) * 10) / 10 : null,
    firstFindingFile: (findings ?? []).find((f) => f.severity === 'error' && f.file.endsWith('/index.nix'))?.file ?? null,
  };
}

async function profileLint(ws) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-bench-prof-'));
  spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, hwc, 'lint', '--no-cache', '--root', ws.root, '--format', 'json'], { stdio: 'ignore' });
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return null;
  const summary = summariseProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), 15);
  fs.rmSync(dir, { recursive: true, force: true });
  return { modules: ws.modules, ...summary };
}

// ---------------------------------------------------------------------------------------
// 3: the language server over JSON-RPC

/** RSS in MB after a forced full GC in the server (null when the probe does not answer). */
async function rssAfterGcMb(server) {
  return (await memoryAfterGc(server))?.rss ?? null;
}

/** Starts a server on ws, opens one file, waits for its diagnostics and for the index. */
async function startAndIndex(ws, openFile) {
  const t0 = performance.now();
  const server = await startProbedServer(ws.root);
  const tInit = performance.now();
  const file = path.join(ws.root, openFile);
  const uri = server.open(file, fs.readFileSync(file, 'utf8'));
  await server.waitDiagnostics(uri, (d) => d.length > 0, 120_000);
  const tDiag = performance.now();
  const firstDiagnostics = server.diagnostics.get(uri).diagnostics.map((d) => d.code);
  await server.waitReady(300_000);
  const tReady = performance.now();
  await sleep(500); // let the last publishes drain before sampling memory
  return {
    server,
    uri,
    initializeMs: tInit - t0,
    firstDiagnosticsMs: tDiag - t0,
    firstDiagnostics,
    indexMs: tReady - t0,
    rssAfterIndexMb: rssMb(server.child.pid),
    rssAfterIndexGcMb: await rssAfterGcMb(server),
  };
}

async function benchLsp(ws, lintResult) {
  const out = { modules: ws.modules, startups: [], notes: [] };
  const openFile = lintResult?.firstFindingFile ?? ws.monolith;
  // Startups 2..n only measure startup, indexing and memory.
  for (let s = 1; s < STARTUPS; s++) {
    const r = await startAndIndex(ws, openFile);
    await r.server.stop();
    out.startups.push(r);
    log(`lsp startup ${s}: first diagnostics ${r.firstDiagnosticsMs.toFixed(0)} ms, ready ${r.indexMs.toFixed(0)} ms, ${r.rssAfterIndexMb?.toFixed(0)} MB`);
  }
  const first = await startAndIndex(ws, openFile);
  out.startups.push(first);
  log(`lsp startup: first diagnostics ${first.firstDiagnosticsMs.toFixed(0)} ms, ready ${first.indexMs.toFixed(0)} ms, ${first.rssAfterIndexMb?.toFixed(0)} MB`);
  const { server } = first;
  try {
    out.firstDiagnosticsCodes = first.firstDiagnostics;
    // --- one-character edits in the ~2,000-line monolith -----------------------------
    const monolithPath = path.join(ws.root, ws.monolith);
    const monolithText = fs.readFileSync(monolithPath, 'utf8');
    out.monolithLines = monolithText.split('\n').length;
    const mono = server.open(monolithPath, monolithText);
    await server.waitReady();
    await sleep(200);
    const site = monolithPortSite(monolithText);
    let broken = false;
    const editOnce = async () => {
      // Typing a digit into the host port makes it 400400 (invalid-port-mapping); deleting it fixes it.
      const changes = broken ? replaceAt(site.line, site.character, 1, '') : replaceAt(site.line, site.character, 0, '0');
      broken = !broken;
      const t = performance.now();
      const version = server.change(mono, changes);
      await server.waitFor(() => server.diagnostics.get(mono)?.version === version, 60_000, `diagnostics for version ${version}`);
      return performance.now() - t;
    };
    const latencies = [];
    const editDeadline = performance.now() + (quick ? 20_000 : 75_000);
    for (let i = 0; i < EDITS; i++) {
      latencies.push(await editOnce());
      if (performance.now() > editDeadline && i >= 29) {
        out.notes.push(`edit latency: stopped after ${i + 1} of ${EDITS} edits (time cap)`);
        break;
      }
    }
    if (broken) await editOnce();
    out.editLatencyMs = stats(latencies);
    log(`edit→publishDiagnostics: p50 ${out.editLatencyMs.p50} ms, p95 ${out.editLatencyMs.p95} ms over ${latencies.length} edits`);

    // --- a burst of didChange: does it coalesce? -------------------------------------
    const isMonoPublish = (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === mono;
    const burstStart = server.notifications.length;
    const burst = 20;
    const tBurst = performance.now();
    for (let i = 0; i < burst; i++) {
      const changes = broken ? replaceAt(site.line, site.character, 1, '') : replaceAt(site.line, site.character, 0, '0');
      broken = !broken;
      server.change(mono, changes);
    }
    // The burst leaves the port as it was; a unique probe edit tells when all is analysed.
    const probe = await probeEdit(server, mono, site);
    const publishes = server.notifications.slice(burstStart, probe.index).filter(isMonoPublish).length - 1;
    out.burst = { edits: burst, publishesForBurst: publishes, settledMs: Math.round(probe.at - tBurst) };
    log(`burst of ${burst} didChange: ${publishes} intermediate publishes (0 = fully coalesced), settled in ${out.burst.settledMs} ms`);

    // --- an options.nix edit that changes findings in 50 dependants ------------------
    const sharedPath = path.join(ws.root, ws.sharedOptions);
    const sharedText = fs.readFileSync(sharedPath, 'utf8');
    const sharedUri = server.open(sharedPath, sharedText);
    await server.waitReady();
    await sleep(200);
    const dependants = ws.sharedDependants.map((f) => fileUri(path.join(ws.root, f)));
    const lines = sharedText.split('\n');
    const line = lines.findIndex((l) => l.includes('default = "media";'));
    const character = lines[line].indexOf('media') + 4; // the final `a`
    // rules.md v2 §3: the finding sits on the option default that wrote the bad category, with
    // relatedInformation at each use; every dependant must be judged again for it to be complete.
    const flaggedUses = () => new Set((server.diagnostics.get(sharedUri)?.diagnostics ?? [])
      .filter((d) => d.code === 'state-path-category')
      .flatMap((d) => (d.relatedInformation ?? []).map((r) => r.location.uri)));
    const dependantMs = [];
    for (let round = 0; round < DEPENDANT_ROUNDS; round++) {
      for (const [text, want] of [['x', true], ['a', false]]) {
        const t = performance.now();
        server.change(sharedUri, replaceAt(line, character, 1, text));
        await server.waitFor(() => {
          const uses = flaggedUses();
          return want ? dependants.every((u) => uses.has(u)) : uses.size === 0;
        }, 60_000, `${SHARED_DEPENDANTS} dependants ${want ? 'flagged' : 'clean'}`);
        dependantMs.push(performance.now() - t);
      }
    }
    out.dependantEditMs = stats(dependantMs);
    out.dependants = dependants.length;
    log(`options.nix edit → ${dependants.length} dependants updated: median ${out.dependantEditMs.median} ms, p95 ${out.dependantEditMs.p95} ms`);

    // --- completion, if the server offers it -------------------------------------------
    if (server.initializeResult.capabilities.completionProvider) {
      const lineText = monolithText.split('\n');
      const at = lineText.findIndex((l) => l.includes('image = "ghcr.io/example/monolith-worker:3.10.0"'));
      const completion = [];
      for (let i = 0; i < (quick ? 30 : 200); i++) {
        const t = performance.now();
        await server.request('textDocument/completion', { textDocument: { uri: mono }, position: { line: at, character: 6 } });
        completion.push(performance.now() - t);
      }
      out.completionMs = stats(completion);
      log(`completion: p95 ${out.completionMs.p95} ms`);
    } else {
      out.completionMs = null;
      out.notes.push('completion: the server does not offer textDocument/completion yet (no completionProvider in initialize); not measured');
    }

    out.rssAfterEditsMb = round1(rssMb(server.child.pid));
    out.rssAfterEditsGcMb = round1(await rssAfterGcMb(server));
    const alive = await server.request('workspace/executeCommand', { command: 'hwc.bench.noSuchCommand', arguments: [] }).then(() => true, () => true);
    out.aliveAfterEdits = alive && server.child.exitCode === null;
  } finally {
    out.exitCode = await server.stop();
  }
  out.initializeMs = stats(out.startups.map((s) => s.initializeMs));
  out.firstDiagnosticsMs = stats(out.startups.map((s) => s.firstDiagnosticsMs));
  out.indexMs = stats(out.startups.map((s) => s.indexMs));
  out.rssAfterIndexMb = stats(out.startups.map((s) => s.rssAfterIndexMb));
  out.rssAfterIndexGcMb = stats(out.startups.map((s) => s.rssAfterIndexGcMb).filter((x) => x !== null));
  out.openFile = openFile;
  out.startups = out.startups.map(({ server, uri, ...rest }) => rest);
  return out;
}

/**
 * The tree-sitter leak check: LEAK_EDITS one-character edits of the 2,000-line module in
 * a session of its own on the smallest workspace (trees belong to documents, so the
 * workspace size does not matter, and a smaller workspace starts faster).
 * Memory is compared after a forced GC in the server.
 */
async function benchLeak(ws) {
  const server = await startProbedServer(ws.root);
  try {
    await server.waitReady(300_000);
    const monolithPath = path.join(ws.root, ws.monolith);
    const text = fs.readFileSync(monolithPath, 'utf8');
    const mono = server.open(monolithPath, text);
    const site = monolithPortSite(text);
    await probeEdit(server, mono, site);
    const beforeMemory = await memoryAfterGc(server);
    const before = beforeMemory?.rss ?? null;
    const beforeRaw = rssMb(server.child.pid);
    let broken = false;
    const t = performance.now();
    let done = 0;
    for (let i = 0; i < LEAK_EDITS; i++) {
      const changes = broken ? replaceAt(site.line, site.character, 1, '') : replaceAt(site.line, site.character, 0, '0');
      broken = !broken;
      const version = server.change(mono, changes);
      done++;
      // Each edit waits for its diagnostics: the server parses a burst of didChange once, and
      // the check is about 1000 parses (trees freed) and 1000 lints, not 1000 queued changes.
      await server.waitFor(() => server.diagnostics.get(mono)?.version === version, 60_000, `leak edit ${done}`);
      if (i % 50 === 49) await probeEdit(server, mono, site);
      if (elapsed() > BUDGET_MS * 0.7 && !broken) {
        notes.push(`leak check: stopped after ${done} of ${LEAK_EDITS} edits to stay inside the time budget`);
        break;
      }
    }
    if (broken) {
      server.change(mono, replaceAt(site.line, site.character, 1, ''));
      done++;
    }
    await probeEdit(server, mono, site);
    const seconds = (performance.now() - t) / 1000;
    const afterMemory = await memoryAfterGc(server);
    const after = afterMemory?.rss ?? null;
    const afterRaw = rssMb(server.child.pid);
    const result = {
      modules: ws.modules,
      edits: done,
      seconds: Math.round(seconds * 10) / 10,
      beforeGcMb: round1(before),
      afterGcMb: round1(after),
      beforeMb: round1(beforeRaw),
      afterMb: round1(afterRaw),
      growthPct: before && after ? Math.round(((after - before) / before) * 1000) / 10 : null,
      memoryBeforeMb: beforeMemory,
      memoryAfterMb: afterMemory,
    };
    log(`leak check (${ws.modules} modules): ${done} edits in ${result.seconds} s, RSS after GC ${result.beforeGcMb} → ${result.afterGcMb} MB (${result.growthPct}%)`);
    return result;
  } finally {
    await server.stop();
  }
}


// ---------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  let commit = null;
  try {
    commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout.trim() || null;
  } catch {
    /* not a checkout */
  }
  let nixVersion = null;
  try {
    nixVersion = spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' }).stdout.trim() || null;
  } catch {
    /* missing */
  }
  return { node: process.version, cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memoryGb: Math.round(os.totalmem() / 2 ** 30), platform: `${os.type()} ${os.release()}`, load: os.loadavg().map((l) => Math.round(l * 100) / 100), commit, nixVersion, peakRss: haveTime ? '/usr/bin/time -f %M' : '/proc VmHWM polling' };
}

async function main() {
  const results = { date: new Date().toISOString(), machine: machine(), quick, sizes, lint: [], lsp: null, leak: null, profile: null, notes };
  log(`generating workspaces ${sizes.join(', ')}`);
  const workspaces = new Map(sizes.map((n) => [n, generateWorkspace(n)]));
  const bySize = new Map();
  // Small and medium first, then the server, then the big one with what time is left.
  for (const n of sizes.filter((s) => s < 20000)) {
    const r = await benchLint(workspaces.get(n));
    bySize.set(n, r);
  }
  if (withProfile && workspaces.has(LSP_SIZE)) {
    log(`profiling one lint of ${LSP_SIZE} modules`);
    results.profile = await profileLint(workspaces.get(LSP_SIZE));
  }
  if (withLsp && workspaces.has(LSP_SIZE)) {
    try {
      results.lsp = await benchLsp(workspaces.get(LSP_SIZE), bySize.get(LSP_SIZE));
    } catch (error) {
      notes.push(`LSP benchmark failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
      log(`LSP benchmark failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
  if (withLsp) {
    try {
      results.leak = await benchLeak(workspaces.get(Math.min(...sizes)));
    } catch (error) {
      notes.push(`leak check failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
      log(`leak check failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
  if (withLsp && !workspaces.has(LSP_SIZE)) notes.push(`LSP benchmark skipped: it runs on the ${LSP_SIZE}-module workspace, which is not among --sizes`);
  for (const n of sizes.filter((s) => s >= 20000)) {
    const r = await benchLint(workspaces.get(n));
    bySize.set(n, r);
  }
  results.lint = sizes.map((n) => bySize.get(n)).filter(Boolean);
  results.totalSeconds = Math.round(elapsed() / 1000);
  fs.writeFileSync(path.join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  const markdown = renderMarkdown(results);
  fs.writeFileSync(path.join(here, 'RESULTS.md'), markdown);
  fs.writeFileSync(path.join(here, 'lint-time.svg'), renderSvg(results));
  process.stdout.write(markdown);
  log(`done in ${results.totalSeconds} s: bench/results.json, bench/RESULTS.md, bench/lint-time.svg`);
}

await main();
