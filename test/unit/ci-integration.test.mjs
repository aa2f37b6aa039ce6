// The CI integrations as users wire them: the composite GitHub Action (action.yml: its
// `run:` steps executed by bash as the runner does, with the inputs set, against a copy of
// the example) and the pre-commit hook (.pre-commit-hooks.yaml, run by the real `pre-commit`
// in a temporary git repository).
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const homelab = path.join(repo, 'examples', 'homelab');
const postgres = 'domains/server/containers/postgres/index.nix';
const havePreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

/** YAML through PyYAML (python3-yaml comes with Debian's pre-commit): a real parser, not ours. */
function loadYaml(file) {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function copyOfExample() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-ci-'));
  fs.cpSync(homelab, dir, { recursive: true });
  return dir;
}

function addPortMistake(dir) {
  const file = path.join(dir, postgres);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('        "5432:5432"\n', '        "5432:5432"\n        "0.0.0.0:5433:5432"\n'));
}

function hwc(args, cwd) {
  return spawnSync(process.execPath, [path.join(repo, 'bin', 'hwc'), ...args], { cwd, encoding: 'utf8' });
}

// --- the GitHub Action ------------------------------------------------------------------

const action = loadYaml(path.join(repo, 'action.yml'));

/** `${{ … }}` as the runner substitutes it, for the contexts this action uses. */
function contextValue(expression, context) {
  const ref = expression.trim();
  if (ref === 'github.action_path') return context.actionPath;
  let m = /^inputs\.([\w-]+)$/.exec(ref);
  if (m) return context.inputs[m[1]] ?? '';
  m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(ref);
  if (m) return context.outputs[m[1]]?.[m[2]] ?? '';
  throw new Error(`unsupported expression in action.yml: ${ref}`);
}
const substitute = (text, context) => String(text).replace(/\$\{\{(.*?)\}\}/g, (_, e) => contextValue(e, context));

/** A step's `if:`: comparisons of context values joined by `&&` (all this action uses). */
function condition(expression, context) {
  if (expression === undefined) return true;
  const body = String(expression).replace(/^\$\{\{|\}\}$/g, '').trim();
  return body.split('&&').every((part) => {
    const m = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(part);
    if (!m) throw new Error(`unsupported condition: ${part}`);
    const value = contextValue(m[1], context);
    return m[2] === '==' ? value === m[3] : value !== m[3];
  });
}

/**
 * Runs the action's steps in order as the runner would: `run:` steps with `bash --noprofile
 * --norc -eo pipefail` in the workspace, `uses:` steps recorded (not run), stopping at the
 * first failing step.
 */
