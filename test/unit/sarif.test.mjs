// `hwc lint --format sarif`: valid SARIF 2.1.0 (the OASIS schema, shipped as a fixture) and
// the subset GitHub code scanning reads (rules with help, results with one relative
// location, fingerprints), with the same findings as the JSON format, and fixes that apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwc = path.join(repo, 'bin', 'hwc');
const homelab = path.join(repo, 'examples', 'homelab');
const schema = JSON.parse(fs.readFileSync(path.join(repo, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));

function lint(args, cwd = repo) {
  const r = spawnSync(process.execPath, [hwc, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function parse(r) {
  try {
    return JSON.parse(r.stdout);
  } catch (error) {
    throw new Error(`hwc lint printed no JSON (exit ${r.code}): ${error.message}\nstderr: ${r.stderr}`);
  }
}

function validator() {
  // ajv 8 knows draft-07; the schema's formats are checked by hand-written validators
  // (ajv-formats is not a dependency): an absolute URI, a URI reference, a date-time.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  ajv.addFormat('date-time', (s) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}

/** Copies examples/homelab into a fresh temp folder (outside any git checkout). */
function copyHomelab() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-sarif-'));
  fs.cpSync(homelab, dir, { recursive: true });
  return dir;
}

const sarifRun = lint(['--root', homelab, '--format', 'sarif']);
const log = parse(sarifRun);
const run = log.runs[0];

test('the homelab SARIF validates against the SARIF 2.1.0 schema', () => {
  assert.equal(sarifRun.code, 1, 'errors found → exit 1, as with every format');
  const validate = validator();
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
});

test('the schema rejects a broken log (the validator is not a no-op)', () => {
  const validate = validator();
  const broken = structuredClone(log);
  broken.runs[0].results[0].level = 'fatal';
  delete broken.runs[0].tool.driver.name;
  assert.equal(validate(broken), false);
});

const REPOSITORY = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).repository.url.replace(/\.git$/, '');

test('HWC_RULE_DOCS_URL points helpUri at a fork\'s pages', () => {
  const out = spawnSync(process.execPath, [hwc, 'lint', '--root', homelab, '--format', 'sarif'], { encoding: 'utf8', env: { ...process.env, HWC_RULE_DOCS_URL: 'https://git.example.org/me/hwc/src/branch/main/docs/rules/{id}.md' } });
  const rules = JSON.parse(out.stdout).runs[0].tool.driver.rules;
  assert.equal(rules.find((r) => r.id === 'image-latest-tag').helpUri, 'https://git.example.org/me/hwc/src/branch/main/docs/rules/image-latest-tag.md');
});

test('every rule is described the way GitHub shows it', () => {
  const { driver } = run.tool;
  assert.equal(driver.name, 'hwc');
  assert.match(driver.version, /^\d+\.\d+\.\d+/);
  const ids = new Set();
  for (const rule of driver.rules) {
    ids.add(rule.id);
    assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(rule.shortDescription.text.length > 0, rule.id);
    assert.ok(rule.fullDescription.text.length >= rule.shortDescription.text.length / 2, rule.id);
    assert.ok(rule.help.text.length > 0 && rule.help.markdown.startsWith(`# \`${rule.id}\``), `${rule.id}: help is the docs page`);
    // An https link GitHub can open: the page in the project's repository (package.json), on the main branch.
    assert.equal(rule.helpUri, `${REPOSITORY}/blob/main/docs/rules/${rule.id}.md`);
    assert.ok(fs.existsSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/rules', `${rule.id}.md`)), `${rule.id}: the page exists`);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
  }
  const rules = spawnSync(process.execPath, [hwc, 'rules'], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
  assert.deepEqual([...ids].sort(), rules.sort(), 'the driver lists every rule `hwc rules` lists');
  const latest = driver.rules.find((r) => r.id === 'image-latest-tag');
  assert.equal(latest.defaultConfiguration.level, 'warning');
  assert.equal(driver.rules.find((r) => r.id === 'port-all-interfaces').defaultConfiguration.level, 'note');
});

test('results match the JSON format: same findings, 1-based positions, paths from the repository root', () => {
  const json = parse(lint(['--root', homelab, '--format', 'json']));
  assert.equal(run.results.length, json.length);
  const prefix = path.relative(repo, homelab).split(path.sep).join('/') + '/';
  run.results.forEach((result, i) => {
    const finding = json[i];
    assert.equal(result.ruleId, finding.rule);
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.equal(result.level, { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[finding.severity]);
    assert.equal(result.message.text, finding.message);
    assert.equal(result.locations.length, 1);
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(artifactLocation.uri, prefix + finding.file, 'relative to the git checkout around the workspace');
    assert.doesNotMatch(artifactLocation.uri, /^[a-z]+:|^\/|\\/);
    assert.deepEqual(region, { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn });
    assert.ok(region.startLine >= 1 && region.startColumn >= 1);
    assert.ok(Object.keys(result.partialFingerprints).length > 0);
  });
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.equal(fileURLToPath(run.originalUriBaseIds['%SRCROOT%'].uri), repo + path.sep);
});

test('a region covers exactly the flagged text', () => {
  const result = run.results.find((r) => r.ruleId === 'database-port-exposed');
  const { artifactLocation, region } = result.locations[0].physicalLocation;
  const line = fs.readFileSync(path.join(repo, artifactLocation.uri), 'utf8').split('\n')[region.startLine - 1];
  assert.equal(line.slice(region.startColumn - 1, region.endColumn - 1), '"5432:5432"');
});

test('a value from options.nix carries the use site as a related location', () => {
  const result = run.results.find((r) => r.ruleId === 'image-latest-tag');
  assert.match(result.locations[0].physicalLocation.artifactLocation.uri, /uptime-kuma\/options\.nix$/);
  assert.equal(result.relatedLocations.length, 1);
  assert.match(result.relatedLocations[0].physicalLocation.artifactLocation.uri, /uptime-kuma\/index\.nix$/);
  assert.equal(result.relatedLocations[0].physicalLocation.region.startLine, 9);
  assert.ok(result.relatedLocations[0].message.text.length > 0);
});

test('fixes are SARIF replacements that apply to the file and do what the rule asks', () => {
  const withFixes = run.results.filter((r) => r.fixes);
  assert.ok(withFixes.length > 0, 'the fixes registry offers edits for some homelab findings');
  for (const result of withFixes) {
    for (const fix of result.fixes) {
      assert.ok(fix.description.text.length > 0);
      for (const change of fix.artifactChanges) {
        const lines = fs.readFileSync(path.join(repo, change.artifactLocation.uri), 'utf8').split('\n');
        for (const r of change.replacements) {
          const d = r.deletedRegion;
          assert.ok(d.startLine >= 1 && d.endLine <= lines.length, `${result.ruleId}: region inside the file`);
          assert.ok(d.startColumn >= 1 && d.endColumn <= lines[d.endLine - 1].length + 1, `${result.ruleId}: columns inside the line`);
        }
      }
    }
  }
  // Apply the media-mount fix and check the result.
  const media = withFixes.find((r) => r.ruleId === 'media-mount-writable');
  const change = media.fixes[0].artifactChanges[0];
  const file = path.join(repo, change.artifactLocation.uri);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const [r] = change.replacements;
  const line = lines[r.deletedRegion.startLine - 1];
  const fixed = line.slice(0, r.deletedRegion.startColumn - 1) + (r.insertedContent?.text ?? '') + line.slice(r.deletedRegion.endColumn - 1);
  assert.match(fixed, /"\/mnt\/storage\/media:\/media:ro"/);
});

test('fingerprints survive lines inserted above the finding, and differ between findings', () => {
  const dir = copyHomelab();
  try {
    const before = parse(lint(['--root', dir, '--format', 'sarif'])).runs[0].results;
    assert.equal(new Set(before.map((r) => r.partialFingerprints['hwc/v1'])).size, before.length, 'one fingerprint per result');
    const file = path.join(dir, 'domains/server/containers/postgres/index.nix');
    fs.writeFileSync(file, '# a comment\n# another\n' + fs.readFileSync(file, 'utf8'));
    const after = parse(lint(['--root', dir, '--format', 'sarif'])).runs[0].results;
    const pick = (results) => results.find((r) => r.ruleId === 'database-port-exposed');
    assert.equal(pick(after).locations[0].physicalLocation.region.startLine, pick(before).locations[0].physicalLocation.region.startLine + 2);
    assert.equal(pick(after).partialFingerprints['hwc/v1'], pick(before).partialFingerprints['hwc/v1']);
    // Outside a git checkout, paths are relative to the workspace root.
    assert.equal(pick(after).locations[0].physicalLocation.artifactLocation.uri, 'domains/server/containers/postgres/index.nix');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--quiet and --rule apply to SARIF output too; a clean workspace gives an empty result list', () => {
  const quiet = parse(lint(['--root', homelab, '--format', 'sarif', '--quiet'])).runs[0].results;
  assert.ok(quiet.length > 0 && quiet.every((r) => r.level === 'error'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-sarif-clean-'));
  try {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = { self }: { }; }\n');
    const clean = lint(['--root', dir, '--format', 'sarif']);
    assert.equal(clean.code, 0);
    const cleanLog = parse(clean);
    assert.deepEqual(cleanLog.runs[0].results, []);
    assert.ok(validator()(cleanLog));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
