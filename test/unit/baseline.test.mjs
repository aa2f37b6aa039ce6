// `hwc lint --baseline-write` / `--baseline-prune` / `--no-baseline` / `--baseline FILE` as a
// user runs them on a copy of the bundled example: the "Done when" sequence, the
// file's determinism, counted duplicates, and broken baseline files as clear errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');
const homelab = path.join(repo, 'examples', 'homelab');
const postgres = 'domains/server/containers/postgres/index.nix';
const n8n = 'domains/server/containers/n8n/index.nix';

function hwc(args, cwd) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [hwcBin, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh copy of examples/homelab (the example's own findings are the "legacy" ones). */
function copyOfExample() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-baseline-'));
  fs.cpSync(homelab, dir, { recursive: true });
  return dir;
}

function edit(dir, file, from, to) {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, 'utf8');
  assert.ok(text.includes(from), `${file} holds ${from}`);
  fs.writeFileSync(full, text.replace(from, to));
}

const readBaseline = (dir, name = '.hwc-baseline.json') => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
const findings = (r) => JSON.parse(r.stdout);

describe('baseline: the adoption sequence on the example', () => {
  const dir = copyOfExample();
  let before;

  test('without a baseline the example has errors (exit 1)', () => {
    const r = hwc(['lint', '--format', 'json', '.'], dir);
    before = findings(r);
    assert.equal(r.code, 1);
    assert.ok(before.some((f) => f.rule === 'database-port-exposed' && f.file === postgres));
    assert.ok(before.length >= 5);
  });

  test('--baseline-write records every finding and exits 0', () => {
    const r = hwc(['lint', '--baseline-write', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`wrote \\.hwc-baseline\\.json: ${before.length} findings`));
    const baseline = readBaseline(dir);
    assert.equal(baseline.version, 1);
    assert.equal(baseline.entries.reduce((n, e) => n + e.count, 0), before.length);
    const entry = baseline.entries.find((e) => e.rule === 'database-port-exposed');
    assert.deepEqual(entry, { file: postgres, rule: 'database-port-exposed', container: 'postgres', value: '5432:5432', count: 1 });
  });

  test('the baseline never copies a hardcoded secret, only the variable that holds it', () => {
    const text = fs.readFileSync(path.join(dir, '.hwc-baseline.json'), 'utf8');
    assert.ok(!text.includes('n8n-dev-password'));
    assert.ok(readBaseline(dir).entries.some((e) => e.rule === 'hardcoded-secret' && e.value === 'key DB_POSTGRESDB_PASSWORD' && e.container === 'n8n'));
  });

  test('a re-run reports nothing new, says how many were baselined, exits 0', () => {
    const r = hwc(['lint', '.'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /no problems in \d+ files/);
    assert.match(r.stdout, new RegExp(`${before.length} findings baselined in \\.hwc-baseline\\.json`));
    const json = hwc(['lint', '--format', 'json', '.'], dir);
    assert.deepEqual(findings(json), []);
    assert.equal(json.code, 0);
    assert.match(json.stderr, /findings baselined/);
  });

  test('lines inserted above a baselined finding (and an unrelated edit) still report nothing', () => {
    edit(dir, postgres, '{ config, pkgs, lib, ... }:\n', '# Database of the homelab: every app that needs SQL uses this one.\n# Backed up nightly.\n\n{ config, pkgs, lib, ... }:\n');
    edit(dir, postgres, '      # For psql and backups from the host itself.\n', '      # For psql and backups from the host itself.\n      # (pg_dump runs from a systemd timer)\n');
    edit(dir, n8n, 'N8N_', 'N8N_'); // no-op guard: the file is there
    const r = hwc(['lint', '--format', 'json', '.'], dir);
    assert.deepEqual(findings(r), []);
    assert.equal(r.code, 0);
    const moved = hwc(['lint', '--no-baseline', '--format', 'json', '.'], dir);
    const port = findings(moved).find((f) => f.rule === 'database-port-exposed');
    assert.equal(port.line, before.find((f) => f.rule === 'database-port-exposed').line + 4, 'the finding moved 4 lines down');
  });

  test('a real new mistake is reported alone (exactly 1) and fails the run', () => {
    edit(dir, postgres, '        "5432:5432"\n', '        "5432:5432"\n        "0.0.0.0:5433:5432"\n');
    const r = hwc(['lint', '--format', 'json', '.'], dir);
    const fresh = findings(r);
    assert.equal(fresh.length, 1, JSON.stringify(fresh));
    assert.equal(fresh[0].rule, 'database-port-exposed');
    assert.match(fresh[0].message, /5433/);
    assert.equal(r.code, 1);
  });

  test('--baseline-prune after fixing one drops exactly that entry', () => {
    edit(dir, postgres, '        "0.0.0.0:5433:5432"\n', '');
    edit(dir, postgres, '        "5432:5432"\n', '        "127.0.0.1:5432:5432"\n');
    const stale = hwc(['lint', '.'], dir);
    assert.equal(stale.code, 0);
    assert.match(stale.stderr + stale.stdout, /1 baselined finding no longer occurs: run `hwc lint --baseline-prune`/);
    const entriesBefore = readBaseline(dir).entries;
    const r = hwc(['lint', '--baseline-prune', '.'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /removed 1 finding that no longer occurs; \d+ findings in \d+ entries remain/);
    const entriesAfter = readBaseline(dir).entries;
    assert.equal(entriesAfter.length, entriesBefore.length - 1);
    assert.ok(!entriesAfter.some((e) => e.rule === 'database-port-exposed'));
    assert.deepEqual(entriesAfter, entriesBefore.filter((e) => e.rule !== 'database-port-exposed'));
  });

  test('--no-baseline reports everything again', () => {
    const r = hwc(['lint', '--no-baseline', '--format', 'json', '.'], dir);
    assert.equal(findings(r).length, before.length - 1);
    assert.equal(r.code, 1);
  });
});

describe('baseline file', () => {
  test('is deterministic: written twice it is byte-identical, sorted, one entry per line, relative / paths', () => {
    const dir = copyOfExample();
    assert.equal(hwc(['lint', '--baseline-write', '.'], dir).code, 0);
    const first = fs.readFileSync(path.join(dir, '.hwc-baseline.json'), 'utf8');
    // From another working directory, through a path argument: same bytes.
    assert.equal(hwc(['lint', '--baseline-write', dir], os.tmpdir()).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, '.hwc-baseline.json'), 'utf8'), first);
    const lines = first.split('\n').filter((l) => l.startsWith('    {'));
    assert.equal(lines.length, readBaseline(dir).entries.length);
    const keys = readBaseline(dir).entries.map((e) => [e.file, e.rule, e.container, e.value].join('\u0000'));
    assert.deepEqual(keys, [...keys].sort());
    for (const e of readBaseline(dir).entries) {
      assert.ok(!path.isAbsolute(e.file) && !e.file.includes('\\'), e.file);
      assert.deepEqual(Object.keys(e), ['file', 'rule', 'container', 'value', 'count']);
    }
    assert.ok(first.endsWith('}\n'));
  });

  test('an option default flagged for a container is recorded under that container; unrelated edits keep it, another value is new', () => {
    const dir = copyOfExample();
    hwc(['lint', '--baseline-write', '.'], dir);
    const entry = readBaseline(dir).entries.find((e) => e.rule === 'image-latest-tag');
    assert.deepEqual(entry, { file: 'domains/server/containers/uptime-kuma/options.nix', rule: 'image-latest-tag', container: 'uptime-kuma', value: 'louislam/uptime-kuma:latest', count: 1 });
    // Unrelated edits to the option (its description) and to the module keep it baselined.
    edit(dir, 'domains/server/containers/uptime-kuma/options.nix', 'description = "Container image for uptime-kuma"', 'description = "Image of the status page (pin it!)"');
    assert.deepEqual(findings(hwc(['lint', '--format', 'json', '.'], dir)), []);
    // A different value is a different finding.
    edit(dir, 'domains/server/containers/uptime-kuma/options.nix', 'louislam/uptime-kuma:latest', 'louislam/uptime-kuma');
    assert.deepEqual(findings(hwc(['lint', '--format', 'json', '.'], dir)).map((f) => f.rule), ['image-latest-tag']);
  });

  test('counts equal findings: two recorded, a third identical one is new', () => {
    const dir = copyOfExample();
    const file = 'domains/server/containers/n8n/index.nix';
    edit(dir, file, '"/mnt/storage/media:/media"', '"/mnt/storage/media:/media"\n        "/mnt/storage/media:/media"');
    hwc(['lint', '--baseline-write', '.'], dir);
    const entry = readBaseline(dir).entries.find((e) => e.rule === 'media-mount-writable');
    assert.equal(entry.count, 2);
    edit(dir, file, '"/mnt/storage/media:/media"', '"/mnt/storage/media:/media"\n        "/mnt/storage/media:/media"');
    const fresh = findings(hwc(['lint', '--format', 'json', '.'], dir)).filter((f) => f.rule === 'media-mount-writable');
    assert.equal(fresh.length, 1);
  });

  test('--baseline FILE reads and writes another file; linting one folder keeps the other folders\' entries', () => {
    const dir = copyOfExample();
    const other = path.join(dir, 'ci', 'hwc-baseline.json');
    fs.mkdirSync(path.dirname(other));
    assert.equal(hwc(['lint', '--baseline-write', '--baseline', other, '.'], dir).code, 0);
    assert.ok(!fs.existsSync(path.join(dir, '.hwc-baseline.json')));
    const all = readBaseline(dir, 'ci/hwc-baseline.json').entries;
    assert.equal(hwc(['lint', '--baseline', other, '.'], dir).code, 0);
    assert.equal(hwc(['lint', '.'], dir).code, 1, 'the default file does not exist: everything is reported');
    // Write again for one folder only: entries of other folders survive.
    assert.equal(hwc(['lint', '--baseline-write', '--baseline', other, 'domains/server/containers/postgres'], dir).code, 0);
    assert.deepEqual(readBaseline(dir, 'ci/hwc-baseline.json').entries, all);
  });

  test('a corrupt, wrong-shape, oversized or non-regular baseline is a clear error (exit 2), never a crash', () => {
    const dir = copyOfExample();
    const file = path.join(dir, '.hwc-baseline.json');
    const expectError = (pattern) => {
      const r = hwc(['lint', '.'], dir);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
    };
    fs.writeFileSync(file, '{ "version": 1, "entries": [ {"file": ');
    expectError(/\.hwc-baseline\.json is not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ version: 1, entries: [{ file: 'a.nix', rule: 'x', value: 'v', count: -1 }] }));
    expectError(/is not an hwc baseline \(version 1\) at entries\.0\.count/);
    fs.writeFileSync(file, JSON.stringify({ suppressions: {} }));
    expectError(/is not an hwc baseline/);
    // Text from the file never reaches the terminal raw (an escape sequence in a key or a token).
    fs.writeFileSync(file, JSON.stringify({ version: 1, entries: [], '\u001b]0;owned\u0007\u001b[2J': 1 }));
    expectError(/is not an hwc baseline.*\\u001b/);
    assert.doesNotMatch(hwc(['lint', '.'], dir).stderr, /\u001b/);
    fs.writeFileSync(file, '{"version": 1, "entries": [\u001b[31m]}');
    assert.doesNotMatch(hwc(['lint', '.'], dir).stderr, /\u001b/);
    fs.rmSync(file);
    fs.mkdirSync(file);
    expectError(/is not a regular file \(a folder\)/);
    fs.rmSync(file, { recursive: true });
    fs.symlinkSync('/dev/zero', file);
    expectError(/is not a regular file \(a symbolic link\)/);
    fs.rmSync(file);
    const big = fs.openSync(file, 'w');
    fs.ftruncateSync(big, 33 * 1024 * 1024);
    fs.closeSync(big);
    expectError(/more than a baseline can be/);
    fs.rmSync(file);
    const r = hwc(['lint', '--baseline-prune', '.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no baseline to prune/);
  });

  test('flags that exclude each other are usage errors', () => {
    const dir = copyOfExample();
    for (const args of [['--baseline-write', '--no-baseline'], ['--baseline-write', '--baseline-prune'], ['--baseline-write', '--fix'], ['--no-baseline', '--baseline', 'x.json']]) {
      const r = hwc(['lint', ...args, '.'], dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /exclude|cannot be combined/);
    }
  });

  test('--fix-dry-run classifies the findings of the fixed text: lines a fix inserts do not make the baselined findings after them new', () => {
    const dir = copyOfExample();
    // paperless gets tmpfiles lines and an assertion from the safe fixes; its other findings,
    // below the inserted lines, have no automatic fix and stay baselined.
    const written = hwc(['lint', '--baseline-write', '.'], dir);
    const recorded = Number(/(\d+) findings/.exec(written.stdout)[1]);
    const r = hwc(['lint', '--fix-dry-run', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+ +"d \/opt\/business\/paperless /m, 'the fix inserts the tmpfiles line');
    const fixed = Number(/would fix (\d+) problems/.exec(r.stderr)[1]);
    assert.ok(fixed > 0 && fixed < recorded);
    assert.match(r.stderr, new RegExp(`hwc: ${fixed} baselined findings no longer occur`));
    assert.match(r.stderr, new RegExp(`hwc: ${recorded - fixed} findings baselined in \\.hwc-baseline\\.json`));
  });

  test('an invalid .hwc-lint.json stops --baseline-write (exit 2, nothing written)', () => {
    const dir = copyOfExample();
    fs.writeFileSync(path.join(dir, '.hwc-lint.json'), '{\n  "categories": "media"\n}\n');
    const r = hwc(['lint', '--baseline-write', '.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not writing \.hwc-baseline\.json: \.hwc-lint\.json:2: .*fix the configuration first/);
    assert.ok(!fs.existsSync(path.join(dir, '.hwc-baseline.json')));
  });

  test('syntax errors are never baselined', () => {
    const dir = copyOfExample();
    fs.writeFileSync(path.join(dir, 'domains/server/broken.nix'), '{ config, ... }: {\n  services.x.enable = ;\n}\n');
    hwc(['lint', '--baseline-write', '.'], dir);
    assert.ok(!readBaseline(dir).entries.some((e) => e.rule === 'syntax-error'));
    const r = hwc(['lint', '--format', 'json', '.'], dir);
    assert.deepEqual(findings(r).map((f) => f.rule), ['syntax-error']);
    assert.equal(r.code, 1);
  });
});
