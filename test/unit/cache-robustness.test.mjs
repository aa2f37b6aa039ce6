// `.hwc-cache/` is repository territory and may be anything: garbage, cut short, written by
// another format version, a folder where a file should be, a symbolic link out of the root
// (a hostile repository can commit one), in a read-only checkout. Each time `hwc lint`
// prints what `--no-cache` prints, says so in one warning line at most, never writes
// outside the root, and never crashes. Two runs at once leave a usable cache.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { NOBODY, changes, cleanup, hwc, picture, repoRoot, scratchWorkspace, assertNoTrace } from '../security/writeHarness.mjs';

after(cleanup);

const lint = (root, args = [], options = {}) => hwc(['lint', '--root', root, '--format', 'json', ...args], { cwd: root, ...options });
const cacheFiles = (root) => fs.readdirSync(path.join(root, '.hwc-cache')).filter((n) => /^(lint|summaries)-/.test(n));
const warnings = (stderr) => stderr.split('\n').filter((l) => l.includes('cache:'));

/** A workspace with a warm cache, and what --no-cache prints for it. */
function warm() {
  const { root, outside, base } = scratchWorkspace();
  fs.rmSync(path.join(root, '.hwc-cache'), { recursive: true, force: true });
  const expected = lint(root, ['--no-cache']);
  lint(root);
  assert.equal(cacheFiles(root).length, 2);
  return { root, outside, base, expected };
}

const DAMAGE = {
  'garbage': (file) => fs.writeFileSync(file, 'PK\u0003\u0004 this is not a cache file \u0000\u0001'),
  'cut short': (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)),
  'cut at a line end': (file) => {
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
  },
  'another format version': (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"version":1', '"version":99')),
  // Not written by this machine's key (cacheKey.ts): not ours, rebuilt without a word.
  'a record that decodes to nonsense (unsigned)': (file) => {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l, k) => k > 0 && l.includes('\t{'));
    lines[i] = lines[i].slice(0, lines[i].indexOf('\t{') + 1) + '{"shapes":[],"value":[1,7]}';
    fs.writeFileSync(file, lines.join('\n'));
  },
  'a folder in its place': (file) => {
    fs.rmSync(file);
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'inside'), 'x');
  },
  'empty': (file) => fs.writeFileSync(file, ''),
};

for (const [damage, apply] of Object.entries(DAMAGE)) {
  for (const kind of ['lint', 'summaries']) {
    test(`a ${kind} cache file that is ${damage}: same output, one warning`, () => {
      const { root, expected } = warm();
      const name = cacheFiles(root).find((n) => n.startsWith(kind));
      apply(path.join(root, '.hwc-cache', name));
      // The lint file is read by every run; the summaries only when something changed: edit a module.
      if (kind === 'summaries') fs.appendFileSync(path.join(root, 'domains/server/containers/sonarr/index.nix'), '\n');
      const plain = lint(root, ['--no-cache']);
      const run = lint(root);
      assert.equal(run.stdout, plain.stdout);
      assert.equal(run.code, plain.code);
      assertNoTrace(assert, run.stderr);
      const lines = warnings(run.stderr);
      if (damage.endsWith('(unsigned)')) assert.equal(lines.length, 0, run.stderr);
      else {
        assert.equal(lines.length, 1, run.stderr);
        assert.match(lines[0], /^hwc: cache: \S+: .+; linting without it$/);
      }
      // The next run has a good cache again (a folder in the way cannot be replaced: still just a warning).
      const next = lint(root);
      assert.equal(next.stdout, plain.stdout);
      assert.ok(warnings(next.stderr).length <= 1);
      if (damage !== 'a folder in its place') assert.equal(warnings(next.stderr).length, 0, next.stderr);
      void expected;
    });
  }
}

test('a .hwc-cache symbolic link out of the root is never followed: nothing read or written there', () => {
  const { root, outside, expected } = warm();
  fs.rmSync(path.join(root, '.hwc-cache'), { recursive: true });
  // The outside folder holds a planted cache (copied from a real one) that must not be read.
  fs.symlinkSync(outside, path.join(root, '.hwc-cache'));
  const before = picture(outside);
  const run = lint(root);
  assert.equal(run.stdout, expected.stdout);
  assert.deepEqual(changes(before, picture(outside)), []);
  assert.equal(warnings(run.stderr).length, 1);
  assert.match(run.stderr, /\.hwc-cache is a symbolic link; it is not followed/);
});

test('links inside .hwc-cache are not followed either', () => {
  const { root, outside, expected } = warm();
  const dir = path.join(root, '.hwc-cache');
  for (const name of cacheFiles(root)) {
    fs.renameSync(path.join(dir, name), path.join(outside, name));
    fs.symlinkSync(path.join(outside, name), path.join(dir, name));
  }
  const before = picture(outside);
  const run = lint(root);
  assert.equal(run.stdout, expected.stdout);
  assert.deepEqual(changes(before, picture(outside)), [], 'the link targets are untouched');
  assert.equal(warnings(run.stderr).length, 1, run.stderr);
  // The run replaced the links with its own files (rename replaces a link, never writes through it).
  for (const name of cacheFiles(root)) assert.ok(fs.lstatSync(path.join(dir, name)).isFile(), name);
});