function runAction(workspace, inputs = {}) {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const context = { actionPath: repo, inputs: { ...defaults, ...inputs }, outputs: {} };
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-gh-')), 'output');
  const used = [];
  let failed;
  let log = '';
  for (const step of action.runs.steps) {
    if (!condition(step.if, context)) continue;
    if (step.uses) {
      used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(v, context)])) });
      continue;
    }
    assert.doesNotMatch(step.run, /\$\{\{/, `step "${step.name}" splices an expression into its script; inputs must go through env`);
    assert.equal(step.shell, 'bash');
    fs.writeFileSync(outputFile, '');
    const env = { ...process.env, GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: workspace };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(v, context);
    const script = path.join(path.dirname(outputFile), 'step.sh');
    fs.writeFileSync(script, step.run);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8' });
    log += r.stdout + r.stderr;
    if (step.id) {
      context.outputs[step.id] = Object.fromEntries(
        fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    }
    if (r.status !== 0) {
      failed = { step: step.name, code: r.status };
      break;
    }
  }
  const sarifFile = path.resolve(workspace, context.inputs['sarif-file']);
  const sarif = fs.existsSync(sarifFile) && fs.statSync(sarifFile).size > 0 ? JSON.parse(fs.readFileSync(sarifFile, 'utf8')) : undefined;
  return { outputs: context.outputs.lint ?? {}, used, failed, log, sarif };
}

describe('GitHub Action (action.yml)', () => {
  test('is a composite action that uploads with github/codeql-action/upload-sarif', () => {
    assert.equal(action.runs.using, 'composite');
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'an upload-sarif step');
    assert.match(upload.with.sarif_file, /steps\.lint\.outputs\.sarif-file/);
    assert.deepEqual(Object.keys(action.outputs).sort(), ['exit-code', 'sarif-file']);
  });

  test('on the example without a baseline: SARIF with every finding, uploaded, the job fails with 1', () => {
    const dir = copyOfExample();
    const expected = JSON.parse(hwc(['lint', '--format', 'json', '.'], dir).stdout);
    const run = runAction(dir);
    assert.equal(run.outputs['exit-code'], '1');
    assert.equal(run.sarif.runs[0].results.length, expected.length);
    assert.deepEqual(run.used.map((u) => u.uses.split('@')[0]), ['actions/setup-node', 'github/codeql-action/upload-sarif']);
    assert.deepEqual(run.used[1].with, { sarif_file: 'hwc.sarif', category: 'hwc' });
    assert.deepEqual(run.failed, { step: 'Fail on new findings', code: 1 });
  });

  test('with a committed baseline: an empty SARIF run, uploaded (so fixed alerts close), the job passes', () => {
    const dir = copyOfExample();
    assert.equal(hwc(['lint', '--baseline-write', '.'], dir).status, 0);
    const run = runAction(dir);
    assert.equal(run.outputs['exit-code'], '0');
    assert.deepEqual(run.sarif.runs[0].results, []);
    assert.ok(run.sarif.runs[0].tool.driver.rules.length > 20, 'every rule is declared, so code scanning knows they ran');
    assert.ok(run.used.some((u) => u.uses.startsWith('github/codeql-action/upload-sarif@')));
    assert.equal(run.failed, undefined);
  });

  test('a new mistake on top of the baseline: exactly that result, no baselineState games, the job fails', () => {
    const dir = copyOfExample();
    hwc(['lint', '--baseline-write', '.'], dir);
    addPortMistake(dir);
    // A SARIF path in a folder that does not exist yet, with a space in it.
    const again = runAction(dir, { 'sarif-file': 'out/hwc results.sarif' });
    assert.equal(again.outputs['exit-code'], '1');
    const results = again.sarif.runs[0].results;
    assert.equal(results.length, 1);
    assert.equal(results[0].ruleId, 'database-port-exposed');
    assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, postgres);
    assert.equal(results[0].baselineState, undefined);
    assert.equal(again.used[1].with.sarif_file, 'out/hwc results.sarif');
    assert.deepEqual(again.failed, { step: 'Fail on new findings', code: 1 });
    const lenient = runAction(dir, { 'sarif-file': 'out/hwc results.sarif', 'fail-on-findings': 'false' });
    assert.equal(lenient.failed, undefined);
  });

  test('inputs: baseline file, extra args, upload off; shell characters stay text', () => {
    const dir = copyOfExample();
    fs.mkdirSync(path.join(dir, 'ci'));
    hwc(['lint', '--baseline-write', '--baseline', 'ci/baseline.json', '.'], dir);
    const run = runAction(dir, { baseline: 'ci/baseline.json', upload: 'false', args: '--max-warnings 0' });
    assert.equal(run.outputs['exit-code'], '0');
    assert.ok(!run.used.some((u) => u.uses.startsWith('github/codeql-action')));
    const hostile = runAction(dir, { path: '$(touch pwned-path)', baseline: '`touch pwned-baseline`;x', args: '--rule image-latest-tag=off *' });
    assert.equal(hostile.outputs['exit-code'], '2');
    assert.match(hostile.log, /no such file or folder|not a folder|no such file/);
    assert.ok(!fs.existsSync(path.join(dir, 'pwned-path')) && !fs.existsSync(path.join(dir, 'pwned-baseline')));
    assert.deepEqual(hostile.failed?.code, 2);
    assert.ok(!hostile.used.some((u) => u.uses.startsWith('github/codeql-action')), 'nothing is uploaded when hwc could not run');
  });
});

// --- the README's snippets ----------------------------------------------------------------

/** The YAML blocks of the README's "### CI" section, parsed. */
function readmeCiSnippets() {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const section = readme.split(/^### CI$/m)[1].split(/^## /m)[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-readme-'));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => {
    const file = path.join(dir, `${i}.yaml`);
    fs.writeFileSync(file, m[1]);
    return loadYaml(file);
  });
}

