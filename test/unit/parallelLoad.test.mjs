// `hwc lint` indexes a large workspace on worker threads (server/src/workspace/parallel.ts):
// the findings must be exactly those of loading on one thread, also when files cannot be
// read or have syntax errors (those come back as text and are parsed again here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateWorkspace } from '../../bench/generate.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');

function lint(root, workers) {
  const run = spawnSync(process.execPath, [hwcBin, 'lint', '--format', 'json', '--root', root], { env: { ...process.env, HWC_WORKERS: String(workers) }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('worker threads give the same findings as one thread (500+ files, a broken file, a binary file)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-parallel-'));
  try {
    const { root } = generateWorkspace(240, out);
    const containers = path.join(root, 'domains', 'server', 'containers');
    const first = fs.readdirSync(containers).sort()[0];
    fs.appendFileSync(path.join(containers, first, 'index.nix'), '\n{ broken = ;\n');
    fs.writeFileSync(path.join(containers, first, 'blob.nix'), Buffer.from([0x7b, 0, 0, 0x7d]));
    const nixFiles = spawnSync('find', [root, '-name', '*.nix'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
    assert.ok(nixFiles >= 500, `${nixFiles} files`);
    const serial = lint(root, 0);
    const parallel = lint(root, 1);
    assert.equal(parallel.status, serial.status);
    assert.ok(JSON.parse(serial.stdout).some((f) => f.rule === 'syntax-error'));
    assert.equal(parallel.stdout, serial.stdout);
    assert.equal(parallel.stderr, serial.stderr);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
