// The `hwc-nix` problem matcher (client/src/nixProblemMatcher.ts) on Nix's real error
// output, and package.json contributing exactly the module's matcher.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadTs } from '../helpers/loadTs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/fixtures/nix-errors');


const { matchNixProblems, nixProblemMatcher, nixProblemPatterns } = loadTs('client/src/nixProblemMatcher.ts');
const problemsIn = (fixture) => matchNixProblems(readFileSync(path.join(fixtures, fixture), 'utf8'));

/** Captured paths are absolute on the capturing machine: compare from the fixtures folder on. */
function assertProblem(actual, expected) {
  assert.ok(actual.file.endsWith(`/nix-errors/src/${expected.file}`), `file ${actual.file} should be src/${expected.file}`);
  assert.deepEqual({ ...actual, file: expected.file }, expected);
}

test('nix-instantiate --parse: missing semicolon', () => {
  const [problem, ...rest] = problemsIn('missing-semicolon.parse.txt');
  assert.equal(rest.length, 0);
  assertProblem(problem, { file: 'missing-semicolon.nix', line: 5, column: 11, message: "syntax error, unexpected '=', expecting ';'" });
});

test('nix-instantiate --parse: undefined variable', () => {
  const problems = problemsIn('undefined-variable.parse.txt');
  assert.equal(problems.length, 1);
  assertProblem(problems[0], { file: 'undefined-variable.nix', line: 8, column: 25, message: "undefined variable 'category'" });
});

test('nix-instantiate --parse: unexpected }', () => {
  const problems = problemsIn('unexpected-brace.parse.txt');
  assert.equal(problems.length, 1);
  assertProblem(problems[0], { file: 'unexpected-brace.nix', line: 7, column: 1, message: "syntax error, unexpected '}', expecting end of file" });
});

test('nix-instantiate --parse: duplicate attribute keeps the first definition in the message', () => {
  const problems = problemsIn('duplicate-attribute.parse.txt');
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /^attribute 'image' already defined at \S+duplicate-attribute\.nix:3:5$/);
  assertProblem(problems[0], { file: 'duplicate-attribute.nix', line: 4, column: 5, message: problems[0].message });
});

test('nix-instantiate --eval: the error, not the trace frames, becomes the problem', () => {
  const expected = { file: 'eval-type-error.nix', line: 2, column: 39, message: 'cannot coerce an integer to a string' };
  for (const fixture of ['eval-type-error.eval.txt', 'eval-type-error.show-trace.txt']) {
    const problems = problemsIn(fixture);
    assert.equal(problems.length, 1, fixture);
    assertProblem(problems[0], expected);
  }
});

test('errors in a command-line expression («string») or without a position give no problem', () => {
  assert.deepEqual(problemsIn('no-file.string.txt'), []);
});

test('nixos-rebuild --flake: the store copy of the flake maps back to a workspace-relative path', () => {
  assert.deepEqual(problemsIn('newer-nix.flake.txt'), [
    { file: 'domains/server/containers/sonarr/index.nix', line: 8, column: 25, message: "undefined variable 'category'" },
  ]);
});

test('«input»/ paths and a location right under the message', () => {
  assert.deepEqual(problemsIn('lazy-trees.compact.txt'), [
    { file: 'domains/server/containers/sonarr/index.nix', line: 5, column: 11, message: "syntax error, unexpected '=', expecting ';'" },
  ]);
});

test('terminal colours do not hide the error', () => {
  const coloured = readFileSync(path.join(fixtures, 'undefined-variable.parse.txt'), 'utf8')
    .replace(/^error:/m, '\x1b[31;1merror:\x1b[0m')
    .replace(/'category'/, "'\x1b[35;1mcategory\x1b[0m'");
  const [problem] = matchNixProblems(coloured);
  assertProblem(problem, { file: 'undefined-variable.nix', line: 8, column: 25, message: "undefined variable 'category'" });
});

test('package.json contributes the module\'s problem matcher, regexes included', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const contributed = manifest.contributes.problemMatchers.find((m) => m.name === 'hwc-nix');
  assert.ok(contributed, 'package.json contributes a problem matcher named hwc-nix');
  assert.deepEqual(contributed.pattern.map((p) => p.regexp), nixProblemPatterns.map((p) => p.regexp));
  assert.deepEqual(contributed, JSON.parse(JSON.stringify(nixProblemMatcher)));
  // The regexes must compile the way VS Code compiles them (no flags).
  for (const { regexp } of contributed.pattern) assert.doesNotThrow(() => new RegExp(regexp));
});

test('live Nix on this machine gives the same problems as the captured fixtures', async (t) => {
  const { spawnSync } = await import('node:child_process');
  if (spawnSync('nix-instantiate', ['--version']).status !== 0) return t.skip('nix-instantiate is not installed');
  for (const name of ['missing-semicolon', 'undefined-variable', 'unexpected-brace', 'duplicate-attribute']) {
    const file = path.join(fixtures, 'src', `${name}.nix`);
    const run = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', file], { encoding: 'utf8' });
    assert.notEqual(run.status, 0, `${name}.nix must fail to parse`);
    const live = matchNixProblems(run.stderr);
    assert.equal(live.length, 1, name);
    assert.equal(live[0].file, file);
    const [captured] = problemsIn(`${name}.parse.txt`);
    assert.deepEqual({ ...live[0], file: '', message: live[0].message.replace(file, '') }, { ...captured, file: '', message: captured.message.replace(captured.file, '') });
  }
});
