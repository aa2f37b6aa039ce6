#!/usr/bin/env node
// Times `hwc import compose` on the ten-service fixture (test/fixtures/compose/ten-services):
// the real CLI as a cold process writing into a fresh copy of the clean workspace (node start,
// parser, workspace load, ten generator runs, age encryption, the all-or-nothing write), and
// the plan alone in process after a warm-up. Prints the numbers; never fails on them.
//
//   node bench/compose-import.mjs [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const fixture = path.join(repo, 'test/fixtures/compose/ten-services');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'hwc-bench-compose-'));
execFileSync('age-keygen', ['-o', path.join(scratch, 'key')], { stdio: 'ignore' });
const recipient = /public key: (age1\w+)/.exec(readFileSync(path.join(scratch, 'key'), 'utf8'))[1];
const freshWorkspace = (i) => {
  const root = path.join(scratch, `ws${i}`);
  cpSync(path.join(repo, 'test/fixtures/compose/workspace'), root, { recursive: true });
  writeFileSync(path.join(root, '.hwc-lint.json'), JSON.stringify({ ageRecipients: [recipient] }));
  return root;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  // Wall clock and CPU time (user + system, from GNU time) of the cold CLI: on a shared machine the CPU time is the steadier number.
  const coldRun = (composeFile, i) => {
    const root = freshWorkspace(i);
    const timeFile = path.join(scratch, `time-${i}`);
    const start = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, path.join(repo, 'bin/hwc'), 'import', 'compose', composeFile, '--root', root], { encoding: 'utf8' });
    const wall = performance.now() - start;
    if (run.status !== 0) throw new Error(`hwc import compose exited ${run.status}: ${run.stderr}`);
    const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    return { wall, cpu: (user + system) * 1000 };
  };
  const cold = [];
  const coldCpu = [];
  for (let i = 0; i < runs; i++) {
    const { wall, cpu } = coldRun(path.join(fixture, 'compose.yaml'), i);
    cold.push(wall);
    coldCpu.push(cpu);
  }
  // Compose secrets: three services, four agenix secrets read from files and a variable, each encrypted.
  const secretsCold = [];
  const secretsCpu = [];
  for (let i = 0; i < runs; i++) {
    const { wall, cpu } = coldRun(path.join(repo, 'test/fixtures/compose/secrets-wordpress/compose.yaml'), `s${i}`);
    secretsCold.push(wall);
    secretsCpu.push(cpu);
  }

  const engine = createRequire(import.meta.url)('../out/engine.js');
  await engine.initParser();
  const root = freshWorkspace('plan');
  const ws = new engine.Workspace(root);
  ws.loadAll();
  const view = { root, config: ws.config, index: ws.index, files: engine.diskFileAccess(root) };
  const input = {
    file: 'compose.yaml', text: readFileSync(path.join(fixture, 'compose.yaml'), 'utf8'), envFiles: [], dotEnv: readFileSync(path.join(fixture, '.env'), 'utf8'),
    readRelative: () => undefined, folderName: 'ten-services', pins: new Map(), publicDomains: new Map(), profiles: [],
  };
  await engine.importCompose(input, view); // warm-up
  const plan = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await engine.importCompose(input, view);
    plan.push(performance.now() - start);
  }
  const ms = (x) => `${Math.round(x)} ms`;
  process.stdout.write(
    [
      `| measure (10 services, ${runs} runs) | median | min–max |`,
      '| --- | ---: | ---: |',
      `| \`hwc import compose\`, cold process, files written | ${ms(median(cold))} | ${ms(Math.min(...cold))}–${ms(Math.max(...cold))} |`,
      `| the same, CPU time (user + system) | ${ms(median(coldCpu))} | ${ms(Math.min(...coldCpu))}–${ms(Math.max(...coldCpu))} |`,
      `| secrets-wordpress (3 services, 4 compose secrets), cold, wall / CPU | ${ms(median(secretsCold))} / ${ms(median(secretsCpu))} | ${ms(Math.min(...secretsCold))}–${ms(Math.max(...secretsCold))} / ${ms(Math.min(...secretsCpu))}–${ms(Math.max(...secretsCpu))} |`,
      `| the plan in process (importCompose, warm) | ${ms(median(plan))} | ${ms(Math.min(...plan))}–${ms(Math.max(...plan))} |`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
