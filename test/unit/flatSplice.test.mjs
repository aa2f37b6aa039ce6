// An open document keeps its FlatTree between edits and copies out of tree-sitter only the
// part an edit changed (parse/flatSplice.ts). Whatever the edit — a digit typed into a port,
// a quote or brace that breaks the rest of the file, its repair, a line pasted or cut — the
// spliced copy must equal a fresh copy of the new tree, and so must the summary made from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { monolithNix, prng } from '../../bench/generate.mjs';
import { nextEdit, positionAt } from '../helpers/typing.mjs';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

const ARRAYS = ['symbol', 'field', 'start', 'end', 'firstChild', 'nextSibling'];

/** The first difference between two FlatTrees, or null. */
function difference(a, b) {
  if (a.count !== b.count) return `count ${a.count} vs ${b.count}`;
  if (a.text !== b.text) return 'text';
  for (const k of ARRAYS) for (let i = 0; i < a.count; i++) if (a[k][i] !== b[k][i]) return `${k}[${i}]: ${a[k][i]} vs ${b[k][i]}`;
  return null;
}

function modules() {
  const realWorld = ['net-flag-spellings/hosts/homelab/containers.nix', 'devices-on-custom-network/hosts/server/containers.nix', 'helper-lambda-arr-stack/domains/server/containers/arr/index.nix'];
  return [
    { file: 'domains/server/containers/monolith/index.nix', text: monolithNix('hwc.server.containers') },
    ...realWorld.map((f) => ({ file: f, text: fs.readFileSync(path.join(repo, 'test/fixtures/real-world', f), 'utf8') })),
  ];
}

test('an edited document\'s spliced FlatTree and summary equal a fresh copy of its tree (seeded random edits)', async () => {
  await engine.initParser();
  let spliced = 0;
  let edits = 0;
  for (const [index, { file, text: original }] of modules().entries()) {
    const random = prng(1800 + index);
    const store = new engine.DocumentStore();
    const uri = `file:///ws/${file}`;
    let entry = store.open(uri, 'nix', 1, original);
    engine.flatTreeOf(entry);
    let text = original;
    const undo = [];
    const steps = file.includes('monolith') ? 150 : 120;
    for (let step = 0; step < steps; step++) {
      const next = nextEdit(text, random, undo);
      const change = next.change;
      text = next.text;
      entry = store.change(uri, step + 2, [change]);
      assert.equal(entry.document.getText(), text);
      edits++;
      if (entry.flat) spliced++;
      const kept = engine.flatTreeOf(entry);
      const fresh = engine.flattenTree(entry.tree);
      const diff = difference(kept, fresh);
      assert.equal(diff, null, `${file}, edit ${step} (${JSON.stringify(change)}): ${diff}`);
      if (step % 10 === 0) {
        const config = engine.defaultLintConfig;
        assert.deepEqual(engine.extractSummary(entry.tree, file, config, {}, kept), engine.extractSummary(entry.tree, file, config), `${file}, edit ${step}`);
      }
    }
    store.dispose();
  }
  // Most edits are spliced (the rest change a whole file's structure, or come first after a refusal).
  assert.ok(spliced > edits * 0.6, `${spliced} of ${edits} edits spliced`);
});

test('a burst of several changes, and a full-text change, copy the whole tree again (and still agree)', async () => {
  await engine.initParser();
  const store = new engine.DocumentStore();
  const uri = 'file:///ws/domains/server/containers/monolith/index.nix';
  const text = monolithNix('hwc.server.containers');
  engine.flatTreeOf(store.open(uri, 'nix', 1, text));
  const site = positionAt(text, text.indexOf('40040:8080') + 5);
  const typed = (character, s) => ({ range: { start: { line: site.line, character }, end: { line: site.line, character } }, text: s });
  let entry = store.change(uri, 2, [typed(site.character, '1'), typed(site.character + 1, '2')]);
  assert.equal(entry.flat, undefined);
  assert.equal(difference(engine.flatTreeOf(entry), engine.flattenTree(entry.tree)), null);
  entry = store.change(uri, 3, [typed(site.character, '9')]);
  assert.ok(entry.flat, 'a single change after a burst is spliced again');
  assert.equal(difference(entry.flat, engine.flattenTree(entry.tree)), null);
  entry = store.change(uri, 4, [{ text: text.replace('40040', '40041') }]);
  assert.equal(entry.flat, undefined);
  store.dispose();
});
