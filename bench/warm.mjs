// The warm-cache rows of issue 18: `hwc lint` with its cache (`.hwc-cache/` at the root) on
// a workspace nothing changed in since the last run, and on one where one module's file
// changed, each against the `nix-instantiate --parse` baseline measured alternately in the
// same section. Runs on a copy of the workspace (the lint writes its cache into the root,
// and the one-changed rows edit a file), deleted afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE_DIR, lintOnce, parseBaselineOnce, ratioOf, stats, statsOf } from './measure.mjs';

/** The line the one-changed rows edit: a plain environment setting of one module. */
function editableModule(ws) {
  for (const file of ws.nixFiles) {
    if (!file.endsWith('/index.nix') || file.includes('/monolith/')) continue;
    const text = fs.readFileSync(path.join(ws.root, file), 'utf8');
    const match = /(_SETTING_0 = ")(value-0)(";)/.exec(text);
    if (match) return { file, text, at: match.index + match[1].length, value: match[2] };
  }
  return null;
}

/**
 * ws: a generated workspace; cold: the cold lint section's result on it (its findings are the
 * reference the warm output must equal). Returns null fields with a reason when the build has
 * no cache.
 */
export async function benchWarm(ws, { hasCache, runs, log, notes, coldFindings }) {
  if (!hasCache) return { available: false, reason: '`hwc lint --help` does not mention `--no-cache`: this build has no lint cache' };
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-bench-warm-'));
  const root = path.join(copy, path.basename(ws.root));
  try {
    fs.cpSync(ws.root, root, { recursive: true });
    fs.rmSync(path.join(root, CACHE_DIR), { recursive: true, force: true });
    const wsCopy = { ...ws, root };
    const reference = JSON.stringify(coldFindings ?? null);
    const sameAsCold = (l) => coldFindings == null || JSON.stringify(l.findings) === reference;
    // Prime the cache: the first run with the cache on is a cold one that writes it.
    const prime = await lintOnce(root, { cache: 'on', notes });
    const cacheWritten = fs.existsSync(path.join(root, CACHE_DIR));
    if (!cacheWritten) notes.push(`warm lint: no ${CACHE_DIR}/ appeared in the root after a lint with the cache on`);
    log(`warm: priming run ${(prime.wallMs / 1000).toFixed(2)} s, cache written: ${cacheWritten}`);

    const unchanged = [];
    const unchangedParse = [];
    let unchangedSame = true;
    for (let r = 0; r < runs; r++) {
      unchangedParse.push(await parseBaselineOnce(root, ws.nixFiles));
      const l = await lintOnce(root, { cache: 'on', notes });
      unchangedSame &&= sameAsCold(l);
      unchanged.push(l);
      log(`warm lint, nothing changed: ${(l.wallMs / 1000).toFixed(2)} s, exit ${l.code}; parse ${(unchangedParse.at(-1).wallMs / 1000).toFixed(2)} s`);
    }

    // One module changed before every run, each time to a value no run has seen, so no
    // cache entry can match it: one file re-read and re-summarised, and whatever depends on it.
    const edit = editableModule(wsCopy);
    const oneChanged = [];
    const oneChangedParse = [];
    let oneChangedSame = true;
    if (!edit) notes.push('warm lint, one module changed: no module with an environment setting to edit');
    for (let r = 0; edit && r < runs; r++) {
      const text = `${edit.text.slice(0, edit.at)}${edit.value}-edit-${r + 1}${edit.text.slice(edit.at + edit.value.length)}`;
      fs.writeFileSync(path.join(root, edit.file), text);
      oneChangedParse.push(await parseBaselineOnce(root, ws.nixFiles));
      const l = await lintOnce(root, { cache: 'on', notes });
      oneChangedSame &&= sameAsCold(l);
      oneChanged.push(l);
      log(`warm lint, one module changed: ${(l.wallMs / 1000).toFixed(2)} s, exit ${l.code}; parse ${(oneChangedParse.at(-1).wallMs / 1000).toFixed(2)} s`);
    }
    const cacheKb = Math.round(dirBytes(path.join(root, CACHE_DIR)) / 1024);
    const row = (lints, parses, same) => {
      const lintWall = stats(lints.map((l) => l.wallMs));
      const parseWall = stats(parses.map((p) => p.wallMs));
      const lintCpu = statsOf(lints.map((l) => l.cpuMs));
      const parseCpu = statsOf(parses.map((p) => p.cpuMs));
      return {
        lint: { wallMs: lintWall, cpuMs: lintCpu, peakRssMb: stats(lints.map((l) => l.peakMb)), exitCodes: [...new Set(lints.map((l) => l.code))] },
        parseBaseline: { wallMs: parseWall, cpuMs: parseCpu },
        ratio: ratioOf(lintWall, parseWall),
        cpuRatio: ratioOf(lintCpu, parseCpu),
        sameFindingsAsCold: same,
      };
    };
    if (!unchangedSame) notes.push('warm lint, nothing changed: the findings differ from the cold run');
    if (!oneChangedSame) notes.push('warm lint, one module changed: the findings differ from the cold run (the edit changes no finding)');
    return {
      available: true,
      modules: ws.modules,
      primeMs: Math.round(prime.wallMs),
      cacheKb,
      editedFile: edit?.file ?? null,
      unchanged: row(unchanged, unchangedParse, unchangedSame),
      oneChanged: edit ? row(oneChanged, oneChangedParse, oneChangedSame) : null,
    };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

function dirBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}