test('a read-only checkout: no cache written, no warning, same output', () => {
  const { root, base } = scratchWorkspace();
  fs.rmSync(path.join(root, '.hwc-cache'), { recursive: true, force: true });
  const expected = lint(root, ['--no-cache']);
  // Everyone may read, nobody (the user running it) may write.
  for (const dir of [base, root]) fs.chmodSync(dir, 0o755);
  const before = picture(root);
  const run = lint(root, [], { as: NOBODY });
  assert.equal(run.stdout, expected.stdout);
  assert.equal(run.code, expected.code);
  assert.equal(warnings(run.stderr).length, 0, run.stderr);
  assertNoTrace(assert, run.stderr);
  assert.deepEqual(changes(before, picture(root)), []);
  // A cache folder that exists but cannot be written: read, not written, silently.
  lint(root);
  fs.chmodSync(path.join(root, '.hwc-cache'), 0o555);
  fs.appendFileSync(path.join(root, 'domains/server/containers/sonarr/index.nix'), '\n');
  const again = lint(root, [], { as: NOBODY });
  assert.equal(again.stdout, lint(root, ['--no-cache']).stdout);
  assert.equal(warnings(again.stderr).length, 0, again.stderr);
});

test('two hwc lint at once on the same root: both right, and the cache they leave is whole', async () => {
  const { root, expected } = warm();
  fs.rmSync(path.join(root, '.hwc-cache'), { recursive: true });
  const run = () =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'hwc'), 'lint', '--root', root, '--format', 'json'], { cwd: root });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  for (let round = 0; round < 3; round++) {
    if (round === 1) fs.appendFileSync(path.join(root, 'domains/server/containers/sonarr/index.nix'), '\n# round 1\n');
    const plain = lint(root, ['--no-cache']);
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) {
      assert.equal(r.stdout, plain.stdout);
      assert.equal(warnings(r.stderr).length, 0, r.stderr);
    }
  }
  const after = lint(root);
  assert.equal(warnings(after.stderr).length, 0);
  assert.equal(after.stdout, lint(root, ['--no-cache']).stdout);
  assert.deepEqual(fs.readdirSync(path.join(root, '.hwc-cache')).filter((n) => n.endsWith('.tmp')), [], 'no temp files left');
  void expected;
});

/** Signs a cache file's text as cacheFiles.ts does: an HMAC of everything before the end line. */
function resign(text, key) {
  const lines = text.split('\n');
  const endLine = lines[lines.length - 2];
  const body = text.slice(0, text.length - endLine.length - 1);
  const end = JSON.parse(endLine);
  end.mac = createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('base64');
  return `${body}${JSON.stringify(end)}\n`;
}

test('a cache committed to the repository cannot hide findings: a file this machine did not sign is never replayed', () => {
  const { root } = scratchWorkspace();
  fs.rmSync(path.join(root, '.hwc-cache'), { recursive: true, force: true });
  const attacker = { HWC_CACHE_KEY: 'the attacker knows this key only' };
  const victim = { HWC_CACHE_KEY: 'a secret the repository never sees' };
  // The attacker lints the clean tree with their own key and keeps the stored result.
  const before = lint(root, ['--no-cache']);
  lint(root, [], { env: attacker });
  const lintFile = () => path.join(root, '.hwc-cache', cacheFiles(root).find((n) => n.startsWith('lint')));
  const resultOf = (text) => text.split('\n').find((l) => l.startsWith('result\t'));
  const cleanResult = resultOf(fs.readFileSync(lintFile(), 'utf8'));
  assert.ok(cleanResult, 'the lint file holds a stored result');
  // Then they pin an image to latest (a new finding), lint again with their key, and put the
  // clean tree's result in the new file (whose inputs now match the changed tree), signed again.
  const module = path.join(root, 'domains/server/containers/sonarr/index.nix');
  const text = fs.readFileSync(module, 'utf8');
  const changed = text.replace('"lscr.io/linuxserver/sonarr:4.0.14"', '"lscr.io/linuxserver/sonarr:latest"');
  assert.notEqual(changed, text, 'the example pins sonarr in its index.nix');
  fs.writeFileSync(module, changed);
  const expected = lint(root, ['--no-cache']);
  assert.notEqual(expected.stdout, before.stdout, 'the change adds a finding');
  lint(root, [], { env: attacker });
  const current = fs.readFileSync(lintFile(), 'utf8');
  const forged = resign(current.replace(resultOf(current), cleanResult), attacker.HWC_CACHE_KEY);
  fs.writeFileSync(lintFile(), forged);
  // Control: on a machine with the attacker's key the forgery works — the new finding is hidden.
  const fooled = lint(root, [], { env: attacker });
  assert.equal(fooled.stdout, before.stdout, 'the forged cache replays the old findings where its key is known');
  // Anywhere else the file is not ours: the engine runs, every finding is reported, no warning.
  fs.writeFileSync(lintFile(), forged);
  const run = lint(root, [], { env: victim });
  assert.equal(run.stdout, expected.stdout);
  assert.equal(run.code, expected.code);
  assert.equal(warnings(run.stderr).length, 0, run.stderr);
});
