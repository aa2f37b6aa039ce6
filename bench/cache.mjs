#!/usr/bin/env node
// The lint cache's rows (issue 18): `hwc lint` on a copy of a benchmark workspace (the cache
// writes into its root) — cold without the cache, cold writing it, warm with nothing changed,
// warm with one module changed — against `nix-instantiate --parse` of the same files, in
// CPU time (user + system, children included: the parse workers) and wall time, the kinds
// alternated run by run, medians reported. Checks that every cached run printed what
// `--no-cache` printed.
//
//   node bench/cache.mjs [--size 2000] [--runs 5]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const hwc = path.join(here, '..', 'bin', 'hwc');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const size = Number(option('--size', 2000));
const runs = Number(option('--runs', 5));

const source = path.join(here, 'workspaces', `ws-${size}`);
if (!fs.existsSync(source)) execFileSync(process.execPath, [path.join(here, 'generate.mjs'), '--sizes', String(size)], { stdio: 'inherit' });
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-bench-cache-'));
const root = path.join(base, `ws-${size}`);
fs.cpSync(source, root, { recursive: true, filter: (p) => path.basename(p) !== '.hwc-cache' });
const nixFiles = JSON.parse(fs.readFileSync(path.join(root, 'workspace.json'), 'utf8')).nixFiles;
const edited = nixFiles.find((f) => f.startsWith('domains/server/containers/') && f.endsWith('/index.nix'));

/** One process under /usr/bin/time: wall and CPU seconds, and its stdout. */
function timed(command, args) {
  const timeFile = path.join(base, 'time');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, command, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env: { ...process.env, NO_COLOR: '1' } });
  const [wall, user, system] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + system, stdout: r.stdout };
}

const lint = (...flags) => timed(process.execPath, [hwc, 'lint', '--root', root, '--format', 'json', ...flags]);
const samples = { parse: [], noCache: [], coldCache: [], warm: [], oneChanged: [] };
let mismatches = 0;
for (let r = 0; r < runs; r++) {
  samples.parse.push(timed('nix-instantiate', ['--store', 'dummy://', '--parse', ...nixFiles]));
  const expected = lint('--no-cache');
  samples.noCache.push(expected);
  fs.rmSync(path.join(root, '.hwc-cache'), { recursive: true, force: true });
  const check = (run) => {
    if (run.stdout !== expected.stdout) mismatches++;
    return run;
  };
  samples.coldCache.push(check(lint()));
  samples.warm.push(check(lint()));
  // A comment: the module's findings stay, its hash changes (the run parses it, lints everything).
  fs.appendFileSync(path.join(root, edited), `\n# edit ${r}\n`);
  samples.oneChanged.push(check(lint()));
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const parseCpu = median(samples.parse.map((s) => s.cpu));
const parseWall = median(samples.parse.map((s) => s.wall));
console.log(`hwc lint, ${size} modules (${nixFiles.length} .nix files), median of ${runs} runs; load average ${os.loadavg()[0].toFixed(1)}`);
console.log('| run | CPU s | × parse (CPU) | wall s | × parse (wall) |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, list] of Object.entries(samples)) {
  const cpu = median(list.map((s) => s.cpu));
  const wall = median(list.map((s) => s.wall));
  console.log(`| ${name === 'parse' ? 'nix-instantiate --parse' : name} | ${cpu.toFixed(2)} | ${(cpu / parseCpu).toFixed(2)} | ${wall.toFixed(2)} | ${(wall / parseWall).toFixed(2)} |`);
}
console.log(mismatches === 0 ? 'every cached run printed what --no-cache printed' : `${mismatches} cached runs printed something else than --no-cache`);
fs.rmSync(base, { recursive: true, force: true });
process.exitCode = mismatches === 0 ? 0 : 1;
