// `hwc lint` with its cache (the default) prints exactly what `--no-cache` prints: on the
// example and on real-world workspaces, cold, warm, and after each kind of change a user
// makes (edit, add, delete, rename a file; change the config), in every output format and
// baseline mode, and for --fix. A warm run with nothing changed replays the stored result
// (the cache file is not rewritten); anything else runs the engine on cached summaries.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');
const CORPUS = path.join(repo, 'test/fixtures/real-world');

const scratch = [];
after(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of a workspace in a fresh folder (the cache writes into its root). */
function copyOf(source) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-cache-cli-'));
  scratch.push(base);
  const root = path.join(base, path.basename(source));
  fs.cpSync(source, root, { recursive: true, filter: (p) => path.basename(p) !== '.hwc-cache' });
  return root;
}

// HWC_NO_REPLAY: these runs are about the lint cache; bin/hwc's replay of a whole output in front
// of it has its own tests (lint-replay.test.mjs), and would answer the warm runs here itself.
function hwc(root, args) {
  const r = spawnSync(process.execPath, [hwcBin, 'lint', '--root', root, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HWC_NO_REPLAY: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lintFile(root) {
  const dir = path.join(root, '.hwc-cache');
  const name = fs.readdirSync(dir).find((n) => n.startsWith('lint-'));
  const stat = fs.statSync(path.join(dir, name));
  return `${name} ${stat.mtimeMs} ${stat.ino}`;
}

/**
 * Lints with and without the cache and asserts the same stdout, stderr and exit code; with
 * `replayed`, also that the cached run replayed the stored result (did not rewrite it).
 */
function assertSame(root, args, label, { replayed } = {}) {
  const plain = hwc(root, [...args, '--no-cache']);
  const before = replayed === undefined ? undefined : lintFile(root);
  const cached = hwc(root, args);
  assert.equal(cached.stdout, plain.stdout, `${label}: stdout`);
  assert.equal(cached.stderr, plain.stderr, `${label}: stderr`);
  assert.equal(cached.code, plain.code, `${label}: exit code`);
  if (replayed !== undefined) assert.equal(lintFile(root) === before, replayed, `${label}: ${replayed ? 'replayed the stored result' : 'ran the engine'}`);
  return cached;
}

const FORMATS = [[], ['--format', 'json'], ['--format', 'sarif']];

/** An image literal with a tag (`"lscr.io/linuxserver/sonarr:4.0.2"`), in a container or an option default. */
const TAGGED_IMAGE = /"([a-z][a-z0-9./-]*\/[a-z0-9._/-]+):([\w.-]+|\$\{[\w.]+\})"/;

/** The first module file holding a tagged image. */
function moduleWithContainer(root) {
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name.startsWith('.') ? [] : walk(path.join(dir, e.name))) : e.name.endsWith('.nix') ? [path.join(dir, e.name)] : []));
  return walk(root).sort().find((f) => TAGGED_IMAGE.test(fs.readFileSync(f, 'utf8')));
}

const WORKSPACES = [path.join(repo, 'examples/homelab'), ...['mixed-conventions-central-routes', 'part-file-with-cfg-argument', 'depends-on-across-modules', 'renamed-option-module'].map((n) => path.join(CORPUS, n))];

