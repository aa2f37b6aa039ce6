// bench/RESULTS.md from bench/results.json: the targets of issue 18 (and those of issue 9
// still measured) with pass/miss, then the raw numbers. `node bench/report.mjs` re-renders it (and the SVG) from a saved results.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg } from './plot.mjs';

const fmtMs = (ms) => (ms === null || ms === undefined ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`);
const fmtMb = (mb) => (mb === null || mb === undefined || Number.isNaN(mb) ? '–' : `${Math.round(mb)} MB`);
const spread = (s) => (s ? `${fmtMs(s.min)}–${fmtMs(s.max)}` : '–');
const verdict = (ok) => (ok === null ? 'n/a' : ok ? '**pass**' : '**miss**');

const notMeasured = '– (not measured in this run)';
const times = (ratio) => (ratio === null || ratio === undefined ? '–' : `${ratio}×`);

/** The targets of issue 18, each with the measured value and a verdict (null: not measured). */
export function targets(results) {
  const l2k = results.lint.find((l) => l.modules === 2000);
  const l20k = results.lint.find((l) => l.modules === 20000);
  const { messy, warm, lsp } = results;
  const lspMessy = results.lspMessy;
  const rows = [];
  const add = (what, target, measured, ok) => rows.push({ what, target, measured, ok });
  const vsParse = (r) => `${times(r.ratio)} (lint ${fmtMs(r.lint.wallMs.median)}, parse ${fmtMs(r.parseBaseline.wallMs.median)})`;
  add('cold `hwc lint`, 2,000 modules, vs `nix-instantiate --parse` of the same files', '≤ 4×', l2k ? vsParse(l2k) : notMeasured, l2k ? l2k.ratio <= 4 : null);
  add(`the same on the messy workspace (${messy ? `${messy.lint.findings?.toLocaleString('en-US') ?? '?'} findings, ${Object.keys(messy.lint.byRule).length} rules` : 'every module with several mistakes'})`, '≤ 4.5×', messy ? vsParse(messy) : notMeasured, messy ? messy.ratio <= 4.5 : null);
  const warmRow = (what, target, limit, pick) => {
    if (!warm) return add(what, target, notMeasured, null);
    if (!warm.available) return add(what, target, `not available: ${warm.reason}`, null);
    const r = pick(warm);
    if (!r) return add(what, target, notMeasured, null);
    add(what, target, `${vsParse(r)}${r.sameFindingsAsCold ? '' : '; findings differ from the cold run'}`, r.ratio <= limit && r.sameFindingsAsCold);
  };
  warmRow('warm `hwc lint` (cache, nothing changed), 2,000 modules, vs the parse baseline', '≤ 1×', 1, (w) => w.unchanged);
  warmRow('warm, one module changed', '≤ 1.2×', 1.2, (w) => w.oneChanged);
  add('20,000 modules, peak RSS of `hwc lint`', '< 350 MB', l20k ? fmtMb(l20k.lint.peakRssMb.median) : notMeasured, l20k ? l20k.lint.peakRssMb.median < 350 : null);
  add('language server, spawn → index ready, 2,000 modules (median of starts)', '≤ 0.8 s', lsp?.indexMs ? `${fmtMs(lsp.indexMs.median)} (${fmtMs(lsp.indexMs.min)}–${fmtMs(lsp.indexMs.max)}, n=${lsp.indexMs.n})` : notMeasured, lsp?.indexMs ? lsp.indexMs.median <= 800 : null);
  if (lsp?.fromCache) add('… a trusted start from the summaries an earlier start left in `.hwc-cache/` (one start)', '≤ 0.8 s', fmtMs(lsp.fromCache.indexMs), lsp.fromCache.indexMs <= 800);
  const published = lspMessy?.allPublishedMs;
  add(`language server, spawn → every file's diagnostics published, messy 2,000-module workspace${lspMessy ? ` (${lspMessy.filesWithFindings.toLocaleString('en-US')} files)` : ''}`, '≤ 2 s', lspMessy ? (published ? `${fmtMs(published.median)} (${fmtMs(published.min)}–${fmtMs(published.max)}, n=${published.n})` : 'never: some files were not published as the CLI reports them (see notes)') : notMeasured, lspMessy ? (published ? published.median <= 2000 && published.n === lspMessy.startups.length : false) : null);
  if (lspMessy?.fromCache) add('… a trusted start from the summaries an earlier start left in `.hwc-cache/` (one start)', '≤ 2 s', lspMessy.fromCache.allPublishedMs === null ? 'never (see notes)' : fmtMs(lspMessy.fromCache.allPublishedMs), lspMessy.fromCache.allPublishedMs !== null && lspMessy.fromCache.allPublishedMs <= 2000);
  add('one-character edit → diagnostics, 2,000-line module, p95', '≤ 5 ms', lsp?.editLatencyMs ? `${fmtMs(lsp.editLatencyMs.p95)} (p50 ${fmtMs(lsp.editLatencyMs.p50)}, ${lsp.editLatencyMs.n} edits)` : notMeasured, lsp?.editLatencyMs ? lsp.editLatencyMs.p95 <= 5 : null);
  const cross = lspMessy?.crossFileEditMs;
  add('cross-file port change (messy workspace) → both files published, p95', '≤ 5 ms', cross ? `${fmtMs(cross.p95)} (p50 ${fmtMs(cross.p50)}, ${cross.n} edits)` : notMeasured, cross ? cross.p95 <= 5 : null);
  return rows;
}

