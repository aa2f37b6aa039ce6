// Golden tests for every fix: test/fixtures/fixes/<fix>/<case>/ holds an input workspace,
// case.json (the diagnostic and the action to apply) and expected/ (every file the action
// changes, as it must read afterwards). For each case: the output matches, parses with the
// real Nix parser, every fixed module has a top level the real evaluator and NixOS accept,
// the targeted finding is gone on re-lint, and fix-all over the output reaches a state a
// second fix-all leaves unchanged.
// HWC_UPDATE_GOLDEN=1 rewrites expected/ from the current output (review the diff!).
import { after, test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyAction, assertModuleShapes, assertNixParses, engine, findingKey, fixturesRoot, listFiles, loadWorkspace, ready, runFixAll } from '../fixtures/fixes/harness.mjs';

const update = process.env.HWC_UPDATE_GOLDEN === '1';

function cases() {
  const out = [];
  for (const fix of fs.readdirSync(fixturesRoot, { withFileTypes: true })) {
    if (!fix.isDirectory()) continue;
    for (const c of fs.readdirSync(path.join(fixturesRoot, fix.name), { withFileTypes: true })) {
      const dir = path.join(fixturesRoot, fix.name, c.name);
      if (c.isDirectory() && fs.existsSync(path.join(dir, 'case.json'))) out.push({ fix: fix.name, name: c.name, dir, spec: JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) });
    }
  }
  return out;
}

before(ready);

/** How many fixed files the real evaluator could judge (reported; most golden outputs are modules it can). */
let judged = 0;
after(() => console.log(`module shapes judged by nix-instantiate --eval: ${judged}`));

test('every registered fix has golden cases', () => {
  const covered = new Set(cases().map((c) => c.fix));
  for (const fix of engine.FIXES) assert.ok(covered.has(fix.id), `no golden case under test/fixtures/fixes/${fix.id}/`);
});

for (const c of cases()) {
  test(`${c.fix}/${c.name}: ${c.spec.description}`, () => {
    const input = path.join(c.dir, 'input');
    const ws = loadWorkspace(input);
    const all = ws.diagnostics();
    const target = all.find((d) => d.rule === c.spec.rule && d.src.file === c.spec.file && d.src.range.start.line + 1 === c.spec.line);
    assert.ok(target, `no ${c.spec.rule} at ${c.spec.file}:${c.spec.line}; found:\n${all.map((d) => `${d.src.file}:${d.src.range.start.line + 1} ${d.rule}`).join('\n')}`);
    const actions = engine.actionsFor(ws.ctx(target), { onError: (fix, error) => assert.fail(`${fix.id} threw: ${error.stack}`) });
    const action = actions.find((a) => a.fix === c.fix && a.title.startsWith(c.spec.action));
    assert.ok(action, `no action "${c.spec.action}" from ${c.fix}; offered: ${actions.map((a) => `${a.fix}: ${a.title}`).join(' | ')}`);
    if (c.spec.safety) assert.equal(action.safety, c.spec.safety, 'safety class');
    if (c.spec.autoApply !== undefined) assert.equal(action.autoApply, c.spec.autoApply, 'fix-all eligibility');
    if (c.spec.note) assert.match(action.note ?? '', new RegExp(c.spec.note));
    let edits = action.edits;
    if (action.prompt) {
      assert.ok(c.spec.input, 'a prompt action needs "input" in case.json');
      if (c.spec.suggestion !== undefined) assert.equal(action.prompt.suggestion, c.spec.suggestion, 'pre-filled suggestion');
      edits = engine.pinImageTagEdits(ws.ctx(target), target.src, action.prompt.image, c.spec.input);
      assert.ok(!('error' in edits), edits.error);
    }
    const output = applyAction(edits, ws.read);
    for (const [file, text] of [...output]) if (text === ws.read(file)) output.delete(file);
    assert.ok(output.size > 0, 'the action changes something');

    const expectedDir = path.join(c.dir, 'expected');
    if (update) {
      fs.rmSync(expectedDir, { recursive: true, force: true });
      for (const [file, text] of output) {
        fs.mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
        fs.writeFileSync(path.join(expectedDir, file), text);
      }
    }
    assert.deepEqual([...output.keys()].sort(), listFiles(expectedDir), 'the files the action changes');
    for (const [file, text] of output) assert.equal(text, fs.readFileSync(path.join(expectedDir, file), 'utf8'), `${file} differs from expected/`);

    assertNixParses(output, `(${c.fix}/${c.name})`);
    judged += assertModuleShapes(output, `(${c.fix}/${c.name})`);
    const after = loadWorkspace(input, output);
    const remaining = after.diagnostics();
    assert.ok(!remaining.some((d) => findingKey(d) === findingKey(target)), `the finding is still there: ${target.message}`);
    assert.ok(!remaining.some((d) => d.rule === 'syntax-error'), 'no syntax errors after the fix');
    const before = all.filter((d) => d.rule === target.rule).length;
    assert.ok(remaining.filter((d) => d.rule === target.rule).length < before, 'fewer findings of the rule');

    // Fix-all (unsafe included) on the output, then again: the second run changes nothing.
    const first = runFixAll(input, output);
    const merged = new Map([...output, ...first.changes]);
    assertNixParses(merged, `(fix-all after ${c.fix}/${c.name})`);
    const second = runFixAll(input, merged);
    assert.equal(second.changes.size, 0, `a second fix-all still changes ${[...second.changes.keys()].join(', ')}: ${second.applied.map((a) => a.title).join('; ')}`);
  });
}
