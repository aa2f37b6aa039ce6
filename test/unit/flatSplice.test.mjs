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

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Edits someone typing in a container module makes, some breaking the syntax, some repairing it. */
function randomEdit(text, random, undo) {
  const at = (offset) => positionAt(text, offset);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const roll = random();
  if (roll < 0.2 && undo.length > 0) return undo.pop();
  let start = Math.floor(random() * text.length);
  let end = start;
  let insert = '';
  if (roll < 0.45) insert = pick(['0', '7', 'a', 'x', ' ', '"', ';', '{', '}', '[', ']', '=', '.', ':', '\n', '#', "''", '${', 'cfg.', '/opt/']);
  else if (roll < 0.6) end = Math.min(text.length, start + 1 + Math.floor(random() * 4));
  else if (roll < 0.75) {
    // A digit in one of the host ports.
    const ports = [...text.matchAll(/"127\.0\.0\.1:(\d+):/g)];
    if (ports.length > 0) {
      const m = pick(ports);
      start = end = m.index + m[0].length - 1;
      insert = String(Math.floor(random() * 10));
    }
  } else if (roll < 0.85) {
    // A whole line cut or duplicated.
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = text.indexOf('\n', start) + 1 || text.length;
    if (random() < 0.5) end = lineEnd;
    else insert = text.slice(lineStart, lineEnd);
    start = lineStart;
    if (insert) end = start;
  } else {
    // A word replaced by another of the file's words.
    const word = /[A-Za-z_][\w-]*/g;
    word.lastIndex = start;
    const m = word.exec(text);
    if (m) {
      start = m.index;
      end = m.index + m[0].length;
      insert = pick(['image', 'ports', 'enable', 'cfg', 'mkIf', 'lib', 'config', 'volumes', 'let', 'in', 'inherit', 'rec']);
    }
  }
  const change = { range: { start: at(start), end: at(end) }, text: insert };
  const inverse = { removed: text.slice(start, end), start, insertedLength: insert.length };
  return { change, inverse };
}

function modules() {
  const realWorld = ['net-flag-spellings/hosts/homelab/containers.nix', 'devices-on-custom-network/hosts/server/containers.nix', 'helper-lambda-arr-stack/domains/server/containers/arr/index.nix'];
  return [
    { file: 'domains/server/containers/monolith/index.nix', text: monolithNix('hwc.server') },
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
      const edit = randomEdit(text, random, undo);
      let change;
      if (edit.change) {
        change = edit.change;
        undo.push(edit.inverse);
      } else {
        // Undo an earlier edit (repairs what it broke), if the text still has room for it.
        const { start, insertedLength, removed } = edit;
        if (start + insertedLength > text.length) continue;
        change = { range: { start: positionAt(text, start), end: positionAt(text, start + insertedLength) }, text: removed };
      }
      const from = engine.offsetAt(text, change.range.start);
      const to = engine.offsetAt(text, change.range.end);
      text = text.slice(0, from) + change.text + text.slice(to);
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
  const text = monolithNix('hwc.server');
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