/** The earlier targets (issue 9) that still matter, measured in the same run. */
export function otherTargets(results) {
  const l2k = results.lint.find((l) => l.modules === 2000);
  const l20k = results.lint.find((l) => l.modules === 20000);
  const { lsp, leak } = results;
  const rows = [];
  const add = (what, target, measured, ok) => rows.push({ what, target, measured, ok });
  if (l2k) add('cold `hwc lint`, 2,000 modules (median)', '< 1 s', fmtMs(l2k.lint.wallMs.median), l2k.lint.wallMs.median < 1000);
  if (l20k && l2k) {
    const ratio = Math.round((l20k.lint.wallMs.median / l2k.lint.wallMs.median) * 10) / 10;
    add('`hwc lint`, 20,000 modules vs 2,000 (linear)', '≤ 10.5×', `${ratio}× (${fmtMs(l20k.lint.wallMs.median)})`, ratio <= 10.5);
  }
  if (lsp) {
    add(`\`options.nix\` edit → findings updated in ${lsp.dependants ?? 50} dependants, p95`, '< 100 ms', lsp.dependantEditMs ? `${fmtMs(lsp.dependantEditMs.p95)} (median ${fmtMs(lsp.dependantEditMs.median)}, ${lsp.dependantEditMs.n} edits)` : '–', lsp.dependantEditMs ? lsp.dependantEditMs.p95 < 100 : null);
    add('completion, p95', '< 20 ms', lsp.completionMs ? fmtMs(lsp.completionMs.p95) : 'not offered yet', lsp.completionMs ? lsp.completionMs.p95 < 20 : null);
    add('server RSS after indexing 2,000 modules (median of starts)', '< 150 MB', `${fmtMb(lsp.rssAfterIndexMb?.median)} (${fmtMb(lsp.rssAfterIndexGcMb?.median)} after a forced GC)`, lsp.rssAfterIndexMb ? lsp.rssAfterIndexMb.median < 150 : null);
  }
  if (leak) add(`server RSS growth over ${leak.edits} edits of the 2,000-line module (after GC)`, '≤ 10%', `${leak.growthPct}% (${fmtMb(leak.beforeGcMb)} → ${fmtMb(leak.afterGcMb)})`, leak.growthPct === null ? null : leak.growthPct <= 10);
  add('whole benchmark on this machine', '< 10 min', `${Math.floor(results.totalSeconds / 60)} min ${results.totalSeconds % 60} s${results.quick || results.sections?.length < 8 ? ' (a partial run)' : ''}`, results.totalSeconds < 600);
  return rows;
}

