#!/usr/bin/env node
// One-character edits of the 2,000-line module, in process: the language server's Session
// (bundled from a source tree's server/src, so two checkouts can be compared run by run)
// indexes a workspace, opens monolith/index.nix, then takes N edits the way run.mjs sends
// them (a digit typed into a host port, then deleted), each applied and linted at once.
// Reports per-edit CPU and wall time split into applying the change (parse, flat copy,
// summary, index update) and the lint pass with publishing; --cpu-prof writes a profile
// of the edits alone (summarise it with bench/profile.mjs).
//
//   node bench/edits.mjs [--source DIR] [--workspace DIR] [--edits 200] [--cpu-prof FILE]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Session as InspectorSession } from 'node:inspector';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monolithPortSite } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const source = path.resolve(option('--source', path.join(here, '..')));
const workspaceRoot = path.resolve(option('--workspace', path.join(here, 'workspaces', 'ws-2000')));
const edits = Number(option('--edits', 200));
const profileFile = option('--cpu-prof', undefined);

/** The Session and the parser of `source`, bundled like out/server.js, next to that tree's built wasm files. */
async function loadEngine(root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-edits-'));
  const require = createRequire(path.join(root, 'package.json'));
  await esbuild.build({
    stdin: { contents: "export { Session } from './server/src/lsp/session'; export { initParser } from './server/src/parse/parser';", resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path.join(dir, 'session.js'), logLevel: 'warning',
    mainFields: ['module', 'main'], alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  });
  for (const f of ['parseWorker.js', 'web-tree-sitter.wasm', 'tree-sitter-nix.wasm']) fs.symlinkSync(path.join(root, 'out', f), path.join(dir, f));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return createRequire(import.meta.url)(path.join(dir, 'session.js'));
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1];
const stats = (values) => ({ p50: Math.round(quantile(values, 0.5) * 100) / 100, p95: Math.round(quantile(values, 0.95) * 100) / 100, mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 });

const { Session, initParser } = await loadEngine(source);
await initParser();
let publishes = 0;
const session = new Session({ publish: () => void publishes++, log: () => undefined });
const workspace = session.addRoot(workspaceRoot);
await session.scanRoot(workspace);
session.indexed = true;
session.lintNow();

const monolith = path.join(workspaceRoot, 'domains/server/containers/monolith/index.nix');
const text = fs.readFileSync(monolith, 'utf8');
const uri = pathToFileURL(monolith).href;
session.openDocument(uri, 'nix', 1, text);
session.lintNow();
const site = monolithPortSite(text);

let profiler;
if (profileFile) {
  profiler = new InspectorSession();
  profiler.connect();
  const post = (method, params) => new Promise((resolve, reject) => profiler.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  profiler.stopTo = async (file) => fs.writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile));
}

const apply = { wall: [], cpu: [] };
const lint = { wall: [], cpu: [] };
const total = { wall: [], cpu: [] };
let broken = false;
let version = 1;
publishes = 0;
for (let i = 0; i < edits; i++) {
  const range = { start: { line: site.line, character: site.character }, end: { line: site.line, character: site.character + (broken ? 1 : 0) } };
  broken = !broken;
  const t0 = performance.now();
  const c0 = cpuNow();
  session.changeDocument(uri, ++version, [{ range, text: broken ? '0' : '' }]);
  session.documents.applyAll();
  const t1 = performance.now();
  const c1 = cpuNow();
  session.lintNow();
  const t2 = performance.now();
  const c2 = cpuNow();
  apply.wall.push(t1 - t0);
  apply.cpu.push(c1 - c0);
  lint.wall.push(t2 - t1);
  lint.cpu.push(c2 - c1);
  total.wall.push(t2 - t0);
  total.cpu.push(c2 - c0);
}
if (profiler) await profiler.stopTo(profileFile);
const result = {
  source,
  edits,
  publishes,
  total: { wall: stats(total.wall), cpu: stats(total.cpu) },
  apply: { wall: stats(apply.wall), cpu: stats(apply.cpu) },
  lintAndPublish: { wall: stats(lint.wall), cpu: stats(lint.cpu) },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
