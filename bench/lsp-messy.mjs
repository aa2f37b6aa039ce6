// The language server on the messy workspace (issue 18): spawn → every file's diagnostics
// published (the files and counts a CLI lint of the same workspace reports), and a
// cross-file port edit: one character of a metrics port in one module makes it conflict with
// another module's (and the next edit undoes it), timed until both files' diagnostics are
// published.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileUri } from '../test/helpers/lspClient.mjs';
import { PROBE_PORTS, probePortSite } from './messy.mjs';
import { CACHE_DIR, stats } from './measure.mjs';
import { replaceAt, rssMb, round1, sleep, startProbedServer, TRUSTED, warmServerCache } from './probe.mjs';

/**
 * Starts a server and waits until every file the CLI reports findings in has been published
 * with the CLI's number of findings. The per-file counts are followed incrementally (each
 * check looks only at notifications that arrived since the last), so waiting costs nothing
 * measurable next to the server's work.
 */
async function startAndPublishAll(ws, expected, timeoutMs, { keepCache = false, trusted = false } = {}) {
  // A cold start unless asked otherwise: no lint cache left by an earlier start or lint.
  if (!keepCache) fs.rmSync(path.join(ws.root, CACHE_DIR), { recursive: true, force: true });
  const cacheAtStart = fs.existsSync(path.join(ws.root, CACHE_DIR));
  const t0 = performance.now();
  const server = await startProbedServer(ws.root, trusted ? TRUSTED : {});
  const initializeMs = performance.now() - t0;
  const latest = new Map(); // uri -> count in its latest publish
  const extra = new Set(); // uris published with findings the CLI does not report
  let seen = 0;
  let complete = 0;
  let readyMs = null;
  let completeMs = null;
  const follow = () => {
    for (; seen < server.notifications.length; seen++) {
      const n = server.notifications[seen];
      if (n.method === 'hwc/status' && n.params.state === 'ready' && readyMs === null) readyMs = performance.now() - t0;
      if (n.method !== 'textDocument/publishDiagnostics') continue;
      const want = expected.get(n.params.uri);
      if (want === undefined) {
        // Findings the CLI does not report: a parity problem worth a note, not a wait.
        if (n.params.diagnostics.length) extra.add(n.params.uri);
        else extra.delete(n.params.uri);
        continue;
      }
      const before = latest.get(n.params.uri) === want;
      latest.set(n.params.uri, n.params.diagnostics.length);
      const after = n.params.diagnostics.length === want;
      complete += Number(after) - Number(before);
    }
    // A later publish can take a file away from its final count again (a partial pass).
    if (complete !== expected.size) completeMs = null;
    else if (completeMs === null) completeMs = performance.now() - t0;
    return completeMs !== null && readyMs !== null;
  };
  let timedOut = false;
  try {
    await server.waitFor(() => follow() || readyMs !== null, timeoutMs, 'index ready');
    // Publishing may trail the ready status a little; a file that never matches the CLI must
    // not hold the benchmark up for long.
    await server.waitFor(follow, 10_000, 'every file with findings published');
  } catch {
    timedOut = true;
    follow();
  }
  const missing = [...expected].filter(([uri, want]) => latest.get(uri) !== want);
  return {
    server,
    cacheAtStart,
    initializeMs,
    readyMs,
    allPublishedMs: completeMs,
    timedOut,
    filesComplete: complete,
    mismatched: missing.slice(0, 5).map(([uri, want]) => `${path.relative(ws.root, new URL(uri).pathname)}: CLI ${want}, published ${latest.get(uri) ?? 'nothing'}`),
    mismatchedCount: missing.length,
    extraFiles: [...extra].slice(0, 5).map((uri) => path.relative(ws.root, new URL(uri).pathname)),
    extraCount: extra.size,
    rssAfterMb: round1(rssMb(server.child.pid)),
  };
}

/** The lines the probe ports sit on in each of the two files (host-port-conflict lands there). */
function probeLine(text, port) {
  return text.split('\n').findIndex((l) => l.includes(`"127.0.0.1:${port}:9100"`));
}

