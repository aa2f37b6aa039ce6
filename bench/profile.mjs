#!/usr/bin/env node
// Summarises a V8 .cpuprofile of one of our esbuild bundles: self time by source file
// (from esbuild's `// path` markers in the bundle) and the top functions, self and inclusive.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/hwc lint --root bench/workspaces/ws-2000 >/dev/null
//   node bench/profile.mjs /tmp/prof/*.cpuprofile [--top 25]
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** For a bundle, a function from 1-based line to the source file esbuild put there. */
function sourceMapper(bundlePath) {
  const markers = [];
  let text;
  try {
    text = fs.readFileSync(bundlePath, 'utf8');
  } catch {
    return () => bundlePath;
  }
  text.split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:node_modules|server|client)\/\S+)$/.exec(line);
    if (m) markers.push([i + 1, m[1]]);
  });
  return (line) => {
    let lo = 0;
    let hi = markers.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid][0] <= line) {
        found = markers[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found.replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, 'node_modules/$1');
  };
}

export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const mappers = new Map();
  const where = (cf) => {
    if (!cf.url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    if (cf.url.startsWith('wasm')) return '(wasm: tree-sitter)';
    const file = cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url;
    if (!/\/(out|\.prof)\/[^/]+\.js$/.test(file)) return file.startsWith('node:') ? '(node internals)' : file;
    if (!mappers.has(file)) mappers.set(file, sourceMapper(file));
    return mappers.get(file)(cf.lineNumber + 1);
  };
  const label = (cf) => `${cf.functionName || '(anonymous)'} ${where(cf)}`;
  const spent = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    spent.set(id, (spent.get(id) ?? 0) + dt);
    total += dt;
  });
  const selfByFile = new Map();
  const selfByFn = new Map();
  const inclusive = new Map();
  for (const [id, dt] of spent) {
    const cf = byId.get(id).callFrame;
    selfByFile.set(where(cf), (selfByFile.get(where(cf)) ?? 0) + dt);
    selfByFn.set(label(cf), (selfByFn.get(label(cf)) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(byId.get(cur).callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  }
  const rows = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10, what: k }));
  return { totalMs: Math.round(total / 1000), selfByFile: rows(selfByFile), selfByFunction: rows(selfByFn), inclusive: rows(inclusive) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
  for (const file of args) {
    const s = summarise(JSON.parse(fs.readFileSync(file, 'utf8')), top);
    console.log(`${file}: ${s.totalMs} ms sampled`);
    for (const [title, rows] of [['self time by source file', s.selfByFile], ['self time by function', s.selfByFunction], ['inclusive time', s.inclusive]]) {
      console.log(`\n  ${title}`);
      for (const r of rows) console.log(`  ${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)}%  ${r.what}`);
    }
  }
}
