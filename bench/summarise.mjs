#!/usr/bin/env node
// The per-file pipeline every cold lint and language-server start pays, on the main thread:
// each `.nix` file of a workspace parsed (not timed), then copied out of tree-sitter
// (flattenTree) and summarised (extraction, syntax facts), timed in CPU and wall per MB.
// Bundles `--source`'s server/src, so two checkouts can be compared run by run.
//
//   node bench/summarise.mjs [--source DIR] [--workspace DIR] [--rounds 3]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const source = path.resolve(option('--source', path.join(here, '..')));
const root = path.resolve(option('--workspace', path.join(here, 'workspaces', 'ws-2000')));
const rounds = Number(option('--rounds', 3));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-summarise-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const require = createRequire(path.join(source, 'package.json'));
await esbuild.build({
  stdin: { contents: "export { initParser, parseNix, flattenTree } from './server/src/parse/parser'; export { extractSummary } from './server/src/model/extract'; export { Workspace } from './server/src/workspace/workspace';", resolveDir: source, loader: 'ts' },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path.join(dir, 'engine.js'), logLevel: 'warning',
  mainFields: ['module', 'main'], alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
});
process.env.HWC_WASM_DIR = path.join(source, 'out');
const engine = createRequire(import.meta.url)(path.join(dir, 'engine.js'));
await engine.initParser();

const workspace = new engine.Workspace(root);
const files = workspace.discoverFiles().map((f) => ({ file: f, text: fs.readFileSync(path.join(root, f), 'utf8') }));
const mb = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / 2 ** 20;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const results = [];
for (let round = 0; round < rounds; round++) {
  let cpuMs = 0;
  let wallMs = 0;
  let containers = 0;
  for (const { file, text } of files) {
    const tree = engine.parseNix(text);
    const c0 = cpu();
    const t0 = performance.now();
    const summary = engine.extractSummary(tree, file, workspace.config, { editorFacts: false });
    wallMs += performance.now() - t0;
    cpuMs += cpu() - c0;
    containers += summary.containers.length;
    tree.delete();
  }
  results.push({ cpuMsPerMb: Math.round(cpuMs / mb), wallMsPerMb: Math.round(wallMs / mb), containers });
}
process.stdout.write(`${JSON.stringify({ source, files: files.length, mb: Math.round(mb * 100) / 100, rounds: results })}\n`);