async function crossFileEdits(server, ws, edits, log) {
  const [editedFile, partnerFile] = ws.probePortFiles.map((f) => path.join(ws.root, f));
  const text = fs.readFileSync(editedFile, 'utf8');
  const site = probePortSite(text);
  const partnerLine = probeLine(fs.readFileSync(partnerFile, 'utf8'), PROBE_PORTS[1]);
  if (!site || partnerLine < 0) throw new Error('the messy workspace has no probe ports (regenerate it)');
  const uri = server.open(editedFile, text);
  const partnerUri = fileUri(partnerFile);
  await server.waitReady(300_000);
  await sleep(200); // opening republishes nothing when the findings are unchanged: let the pass finish
  const conflictOn = (u, line) => (server.diagnostics.get(u)?.diagnostics ?? []).some((d) => d.code === 'host-port-conflict' && d.range.start.line === line);
  await server.waitFor(() => !conflictOn(uri, site.line) && !conflictOn(partnerUri, partnerLine), 60_000, 'the probe ports apart');
  const latencies = [];
  let conflicting = false;
  for (let i = 0; i < edits; i++) {
    const to = conflicting ? site.from : site.to;
    const t = performance.now();
    const version = server.change(uri, replaceAt(site.line, site.character, 1, to));
    conflicting = !conflicting;
    const want = conflicting;
    await server.waitFor(
      () => server.diagnostics.get(uri)?.version === version && conflictOn(uri, site.line) === want && conflictOn(partnerUri, partnerLine) === want,
      60_000,
      `host-port-conflict ${want ? 'in' : 'gone from'} both probe files`,
    );
    latencies.push(performance.now() - t);
  }
  if (conflicting) {
    const version = server.change(uri, replaceAt(site.line, site.character, 1, site.from));
    await server.waitFor(() => server.diagnostics.get(uri)?.version === version, 60_000, 'probe port restored');
  }
  const result = stats(latencies);
  log(`cross-file port edit → both files published: p50 ${result.p50} ms, p95 ${result.p95} ms over ${latencies.length} edits`);
  return { ...result, files: ws.probePortFiles };
}

/**
 * ws: the messy workspace; cliFindings: `hwc lint --format json` of it (the reference for
 * which files must be published, and with how many findings).
 */
export async function benchMessyLsp(ws, cliFindings, { startups, edits, log, notes, hasCache }) {
  const expected = new Map();
  for (const f of cliFindings) {
    const uri = fileUri(path.join(ws.root, f.file));
    expected.set(uri, (expected.get(uri) ?? 0) + 1);
  }
  const out = { modules: ws.modules, filesWithFindings: expected.size, findings: cliFindings.length, startups: [] };
  for (let s = 0; s < startups; s++) {
    const r = await startAndPublishAll(ws, expected, 120_000);
    const { server, ...row } = r;
    out.startups.push(row);
    log(`messy lsp startup ${s + 1}: index ready ${Math.round(r.readyMs ?? -1)} ms, every file published ${r.allPublishedMs === null ? `never (${r.mismatchedCount} files differ from the CLI)` : `${Math.round(r.allPublishedMs)} ms`}`);
    try {
      if (s === startups - 1) out.crossFileEditMs = await crossFileEdits(server, ws, edits, log);
    } finally {
      await server.stop();
    }
  }
  // With a lint cache: one more start, trusted, after a trusted start left its summaries there.
  if (hasCache && (await warmServerCache(ws.root))) {
    const { server, ...row } = await startAndPublishAll(ws, expected, 120_000, { keepCache: true, trusted: true });
    await server.stop();
    out.fromCache = row;
    fs.rmSync(path.join(ws.root, CACHE_DIR), { recursive: true, force: true });
    log(`messy lsp start from its own cache (trusted): index ready ${Math.round(row.readyMs ?? -1)} ms, every file published ${row.allPublishedMs === null ? 'never' : `${Math.round(row.allPublishedMs)} ms`}`);
  }
  const last = out.startups.at(-1);
  if (last.extraCount) notes.push(`messy LSP: ${last.extraCount} files were published with findings the CLI does not report (e.g. ${last.extraFiles.join(', ')})`);
  if (last.mismatchedCount) notes.push(`messy LSP: ${last.mismatchedCount} of ${expected.size} files were never published with the CLI's number of findings (e.g. ${last.mismatched.join('; ')})`);
  out.allPublishedMs = stats(out.startups.map((s) => s.allPublishedMs).filter((x) => x !== null));
  out.indexMs = stats(out.startups.map((s) => s.readyMs).filter((x) => x !== null));
  return out;
}
