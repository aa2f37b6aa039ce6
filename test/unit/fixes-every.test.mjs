// Every action of every fix on every diagnostic of every fixture workspace (the golden
// inputs, examples/homelab and the rule fixtures): the result parses with the real Nix
// parser, has no syntax error, and the targeted finding is gone on re-lint. Then fix-all,
// safe only and with unsafe fixes, reaches a state a second run leaves unchanged.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { applyAction, assertNixParsesMany, corpus, engine, findingKey, loadWorkspace, ready, runFixAll } from '../fixtures/fixes/harness.mjs';

before(ready);

const count = (list, key) => list.filter((d) => findingKey(d) === key).length;
const stats = { workspaces: 0, diagnostics: 0, actions: 0, parsed: 0 };

for (const { root, label } of corpus()) {
  test(`every fix on ${label}`, () => {
    const ws = loadWorkspace(root);
    const diagnostics = ws.diagnostics();
    const outputs = [];
    stats.workspaces++;
    for (const d of diagnostics) {
      stats.diagnostics++;
      const actions = engine.actionsFor(ws.ctx(d), { onError: (fix, error) => assert.fail(`${fix.id} threw on ${d.rule} at ${d.src.file}:${d.src.range.start.line + 1}: ${error.stack}`) });
      for (const action of actions) {
        const what = `${action.fix} "${action.title}" for ${d.rule} at ${d.src.file}:${d.src.range.start.line + 1}`;
        let edits = action.edits;
        if (action.prompt) {
          edits = engine.pinImageTagEdits(ws.ctx(d), d.src, action.prompt.image, action.prompt.suggestion ?? '1.2.3');
          assert.ok(!('error' in edits), `${what}: ${edits.error}`);
        }
        const output = applyAction(edits, ws.read);
        assert.ok([...output].some(([file, text]) => text !== ws.read(file)), `${what} changes nothing`);
        const after = loadWorkspace(root, output).diagnostics();
        assert.ok(count(after, findingKey(d)) < count(diagnostics, findingKey(d)), `${what} leaves the finding: ${d.message}`);
        assert.ok(!after.some((x) => x.rule === 'syntax-error'), `${what} breaks the syntax: ${after.filter((x) => x.rule === 'syntax-error').map((x) => `${x.src.file}:${x.src.range.start.line + 1} ${x.message}`).join('; ')}`);
        outputs.push({ label: what, texts: output });
        stats.actions++;
      }
    }
    for (const includeUnsafe of [false, true]) {
      const first = runFixAll(root, new Map(), includeUnsafe);
      outputs.push({ label: `fix-all (includeUnsafe ${includeUnsafe})`, texts: first.changes });
      const second = runFixAll(root, first.changes, includeUnsafe);
      assert.equal(second.changes.size, 0, `fix-all (includeUnsafe ${includeUnsafe}) is not idempotent: the second run changes ${[...second.changes.keys()].join(', ')} (${second.applied.map((a) => `${a.rule}: ${a.title}`).join('; ')})`);
    }
    stats.parsed += assertNixParsesMany(outputs);
  });
}

test('corpus size', () => {
  // Printed for the record (node --test shows diagnostics of passing tests with --test-reporter=spec).
  console.log(`fixes checked: ${stats.actions} actions on ${stats.diagnostics} diagnostics in ${stats.workspaces} workspaces; ${stats.parsed} fixed files parsed by nix-instantiate`);
  assert.ok(stats.actions > 100);
});
