// syntax-error findings on real-looking broken modules: one per error region, a message
// that says what is wrong, the right place, and the rest of the file still analysed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'syntax');

async function lintFixture(name) {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-syntax-'));
  fs.copyFileSync(path.join(fixtures, name), path.join(dir, name));
  const workspace = new engine.Workspace(dir);
  workspace.loadAll();
  const findings = [...engine.workspaceDiagnostics(workspace).values()].flat();
  fs.rmSync(dir, { recursive: true, force: true });
  return findings.map((d) => ({ rule: d.rule, line: d.src.range.start.line + 1, column: d.src.range.start.character + 1, message: d.message }));
}

const cases = [
  { file: 'missing-semicolon.nix', line: 10, column: 7, message: /missing `;` before `ports`/ },
  { file: 'missing-semicolon-dotted.nix', line: 5, column: 5, message: /missing `;` before `environment\.TZ`/ },
  { file: 'extra-brace.nix', line: 12, column: 1, message: /unexpected `}`: there is no open attribute set/ },
  { file: 'unterminated-string.nix', line: 4, column: 13, message: /unterminated string/ },
  { file: 'unclosed-list.nix', line: 8, column: 38, message: /missing `]` to close the list opened on line 8/ },
  { file: 'missing-value.nix', line: 4, column: 12, message: /missing a value after `=`/ },
  { file: 'error-then-violation.nix', line: 6, column: 1, message: /missing `;` before `in`/ },
];

for (const c of cases) {
  test(`${c.file}: exactly one syntax error, at ${c.line}:${c.column}, saying what is wrong`, async () => {
    const findings = await lintFixture(c.file);
    const syntax = findings.filter((f) => f.rule === 'syntax-error');
    assert.equal(syntax.length, 1, JSON.stringify(findings, null, 2));
    assert.equal(syntax[0].line, c.line);
    assert.equal(syntax[0].column, c.column);
    assert.match(syntax[0].message, c.message);
  });
}

test('a syntax error does not hide the violations after it', async () => {
  const findings = await lintFixture('error-then-violation.nix');
  const latest = findings.find((f) => f.rule === 'image-latest-tag');
  assert.ok(latest, JSON.stringify(findings, null, 2));
  assert.equal(latest.line, 9);
});

test('a stray `}` at the end does not hide the container above it', async () => {
  const findings = await lintFixture('extra-brace.nix');
  assert.ok(findings.some((f) => f.rule === 'missing-puid-pgid' && f.line === 7), JSON.stringify(findings, null, 2));
});

test('an unclosed list still lets the volumes after it be checked', async () => {
  const findings = await lintFixture('unclosed-list.nix');
  assert.ok(findings.some((f) => f.rule === 'state-dir-missing-tmpfiles' && f.line === 9), JSON.stringify(findings, null, 2));
});

test('every fixture really is invalid Nix for the real parser', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const probe = spawnSync('nix-instantiate', ['--version']);
  if (probe.error) return t.skip('nix-instantiate is not installed');
  for (const c of cases) {
    const result = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', path.join(fixtures, c.file)], { encoding: 'utf8' });
    assert.notEqual(result.status, 0, `${c.file} should not parse`);
  }
});
