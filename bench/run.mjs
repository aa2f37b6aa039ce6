#!/usr/bin/env node
// The benchmark (`npm run bench`): cold `hwc lint` against a same-run nix-instantiate parse
// baseline on generated workspaces of 200, 2,000 and 20,000 modules and on the messy
// 2,000-module workspace, warm `hwc lint` with its cache, and the language server over real
// JSON-RPC (startup, indexing, every file published, edit latency, dependants, memory).
// Writes bench/results.json, bench/RESULTS.md and bench/lint-time.svg. Never fails on
// numbers: a missed target is a row marked "miss", not an exit code.
//
//   node bench/run.mjs [--quick] [--sizes 200,2000,20000] [--sections a,b,…] [--runs N]
//                      [--no-lsp] [--no-profile] [--write | --no-write]
//
// Sections (all by default): lint (cold, clean sizes below 20,000), messy (cold, messy
// 2,000), warm (lint cache, 2,000), profile (one lint each of clean and messy 2,000 under
// --cpu-prof), lsp (clean 2,000), lsp-messy, leak, big (20,000 modules).
// --quick: sizes 200 and 2,000, fewer repetitions and edits (a smoke run, about two minutes).
// A full run writes the results files; a partial one (--quick, --sections, --sizes) prints
// the report only, unless --write.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateWorkspace, monolithPortSite, SHARED_DEPENDANTS } from './generate.mjs';
import { benchMessyLsp } from './lsp-messy.mjs';
import { CACHE_DIR, countFindings, haveTime, hwc, lintHasCache, lintOnce, parseBaselineOnce, ratioOf, stats, statsOf } from './measure.mjs';
import { summarise as summariseProfile } from './profile.mjs';
import { renderMarkdown } from './report.mjs';
import { renderSvg } from './plot.mjs';
import { benchWarm } from './warm.mjs';
import { fileUri } from '../test/helpers/lspClient.mjs';
import { memoryAfterGc, probeEdit, replaceAt, round1, rssMb, sleep, startProbedServer, TRUSTED, warmServerCache } from './probe.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);

// ---------------------------------------------------------------------------------------
// Options and the time budget (the whole run must stay under 10 minutes on 2 cores).

