// `hwc lint --fix` and `--fix-dry-run` on a copy of the homelab example: the dry run prints
// a patch and writes nothing; applying that patch gives exactly what --fix writes; --fix
// reports each fix, leaves no temp files and is idempotent; only safe fixes are applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../fixtures/fixes/harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwc = path.join(repo, 'bin', 'hwc');
const example = path.join(repo, 'examples', 'homelab');

function copy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-cli-fix-'));
  fs.cpSync(example, dir, { recursive: true });
  return dir;
}

function run(args, cwd) {
  const r = spawnSync(process.execPath, [hwc, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function snapshot(dir) {
  return new Map(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

test('--fix-dry-run prints a patch and writes nothing; the patch equals what --fix writes', () => {
  const dry = copy();
  const real = copy();
  try {
    const before = snapshot(dry);
    const d = run(['lint', '--root', dry, '--fix-dry-run'], dry);
    assert.equal(d.code, 1, 'errors remain after the safe fixes (the hard-coded secret, the exposed database)');
    assert.deepEqual(snapshot(dry), before, 'nothing written');
    assert.match(d.stdout, /^--- a\/domains\/server\/containers\/paperless\/index\.nix\n\+\+\+ b\//);
    assert.match(d.stdout, /\+      "d \/opt\/business\/paperless 0755 1000 1000 -"/);
    assert.doesNotMatch(d.stdout, /127\.0\.0\.1:5432:5432/, 'binding to loopback is unsafe: not in --fix');
    assert.doesNotMatch(d.stdout, /\/mnt\/storage\/media:\/media:ro/, 'mounting the library read-only is unsafe: not in --fix');
    assert.match(d.stderr, /would fix 3 problems by changing 1 file \(dry run: nothing written\)/);

    const f = run(['lint', '--root', real, '--fix'], real);
    assert.equal(f.code, 1);
    assert.match(f.stdout, /^fixed domains\/server\/containers\/paperless\/index\.nix:34: Add an assertion that secret paperless-env is declared \[secret-missing-assertion\]$/m);
    assert.match(f.stdout, /fixed 3 problems by changing 1 file/);
    const reported = f.stdout.split('\n').filter((l) => /:\d+:\d+: (error|warning|info):/.test(l));
    assert.ok(!reported.some((l) => /state-dir-missing-tmpfiles|secret-missing-assertion/.test(l)), 'the fixed findings are no longer reported');
    assert.ok(reported.some((l) => l.includes('[media-mount-writable]')), 'Mount read-only is unsafe: the finding stays for the user to decide');
    assert.ok(reported.some((l) => l.includes('[hardcoded-secret]')), 'what is left is reported as usual');
    assert.ok(!listFiles(real).some((p) => p.includes('.hwc-fix-')), 'no temp files left behind');

    fs.writeFileSync(path.join(dry, 'fix.patch'), d.stdout);
    execFileSync('git', ['apply', '--unsafe-paths', '--directory=', 'fix.patch'], { cwd: dry });
    fs.rmSync(path.join(dry, 'fix.patch'));
    assert.deepEqual(snapshot(dry), snapshot(real), 'the dry-run patch is exactly the fix');

    const again = run(['lint', '--root', real, '--fix'], real);
    assert.match(again.stdout, /^no auto-fixable problems$/m);
    assert.deepEqual(snapshot(real), snapshot(dry), 'a second --fix changes nothing');
  } finally {
    fs.rmSync(dry, { recursive: true, force: true });
    fs.rmSync(real, { recursive: true, force: true });
  }
});

test('--fix with --format json keeps stdout JSON and reports on stderr; paths narrow what is fixed', () => {
  const dir = copy();
  try {
    const r = run(['lint', '--root', dir, '--fix', '--format', 'json', path.join(dir, 'domains/server/containers/paperless')], dir);
    const findings = JSON.parse(r.stdout);
    assert.deepEqual(findings, [], 'every finding under the path had a safe fix');
    assert.match(r.stderr, /fixed 3 problems by changing 1 file/);
    const n8n = fs.readFileSync(path.join(dir, 'domains/server/containers/n8n/index.nix'), 'utf8');
    assert.equal(n8n, fs.readFileSync(path.join(example, 'domains/server/containers/n8n/index.nix'), 'utf8'), 'outside the given path: untouched');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix keeps the file mode, and --fix with --fix-dry-run is a usage error', () => {
  const dir = copy();
  try {
    const file = path.join(dir, 'domains/server/containers/n8n/index.nix');
    fs.chmodSync(file, 0o640);
    run(['lint', '--root', dir, '--fix'], dir);
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    const both = run(['lint', '--root', dir, '--fix', '--fix-dry-run'], dir);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exclude each other/);
    assert.match(run(['help'], dir).stdout, /--fix-dry-run/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