test('the README\'s workflow and pre-commit snippets use only what action.yml and .pre-commit-hooks.yaml define', () => {
  const [workflow, preCommitConfig] = readmeCiSnippets();
  const step = workflow.jobs.hwc.steps.find((s) => /\/hwc-orchestrator@/.test(s.uses ?? ''));
  assert.ok(step, 'the workflow uses the action');
  for (const key of Object.keys(step.with ?? {})) assert.ok(key in action.inputs, `input ${key} is declared`);
  assert.equal(workflow.permissions['security-events'], 'write');
  const hooks = loadYaml(path.join(repo, '.pre-commit-hooks.yaml'));
  const ids = new Set(hooks.map((h) => h.id));
  for (const hook of preCommitConfig.repos[0].hooks) assert.ok(ids.has(hook.id), `hook ${hook.id} exists`);
});

// --- pre-commit ------------------------------------------------------------------------

const git = (args, cwd) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

describe('pre-commit hook (.pre-commit-hooks.yaml)', { skip: havePreCommit ? false : 'pre-commit is not installed (scripts/install-e2e-tools.sh installs it)' }, () => {
  let hooksRepo;
  let pathDir;
  let cache;

  before(() => {
    // The hook repository as pre-commit clones it: this project's .pre-commit-hooks.yaml at a commit.
    hooksRepo = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-hooks-'));
    fs.copyFileSync(path.join(repo, '.pre-commit-hooks.yaml'), path.join(hooksRepo, '.pre-commit-hooks.yaml'));
    git(['init', '-q'], hooksRepo);
    git(['add', '.'], hooksRepo);
    git(['commit', '-q', '-m', 'hooks'], hooksRepo);
    // `hwc` on the PATH, as the hook expects it.
    pathDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-bin-'));
    fs.symlinkSync(path.join(repo, 'bin', 'hwc'), path.join(pathDir, 'hwc'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-pre-commit-home-'));
  });

  function preCommit(args, cwd) {
    const env = { ...process.env, PATH: `${pathDir}:${process.env.PATH}`, PRE_COMMIT_HOME: cache, NO_COLOR: '1' };
    const r = spawnSync('pre-commit', args, { cwd, encoding: 'utf8', env });
    return { code: r.status, output: r.stdout + r.stderr };
  }

  test('blocks on the example\'s findings, passes once they are baselined, blocks exactly the new mistake', () => {
    const dir = copyOfExample();
    fs.writeFileSync(path.join(dir, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooksRepo}\n    rev: ${git(['rev-parse', 'HEAD'], hooksRepo)}\n    hooks:\n      - id: hwc-lint\n`);
    git(['init', '-q'], dir);
    git(['add', '.'], dir);
    git(['commit', '-q', '-m', 'flake'], dir);

    let r = preCommit(['run', '--all-files'], dir);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /hwc lint\.+Failed/);
    assert.match(r.output, /database-port-exposed/);

    assert.equal(hwc(['lint', '--baseline-write', '.'], dir).status, 0);
    git(['add', '.hwc-baseline.json'], dir);
    // --verbose: pre-commit shows a passing hook's output only when asked.
    r = preCommit(['run', '--verbose'], dir);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /hwc lint\.+Passed/);
    assert.match(r.output, /findings baselined in \.hwc-baseline\.json/);
    git(['commit', '-q', '-m', 'baseline'], dir);

    // A staged change that does not concern hwc: the hook does not run.
    fs.writeFileSync(path.join(dir, 'NOTES.md'), 'todo\n');
    git(['add', 'NOTES.md'], dir);
    r = preCommit(['run'], dir);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /hwc lint\.+\(no files to check\)Skipped/);

    addPortMistake(dir);
    git(['add', postgres], dir);
    r = preCommit(['run'], dir);
    assert.equal(r.code, 1, r.output);
    const reported = r.output.split('\n').filter((l) => /\[[a-z-]+\]$/.test(l));
    assert.equal(reported.length, 1, r.output);
    assert.match(reported[0], /^domains\/server\/containers\/postgres\/index\.nix:\d+:\d+: error: .*5433.*\[database-port-exposed\]$/);
  });
});