export function renderMarkdown(results) {
  const m = results.machine;
  const out = [];
  out.push('# Benchmark results', '');
  out.push(`Generated by \`npm run bench\` (bench/run.mjs) on ${results.date.slice(0, 10)}${results.quick ? ' with `--quick` (fewer runs; not the reference numbers)' : ''}: ${m.cores} × ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}, ${m.nixVersion ?? 'nix-instantiate missing'}, commit ${m.commit ?? '?'}, load average at start ${m.load.join(' ')}. The machine is shared and noisy: read the spread columns before drawing conclusions. Peak RSS via ${m.peakRss}.`, '');
  out.push('## Targets (issue 18)', '');
  out.push('Ratios are against the `nix-instantiate --parse` baseline measured alternately with the lint runs in the same section of the same run.', '');
  out.push('| measure | target | measured | verdict |', '| --- | --- | --- | --- |');
  for (const r of targets(results)) out.push(`| ${r.what} | ${r.target} | ${r.measured} | ${verdict(r.ok)} |`);
  out.push('');
  out.push('## Other targets (issue 9, still measured)', '');
  out.push('| measure | target | measured | verdict |', '| --- | --- | --- | --- |');
  for (const r of otherTargets(results)) out.push(`| ${r.what} | ${r.target} | ${r.measured} | ${verdict(r.ok)} |`);
  out.push('');
  const cold = [...results.lint, ...(results.messy ? [results.messy] : [])];
  const label = (l) => `${l.modules.toLocaleString('en-US')}${l.messy ? ' messy' : ''}`;
  out.push('## Cold `hwc lint` vs the parse baseline', '');
  out.push(`Each run is a whole process (\`node bin/hwc lint --root <ws> --format json${results.lintCache ? ' --no-cache' : ''}\`${results.lintCache ? ', with `.hwc-cache/` deleted before each run' : ''}), so Node start-up, loading the parser and reading every file count. The baseline is \`nix-instantiate --store dummy:// --parse\` over the same \`.nix\` files, in as few processes as the argument-length limit allows, alternated with the lint runs.`, '');
  out.push('| modules | .nix files | MB | lint median | lint min–max | spread | lint CPU | peak RSS | findings (files) | parse median | parse min–max | parse CPU | lint / parse | CPU lint / parse |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of cold) {
    out.push(`| ${label(l)} | ${l.nixFiles.toLocaleString('en-US')} | ${l.megabytes} | ${fmtMs(l.lint.wallMs.median)} | ${spread(l.lint.wallMs)} | ${l.lint.wallMs.spreadPct}% (n=${l.lint.wallMs.n}) | ${fmtMs(l.lint.cpuMs?.median)} | ${fmtMb(l.lint.peakRssMb.median)} | ${l.lint.findings?.toLocaleString('en-US') ?? '–'}${l.lint.filesWithFindings ? ` (${l.lint.filesWithFindings.toLocaleString('en-US')})` : ''} | ${fmtMs(l.parseBaseline.wallMs.median)} | ${spread(l.parseBaseline.wallMs)} | ${fmtMs(l.parseBaseline.cpuMs?.median)} | ${times(l.ratio)} | ${times(l.cpuRatio)} |`);
  }
  out.push('', 'CPU is user + system time of the process (medians; `hwc lint` indexes on worker threads, so its CPU time can exceed its wall time). The targets use wall time; the CPU columns say how much of a ratio is the machine\'s load.');
  out.push('', '![lint time vs workspace size](lint-time.svg)', '');
  out.push('Findings by rule:', '');
  for (const l of cold) out.push(`- ${label(l)} modules: ${Object.entries(l.lint.byRule).sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} ${n}`).join(', ') || 'none'}`);
  out.push('');
  const warm = results.warm;
  if (warm) {
    out.push('## Warm `hwc lint` (the lint cache)', '');
    if (!warm.available) out.push(`Not available: ${warm.reason}.`, '');
    else {
      out.push(`On a copy of the ${warm.modules.toLocaleString('en-US')}-module workspace: one run with the cache on writes \`.hwc-cache/\` (${fmtMs(warm.primeMs)}; ${warm.cacheKb.toLocaleString('en-US')} KB at the end), then runs with nothing changed, then runs each preceded by an edit of one environment value in \`${warm.editedFile}\` (a new value every run, so no cache entry matches it). Each row alternates with its own parse baseline runs.`, '');
      out.push('| warm run | lint median | lint min–max | lint CPU | peak RSS | parse median | parse CPU | lint / parse | CPU lint / parse | findings equal the cold run |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
      for (const [what, r] of [['nothing changed', warm.unchanged], ['one module changed', warm.oneChanged]]) {
        if (r) out.push(`| ${what} | ${fmtMs(r.lint.wallMs.median)} | ${spread(r.lint.wallMs)} | ${fmtMs(r.lint.cpuMs?.median)} | ${fmtMb(r.lint.peakRssMb.median)} | ${fmtMs(r.parseBaseline.wallMs.median)} | ${fmtMs(r.parseBaseline.cpuMs?.median)} | ${times(r.ratio)} | ${times(r.cpuRatio)} | ${r.sameFindingsAsCold ? 'yes' : '**no**'} |`);
      }
      out.push('');
    }
  }
  const lsp = results.lsp;
  if (lsp) {
    out.push(`## Language server (JSON-RPC over stdio, ${lsp.modules.toLocaleString('en-US')} modules)`, '');
    out.push('Every start is cold: `.hwc-cache/` is deleted before it and the client reports an untrusted workspace (the server reads and writes its cache only in a trusted one; the start from its own cache is its own row).', '');
    out.push('| measure | median | min–max | p95 | n |', '| --- | ---: | ---: | ---: | ---: |');
    const row = (what, s) => s && out.push(`| ${what} | ${fmtMs(s.median)} | ${spread(s)} | ${fmtMs(s.p95)} | ${s.n} |`);
    row('spawn → `initialize` answered', lsp.initializeMs);
    row(`spawn → first diagnostics of an open file (\`${lsp.openFile}\`)`, lsp.firstDiagnosticsMs);
    row('spawn → index ready (`hwc/status` ready)', lsp.indexMs);
    if (lsp.fromCache) out.push(`| … trusted, from the summaries an earlier start cached: first diagnostics ${fmtMs(lsp.fromCache.firstDiagnosticsMs)}, index ready | ${fmtMs(lsp.fromCache.indexMs)} | | | 1 |`);
    row(`one-character edit → publishDiagnostics (${lsp.monolithLines}-line module)`, lsp.editLatencyMs);
    row(`\`options.nix\` edit → ${lsp.dependants} dependants updated`, lsp.dependantEditMs);
    row('completion', lsp.completionMs);
    out.push('');
    out.push(`Server RSS after indexing: ${fmtMb(lsp.rssAfterIndexMb?.median)} (min–max ${fmtMb(lsp.rssAfterIndexMb?.min)}–${fmtMb(lsp.rssAfterIndexMb?.max)}), ${fmtMb(lsp.rssAfterIndexGcMb?.median)} after a forced GC; after all the edits above ${fmtMb(lsp.rssAfterEditsMb)} (${fmtMb(lsp.rssAfterEditsGcMb)} after GC). Still answering afterwards: ${lsp.aliveAfterEdits ? 'yes' : 'no'}.`, '');
    if (lsp.burst) out.push(`A burst of ${lsp.burst.edits} \`didChange\` notifications sent back to back produced ${lsp.burst.publishesForBurst} intermediate \`publishDiagnostics\` for the document (0–1 means the lint loop coalesced them; ${lsp.burst.edits} means one full lint per change) and settled after ${fmtMs(lsp.burst.settledMs)}.`, '');
    if (lsp.firstDiagnosticsCodes) out.push(`First diagnostics published for the open file (before the index was complete): ${lsp.firstDiagnosticsCodes.map((c) => `\`${c}\``).join(', ') || 'none'}.`, '');
    const cached = (lsp.startups ?? []).filter((st) => st.cacheAtStart).length;
    if (cached) out.push(`${cached} of ${lsp.startups.length} starts found a \`.hwc-cache/\` in the workspace root (written by an earlier start).`, '');
    for (const note of lsp.notes ?? []) out.push(`- ${note}`);
    if (lsp.notes?.length) out.push('');
  }
  const lspMessy = results.lspMessy;
  if (lspMessy) {
    out.push(`## Language server on the messy workspace (${lspMessy.modules.toLocaleString('en-US')} modules, ${lspMessy.findings.toLocaleString('en-US')} findings in ${lspMessy.filesWithFindings.toLocaleString('en-US')} files)`, '');
    out.push('"Every file published" is the moment the last of the files a CLI lint of the same workspace reports findings in has been published with the CLI\'s number of findings (push diagnostics; the client announces no pull support). The cross-file edit changes one digit of a metrics port (`30010` ↔ `30011`) in one module so that it conflicts with another module\'s, or stops conflicting, and waits until `host-port-conflict` appears in (or leaves) both files.', '');
    out.push('| measure | median | min–max | p95 | n |', '| --- | ---: | ---: | ---: | ---: |');
    const row = (what, s) => s && out.push(`| ${what} | ${fmtMs(s.median)} | ${spread(s)} | ${fmtMs(s.p95)} | ${s.n} |`);
    row('spawn → index ready (`hwc/status` ready)', lspMessy.indexMs);
    row("spawn → every file's diagnostics published", lspMessy.allPublishedMs);
    if (lspMessy.fromCache) out.push(`| … trusted, from the summaries an earlier start cached: index ready ${fmtMs(lspMessy.fromCache.readyMs)}, every file published | ${lspMessy.fromCache.allPublishedMs === null ? 'never' : fmtMs(lspMessy.fromCache.allPublishedMs)} | | | 1 |`);
    row(`cross-file port edit → both files published (\`${lspMessy.crossFileEditMs?.files?.join('` ↔ `') ?? '?'}\`)`, lspMessy.crossFileEditMs);
    out.push('');
    const incomplete = lspMessy.startups.filter((st) => st.allPublishedMs === null);
    if (incomplete.length) out.push(`${incomplete.length} of ${lspMessy.startups.length} starts never published every file as the CLI reports it (${incomplete[0].mismatchedCount} files differ, e.g. ${incomplete[0].mismatched.join('; ')}).`, '');
    const cached = lspMessy.startups.filter((st) => st.cacheAtStart).length;
    if (cached) out.push(`${cached} of ${lspMessy.startups.length} starts found a \`.hwc-cache/\` in the workspace root.`, '');
  }
  const leak = results.leak;
  if (leak) {
    out.push(`## Leak check`, '');
    out.push(`${leak.edits} one-character edits of the 2,000-line module in a session on the ${leak.modules}-module workspace (trees belong to documents, so the workspace size does not matter; a smaller workspace starts faster), each waiting for its diagnostics (so each is parsed and linted, not coalesced into a burst), every 50th also followed by a probe edit: ${leak.seconds} s. RSS after two forced GCs, read once it stops falling (\`--expose-gc\` and a SIGUSR2 hook preloaded by the benchmark, bench/mem-probe.cjs, which says why two and why wait): ${fmtMb(leak.beforeGcMb)} before, ${fmtMb(leak.afterGcMb)} after (${leak.growthPct}%); without GC ${fmtMb(leak.beforeMb)} → ${fmtMb(leak.afterMb)}.`, '');
    if (leak.memoryBeforeMb && leak.memoryAfterMb) {
      out.push('| after GC, MB | rss | rss right after the GCs | heapTotal | heapUsed | external | arrayBuffers |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const [label, m] of [['before', leak.memoryBeforeMb], ['after', leak.memoryAfterMb]]) out.push(`| ${label} | ${m.rss} | ${m.immediateRss ?? '–'} | ${m.heapTotal} | ${m.heapUsed} | ${m.external} | ${m.arrayBuffers} |`);
      out.push('', 'tree-sitter keeps its trees in WebAssembly memory, which never shrinks and shows in rss (not in the V8 heap); a leak of JS objects shows in heapUsed.', '');
    }
  }
  for (const p of [results.profile, results.profileMessy].filter(Boolean)) {
    const ws = p.messy ? `ws-${p.modules}-messy` : `ws-${p.modules}`;
    out.push(`## Where the time goes (\`node --cpu-prof\`, one lint of the ${p.messy ? 'messy ' : ''}${p.modules.toLocaleString('en-US')}-module workspace, ${fmtMs(p.totalMs)} sampled)`, '');
    out.push('| self time by source file | ms | % |', '| --- | ---: | ---: |');
    for (const r of p.selfByFile.slice(0, 12)) out.push(`| ${r.what} | ${r.ms} | ${r.pct} |`);
    out.push('', '| inclusive time | ms | % |', '| --- | ---: | ---: |');
    for (const r of p.inclusive.slice(1, 15)) out.push(`| ${r.what} | ${r.ms} | ${r.pct} |`);
    out.push('', `Re-run by hand: \`node --cpu-prof --cpu-prof-dir=/tmp/prof bin/hwc lint --root bench/workspaces/${ws}${results.lintCache ? ' --no-cache' : ''} >/dev/null && node bench/profile.mjs /tmp/prof/*.cpuprofile\`.`, '');
  }
  if (results.notes.length) {
    out.push('## Notes', '');
    for (const note of results.notes) out.push(`- ${note}`);
    out.push('');
  }
  out.push('## What the workspaces hold', '');
  out.push('`bench/generate.mjs` writes `bench/workspaces/ws-<n>/` (git-ignored, reused while the generator version is unchanged): per module an `options.nix` and an `index.nix` in one of five shapes (nested attrset, leaf bindings, `helpers.mkContainer`, web service with a Caddy route, database with an age secret and its assertion), 30 real images, unique host ports, state under `/opt/<category>/<name>` with tmpfiles rules, a profile split into parts of 1,000 imports, a secrets index with one `.age` file per secret, about 8% of modules with one deliberate mistake, a 2,000-line module (`monolith`, 105 containers) for the edit benchmark, and a shared `options.nix` whose default 50 media modules interpolate into their state paths.', '');
  out.push('`node bench/generate.mjs --messy` writes `ws-<n>-messy/` with the same layout, where every module has 4–6 of 26 realistic mistakes (bench/messy.mjs): latest or missing tags, ports on all interfaces and exposed databases, passwords and credentials in URLs, writable media mounts, state categories nobody uses, missing tmpfiles, missing assertions, undeclared secrets and missing `.age` files, unknown `dependsOn`, root users, missing PUID/PGID, a shared downloads folder, another container\'s state, copy-pasted host ports (cross-file conflicts), stray digits in ports, typos in volume options, `podman run` in a service, undefined networks, missing Caddy routes, missing enable guards and `./options.nix` imports, modules the profile forgets, and suppression comments that name no rule or suppress nothing. Two modules publish metrics ports one apart for the cross-file edit.', '');
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const results = JSON.parse(fs.readFileSync(path.join(here, 'results.json'), 'utf8'));
  fs.writeFileSync(path.join(here, 'RESULTS.md'), renderMarkdown(results));
  fs.writeFileSync(path.join(here, 'lint-time.svg'), renderSvg(results));
  process.stdout.write(renderMarkdown(results));
}