describe('hwc lint --cache prints what --no-cache prints', () => {
  for (const source of WORKSPACES) {
    test(`${path.relative(repo, source)}: cold, warm, and after edits, additions, deletions, renames and config changes`, () => {
      const root = copyOf(source);
      // Cold (writes the cache), then warm (replays) in each format; SARIF never replays (its fixes read the index).
      for (const args of FORMATS) assertSame(root, args, `cold ${args.join(' ') || 'text'}`);
      assertSame(root, [], 'warm text', { replayed: true });
      assertSame(root, ['--format', 'json'], 'warm json', { replayed: true });
      assertSame(root, ['--format', 'sarif'], 'warm sarif', { replayed: false });
      assertSame(root, ['--quiet', '--max-warnings', '0'], 'warm, quiet');

      const module = moduleWithContainer(root);
      assert.ok(module, 'the workspace has a container');
      const text = fs.readFileSync(module, 'utf8');
      // Edit: the image loses its tag (a finding appears), the port moves.
      fs.writeFileSync(module, text.replace(TAGGED_IMAGE, '"$1"').replace(/\b8\d\d\d\b/, '9999'));
      for (const args of FORMATS) assertSame(root, args, `after an edit ${args.join(' ') || 'text'}`);
      assertSame(root, ['--format', 'json'], 'after an edit, warm', { replayed: true });

      // Add: a second copy of the module's folder (duplicate names and ports across files).
      const folder = path.dirname(module);
      const copy = `${folder}-copy`;
      fs.cpSync(folder, copy, { recursive: true });
      for (const args of FORMATS) assertSame(root, args, `after adding files ${args.join(' ') || 'text'}`);

      // Rename a file, then delete one.
      const [first] = fs.readdirSync(copy).filter((n) => n.endsWith('.nix'));
      fs.renameSync(path.join(copy, first), path.join(copy, `renamed-${first}`));
      assertSame(root, ['--format', 'json'], 'after a rename', { replayed: false });
      fs.rmSync(module);
      assertSame(root, ['--format', 'json'], 'after a deletion', { replayed: false });
      assertSame(root, [], 'after a deletion, text');

      // A non-Nix file appearing matters too (an `.age` file a secret names).
      fs.writeFileSync(path.join(root, 'stray.age'), 'age-encryption.org/v1\n');
      assertSame(root, ['--format', 'json'], 'after adding a non-Nix file', { replayed: false });

      // Config: a rule turned off, then a broken config file, then --rule on the command line.
      const configPath = path.join(root, '.hwc-lint.json');
      const config = fs.existsSync(configPath) ? fs.readFileSync(configPath, 'utf8') : undefined;
      const firstRule = JSON.parse(hwc(root, ['--format', 'json', '--no-cache']).stdout)[0]?.rule ?? 'image-unpinned';
      const settings = config ? JSON.parse(config.replace(/^\s*\/\/.*$/gm, '')) : {};
      fs.writeFileSync(configPath, JSON.stringify({ ...settings, rules: { ...settings.rules, [firstRule]: 'off' } }));
      assertSame(root, ['--format', 'json'], 'after a config change', { replayed: false });
      assertSame(root, [], 'after a config change, warm', { replayed: true });
      fs.writeFileSync(configPath, '{ "rules": { "no-such-rule": 3 ');
      assertSame(root, [], 'with a broken config');
      if (config === undefined) fs.rmSync(configPath);
      else fs.writeFileSync(configPath, config);
      assertSame(root, ['--rule', `${firstRule}=error`, '--format', 'json'], 'with --rule');
      assertSame(root, ['--format', 'json'], 'config restored');
      // Narrowed to a folder: reported findings and the file count follow the paths.
      assertSame(root, [path.join(root, 'domains')], 'narrowed to domains/');
    });
  }
});

test('baseline modes and --fix give the same results with the cache', () => {
  const root = copyOf(path.join(repo, 'examples/homelab'));
  assertSame(root, [], 'cold');
  assertSame(root, ['--baseline-write'], '--baseline-write');
  assertSame(root, [], 'with the baseline');
  assertSame(root, [], 'with the baseline, warm', { replayed: true });
  const module = moduleWithContainer(root);
  fs.appendFileSync(module, '\n# a comment moves nothing\n');
  assertSame(root, [], 'baseline after an edit');
  assertSame(root, ['--baseline-prune'], '--baseline-prune');
  assertSame(root, ['--no-baseline', '--format', 'json'], '--no-baseline');

  // --fix: two copies, one fixed without the cache, one with a warm cache; same report, same files.
  const plain = copyOf(path.join(repo, 'examples/homelab'));
  const cached = copyOf(path.join(repo, 'examples/homelab'));
  hwc(cached, []);
  const dry = [hwc(plain, ['--fix-dry-run', '--no-cache']), hwc(cached, ['--fix-dry-run'])];
  assert.equal(dry[1].stdout.replaceAll(cached, 'ROOT'), dry[0].stdout.replaceAll(plain, 'ROOT'), '--fix-dry-run diff');
  const fixed = [hwc(plain, ['--fix', '--no-cache']), hwc(cached, ['--fix'])];
  assert.ok(fixed[0].stdout.includes('fixed'), fixed[0].stdout);
  assert.equal(fixed[1].stdout.replaceAll(cached, 'ROOT'), fixed[0].stdout.replaceAll(plain, 'ROOT'), '--fix report');
  assert.equal(fixed[1].code, fixed[0].code);
  const files = (root) => spawnSync('find', ['.', '-name', '*.nix', '-exec', 'sha1sum', '{}', '+'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').sort().join('\n');
  assert.equal(files(cached), files(plain), 'the fixed files');
  // After the fix the cache still agrees with a fresh run.
  assert.equal(hwc(cached, ['--format', 'json']).stdout, hwc(cached, ['--format', 'json', '--no-cache']).stdout);
});

test('--no-cache neither reads nor writes .hwc-cache/; the cache folder is git-ignored', () => {
  const root = copyOf(path.join(repo, 'examples/homelab'));
  hwc(root, ['--no-cache']);
  assert.equal(fs.existsSync(path.join(root, '.hwc-cache')), false);
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: root }).status, 0);
  spawnSync('git', ['add', '-A'], { cwd: root });
  spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'initial'], { cwd: root });
  hwc(root, []);
  assert.ok(fs.existsSync(path.join(root, '.hwc-cache', '.gitignore')));
  assert.ok(fs.existsSync(path.join(root, '.hwc-cache', 'CACHEDIR.TAG')));
  assert.equal(spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout, '', 'git shows nothing new');
  const both = hwc(root, ['--cache', '--no-cache']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--cache and --no-cache exclude each other/);
});