const SECTIONS = ['lint', 'messy', 'warm', 'profile', 'lsp', 'lsp-messy', 'leak', 'big'];
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const quick = argv.includes('--quick');
const sizes = option('--sizes', quick ? '200,2000' : '200,2000,20000').split(',').map(Number);
const sectionsAsked = option('--sections', undefined);
const sections = new Set((sectionsAsked ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s} (known: ${SECTIONS.join(', ')})`);
if (argv.includes('--no-lsp')) for (const s of ['lsp', 'lsp-messy', 'leak']) sections.delete(s);
if (argv.includes('--no-profile')) sections.delete('profile');
const partial = quick || sectionsAsked !== undefined || option('--sizes', undefined) !== undefined || argv.includes('--no-lsp') || argv.includes('--no-profile');
const writeFiles = argv.includes('--write') || (!partial && !argv.includes('--no-write'));
const runsOverride = option('--runs', undefined);
const LSP_SIZE = 2000;
const MESSY_SIZE = 2000;
const EDITS = quick ? 40 : 200;
const CROSS_FILE_EDITS = quick ? 20 : 100;
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
// Cold `hwc lint` and the parse baseline

/** Cold lint runs (cache off and deleted) alternated with parse baseline runs on ws. */
async function benchLint(ws, { hasCache }) {
  const runs = runsFor(ws.modules);
  const lint = [];
  const parse = [];
  let findings = null;
  let lastPairMs = 0;
  for (let r = 0; r < runs; r++) {
    // Stop when another pair of runs would likely end past this section's share of the budget.
    if (r > 0 && elapsed() + lastPairMs > BUDGET_MS * (ws.modules >= 20000 ? 0.97 : 0.6)) {
      notes.push(`lint of ${ws.modules} modules${ws.messy ? ' (messy)' : ''}: stopped after ${r} of ${runs} runs to stay inside the time budget`);
      break;
    }
    // Alternate the two so drift on a noisy machine hits both alike.
    const p = await parseBaselineOnce(ws.root, ws.nixFiles);
    parse.push(p);
    const l = await lintOnce(ws.root, { cache: 'off', hasCache, notes });
    lint.push(l);
    findings ??= l.findings;
    lastPairMs = p.wallMs + l.wallMs;
    log(`lint ${ws.modules}${ws.messy ? ' messy' : ''}: ${(l.wallMs / 1000).toFixed(2)} s, ${l.peakMb.toFixed(0)} MB, exit ${l.code}; parse ${(p.wallMs / 1000).toFixed(2)} s`);
  }
  if (parse.some((p) => p.failed)) notes.push(`nix-instantiate rejected a file of the ${ws.modules}-module workspace: ${parse.find((p) => p.failed).failed}`);
  const lintWall = stats(lint.map((l) => l.wallMs));
  const parseWall = stats(parse.map((p) => p.wallMs));
  return {
    result: {
      modules: ws.modules,
      messy: !!ws.messy,
      containers: ws.containers,
      nixFiles: ws.nixFiles.length,
      megabytes: Math.round(ws.bytes / 1e5) / 10,
      lint: { wallMs: lintWall, cpuMs: statsOf(lint.map((l) => l.cpuMs)), peakRssMb: stats(lint.map((l) => l.peakMb)), exitCodes: [...new Set(lint.map((l) => l.code))], findings: findings?.length ?? null, filesWithFindings: findings ? new Set(findings.map((f) => f.file)).size : null, ...countFindings(findings) },
      parseBaseline: { wallMs: parseWall, cpuMs: statsOf(parse.map((p) => p.cpuMs)), peakRssMb: stats(parse.map((p) => p.peakMb)), processes: parse[0]?.processes },
      ratio: ratioOf(lintWall, parseWall),
      cpuRatio: ratioOf(statsOf(lint.map((l) => l.cpuMs)), statsOf(parse.map((p) => p.cpuMs))),
      firstFindingFile: (findings ?? []).find((f) => f.severity === 'error' && f.file.endsWith('/index.nix'))?.file ?? null,
    },
    findings,
  };
}

async function profileLint(ws, { hasCache }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-bench-prof-'));
  spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, hwc, 'lint', '--root', ws.root, '--format', 'json', ...(hasCache ? ['--no-cache'] : [])], { stdio: 'ignore' });
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return null;
  const summary = summariseProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), 15);
  fs.rmSync(dir, { recursive: true, force: true });
  return { modules: ws.modules, messy: !!ws.messy, ...summary };
}

// ---------------------------------------------------------------------------------------
// 3: the language server over JSON-RPC

/** RSS in MB after a forced full GC in the server (null when the probe does not answer). */
async function rssAfterGcMb(server) {
  return (await memoryAfterGc(server))?.rss ?? null;
}

/**
 * Starts a server on ws, opens one file, waits for its diagnostics and for the index.
 * Without `keepCache` the lint cache is deleted first: a cold start, whatever an earlier
 * start or lint left behind.
 */
async function startAndIndex(ws, openFile, { keepCache = false, trusted = false } = {}) {
  if (!keepCache) fs.rmSync(path.join(ws.root, CACHE_DIR), { recursive: true, force: true });
  const cacheAtStart = fs.existsSync(path.join(ws.root, CACHE_DIR));
  const t0 = performance.now();
  const server = await startProbedServer(ws.root, trusted ? TRUSTED : {});
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
    cacheAtStart,
    initializeMs: tInit - t0,
    firstDiagnosticsMs: tDiag - t0,
    firstDiagnostics,
    indexMs: tReady - t0,
    rssAfterIndexMb: rssMb(server.child.pid),
    rssAfterIndexGcMb: await rssAfterGcMb(server),
  };
}

async function benchLsp(ws, lintResult, { hasCache }) {
  const out = { modules: ws.modules, startups: [], notes: [] };
  // The file opened at each start: the first index.nix with an error (its first diagnostics
  // are timed), from the lint section or, when it did not run, one lint made here.
  const findings = lintResult ? null : (await lintOnce(ws.root, { cache: 'off', hasCache, notes })).findings;
  const openFile = lintResult?.firstFindingFile ?? findings?.find((f) => f.severity === 'error' && f.file.endsWith('/index.nix'))?.file;
  if (!openFile) throw new Error(`no index.nix with an error in the ${ws.modules}-module workspace to open`);
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
  // With a lint cache: one more start, trusted, after a trusted start left its summaries there.
  if (hasCache && (await warmServerCache(ws.root))) {
    const r = await startAndIndex(ws, openFile, { keepCache: true, trusted: true });
    await r.server.stop();
    const { server, uri, ...rest } = r;
    out.fromCache = rest;
    fs.rmSync(path.join(ws.root, CACHE_DIR), { recursive: true, force: true });
    log(`lsp start from its own cache (trusted): first diagnostics ${r.firstDiagnosticsMs.toFixed(0)} ms, ready ${r.indexMs.toFixed(0)} ms`);
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
  const hasCache = lintHasCache();
  const results = { date: new Date().toISOString(), machine: machine(), quick, sizes, sections: [...sections], lintCache: hasCache, lint: [], messy: null, warm: null, lsp: null, lspMessy: null, leak: null, profile: null, profileMessy: null, notes };
  const small = sizes.filter((n) => n < 20000);
  const big = sizes.filter((n) => n >= 20000);
  const wanted = new Set([
    ...(sections.has('lint') ? small : []),
    ...(sections.has('big') ? big : []),
    ...(['warm', 'profile', 'lsp'].some((s) => sections.has(s)) && sizes.includes(LSP_SIZE) ? [LSP_SIZE] : []),
    ...(sections.has('leak') ? [Math.min(...sizes)] : []),
  ]);
  const withMessy = ['messy', 'lsp-messy', 'profile'].some((s) => sections.has(s));
  const generating = [...[...wanted].sort((a, b) => a - b), ...(withMessy ? [`messy ${MESSY_SIZE}`] : [])];
  log(`generating workspaces ${generating.join(', ')}; lint cache ${hasCache ? 'present (cold runs pass --no-cache)' : 'absent'}`);
  const workspaces = new Map([...wanted].map((n) => [n, generateWorkspace(n)]));
  const messyWs = withMessy ? generateWorkspace(MESSY_SIZE, undefined, { messy: true }) : null;
  const bySize = new Map();
  const findingsBySize = new Map();
  // Small and medium first, then the messy one, the cache, the server, then the big one with what time is left.
  for (const n of small.filter(() => sections.has('lint'))) {
    const { result, findings } = await benchLint(workspaces.get(n), { hasCache });
    bySize.set(n, result);
    findingsBySize.set(n, findings);
  }
  let messyFindings = null;
  if (messyWs && sections.has('messy')) {
    const { result, findings } = await benchLint(messyWs, { hasCache });
    results.messy = result;
    messyFindings = findings;
  }
  if (sections.has('warm') && workspaces.has(LSP_SIZE)) {
    const ws = workspaces.get(LSP_SIZE);
    // The warm runs' output must equal a cold run's (one is made if the lint section did not run).
    const coldFindings = hasCache ? findingsBySize.get(LSP_SIZE) ?? (await lintOnce(ws.root, { cache: 'off', hasCache, notes })).findings : null;
    results.warm = await benchWarm(ws, { hasCache, runs: runsFor(LSP_SIZE), log, notes, coldFindings });
    if (!results.warm.available) log(`warm lint: not available (${results.warm.reason})`);
  }
  if (sections.has('profile') && workspaces.has(LSP_SIZE)) {
    log(`profiling one lint of ${LSP_SIZE} modules`);
    results.profile = await profileLint(workspaces.get(LSP_SIZE), { hasCache });
  }
  if (sections.has('profile') && messyWs) {
    log(`profiling one lint of the messy ${MESSY_SIZE}-module workspace`);
    results.profileMessy = await profileLint(messyWs, { hasCache });
  }
  if (sections.has('lsp') && workspaces.has(LSP_SIZE)) {
    try {
      results.lsp = await benchLsp(workspaces.get(LSP_SIZE), bySize.get(LSP_SIZE), { hasCache });
    } catch (error) {
      notes.push(`LSP benchmark failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
      log(`LSP benchmark failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
  if (sections.has('lsp') && !workspaces.has(LSP_SIZE)) notes.push(`LSP benchmark skipped: it runs on the ${LSP_SIZE}-module workspace, which is not among --sizes`);
  if (messyWs && sections.has('lsp-messy')) {
    try {
      messyFindings ??= (await lintOnce(messyWs.root, { cache: 'off', hasCache, notes })).findings;
      results.lspMessy = await benchMessyLsp(messyWs, messyFindings ?? [], { startups: STARTUPS, edits: CROSS_FILE_EDITS, log, notes, hasCache });
    } catch (error) {
      notes.push(`messy LSP benchmark failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
      log(`messy LSP benchmark failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
  if (sections.has('leak')) {
    try {
      results.leak = await benchLeak(workspaces.get(Math.min(...sizes)));
    } catch (error) {
      notes.push(`leak check failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
      log(`leak check failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
  for (const n of big.filter(() => sections.has('big'))) {
    const { result } = await benchLint(workspaces.get(n), { hasCache });
    bySize.set(n, result);
  }
  results.lint = sizes.map((n) => bySize.get(n)).filter(Boolean);
  results.totalSeconds = Math.round(elapsed() / 1000);
  const markdown = renderMarkdown(results);
  if (writeFiles) {
    fs.writeFileSync(path.join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    fs.writeFileSync(path.join(here, 'RESULTS.md'), markdown);
    fs.writeFileSync(path.join(here, 'lint-time.svg'), renderSvg(results));
  }
  process.stdout.write(markdown);
  log(`done in ${results.totalSeconds} s${writeFiles ? ': bench/results.json, bench/RESULTS.md, bench/lint-time.svg' : ' (a partial run: nothing written; --write to write the results files)'}`);
}

await main();
