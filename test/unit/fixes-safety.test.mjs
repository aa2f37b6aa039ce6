// Every fix's safety class against the one written definition (docs/rules/README.md,
// "Safety audit, fix by fix"): each registered fix has a row whose class matches what it
// declares; every action it offers on every fixture workspace keeps to that row (class and
// whether it may be applied in bulk); and fix-all without unsafe fixes — what
// `hwc lint --fix` runs — applies only safe actions, which the CLI shows on a real copy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus, engine, listFiles, loadWorkspace, ready, runFixAll } from '../fixtures/fixes/harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

before(ready);

/** The audit table: fix id → { cls: 'safe' | 'unsafe' | 'safe when …', bulk }. */
function auditTable() {
  const readme = fs.readFileSync(path.join(repo, 'docs/rules/README.md'), 'utf8');
  const section = readme.split(/^### Safety audit, fix by fix$/m)[1]?.split(/^#{2,3} /m)[0];
  assert.ok(section, 'docs/rules/README.md has the "Safety audit, fix by fix" section');
  const rows = new Map();
  for (const line of section.split('\n')) {
    const m = /^\| `([a-z-]+)` \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (m) rows.set(m[1], { cls: m[2].trim(), bulk: m[3].trim() });
  }
  return rows;
}

const conditional = (row) => row.cls.startsWith('safe when');

test('every registered fix has a row in the safety audit, with the class it declares', () => {
  const rows = auditTable();
  for (const fix of engine.FIXES) {
    const row = rows.get(fix.id);
    assert.ok(row, `${fix.id} is missing from the safety audit`);
    // A fix that is safe only under a condition declares its worst case.
    assert.equal(fix.safety, conditional(row) ? 'unsafe' : row.cls, `${fix.id}: declared class`);
  }
  for (const id of rows.keys()) assert.ok(engine.FIXES_BY_ID.has(id), `the audit lists ${id}, which is not a registered fix`);
});

test('Mount read-only is unsafe and never applied in bulk (it broke apps that write to the library)', () => {
  assert.equal(engine.FIXES_BY_ID.get('mount-read-only').safety, 'unsafe');
  assert.deepEqual(auditTable().get('mount-read-only'), { cls: 'unsafe', bulk: 'never' });
});

test('on every fixture workspace, every action keeps to its row of the audit', () => {
  const rows = auditTable();
  const seen = new Set();
  for (const { root, label } of corpus()) {
    const ws = loadWorkspace(root);
    for (const diagnostic of ws.diagnostics()) {
      for (const action of engine.actionsFor(ws.ctx(diagnostic))) {
        const row = rows.get(action.fix);
        const where = `${action.fix} "${action.title}" on ${label}/${diagnostic.src.file}:${diagnostic.src.range.start.line + 1}`;
        seen.add(action.fix);
        if (!conditional(row)) assert.equal(action.safety, row.cls, `${where}: class`);
        if (row.bulk === 'never') assert.equal(action.autoApply, false, `${where}: must never be applied in bulk`);
        if (action.safety === 'unsafe' && action.autoApply) assert.match(row.bulk, /includeUnsafe/, `${where}: an unsafe bulk fix needs includeUnsafe`);
      }
    }
  }
  for (const fix of engine.FIXES) assert.ok(seen.has(fix.id), `${fix.id} offered no action on any fixture workspace`);
});

test('fix-all without unsafe fixes (hwc lint --fix) applies only safe actions; with them, never a "never" fix', () => {
  const rows = auditTable();
  let safeApplied = 0;
  for (const { root, label } of corpus()) {
    for (const a of runFixAll(root, new Map(), false).applied) {
      assert.equal(a.safety, 'safe', `${label}: --fix applied ${a.fix} "${a.title}", which is ${a.safety}`);
      safeApplied++;
    }
    for (const a of runFixAll(root, new Map(), true).applied) {
      assert.notEqual(rows.get(a.fix).bulk, 'never', `${label}: fix-all applied ${a.fix} "${a.title}"`);
    }
  }
  assert.ok(safeApplied > 10, `safe fixes were applied somewhere (${safeApplied})`);
});

test('hwc lint --fix leaves a writable media mount alone and keeps reporting it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-fix-safety-'));
  try {
    fs.cpSync(path.join(repo, 'test/fixtures/rules/media-mount-writable/positive'), dir, { recursive: true });
    const before = new Map(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const r = spawnSync(process.execPath, [path.join(repo, 'bin/hwc'), 'lint', '--root', dir, '--fix'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.doesNotMatch(r.stdout, /Mount read-only/);
    assert.match(r.stdout, /\[media-mount-writable\]/, 'the findings are still reported');
    for (const [file, text] of before) assert.equal(fs.readFileSync(path.join(dir, file), 'utf8'), text, `${file} untouched`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
