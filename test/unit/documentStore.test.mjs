// The document store owns tree lifetimes: incremental re-parses give the same tree as a
// fresh parse, and every replaced or closed tree is deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');

const MODULE = `{ config, lib, ... }:
let
  cfg = config.hwc.server.containers.sonarr;
in {
  imports = [ ./options.nix ];
  config = lib.mkIf cfg.enable {
    virtualisation.oci-containers.containers.sonarr = {
      image = "lscr.io/linuxserver/sonarr:4.0.9";
      ports = [ "127.0.0.1:8989:8989" ];
      environment = { PUID = "1000"; PGID = "1000"; TZ = "Europe/Berlin"; };
    };
  };
}
`;

function sexp(text) {
  return engine.withTree(text, (tree) => tree.rootNode.toString());
}

function positionOf(text, needle) {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

test('incremental edits produce the same tree as parsing the new text from scratch', async () => {
  await engine.initParser();
  const store = new engine.DocumentStore();
  const uri = 'file:///ws/domains/server/containers/sonarr/index.nix';
  store.open(uri, 'nix', 1, MODULE);
  let text = MODULE;
  const edits = [
    ['4.0.9', '4.0.10'],
    ['8989:8989', '8990:8989'],
    ['TZ = "Europe/Berlin"; ', ''],
  ];
  let version = 1;
  for (const [from, to] of edits) {
    const start = positionOf(text, from);
    const end = { line: start.line, character: start.character + from.length };
    text = text.replace(from, to);
    const entry = store.change(uri, ++version, [{ range: { start, end }, text: to }]);
    assert.equal(entry.document.getText(), text);
    assert.equal(entry.document.version, version);
    assert.equal(entry.tree.rootNode.toString(), sexp(text));
  }
  store.dispose();
});

test('several content changes in one notification apply in order', async () => {
  await engine.initParser();
  const store = new engine.DocumentStore();
  const uri = 'file:///ws/a.nix';
  store.open(uri, 'nix', 1, '{ a = 1; b = 2; }\n');
  const entry = store.change(uri, 2, [
    { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: '10' },
    { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 15 } }, text: '"x"' },
  ]);
  assert.equal(entry.document.getText(), '{ a = 10; b = "x"; }\n');
  assert.equal(entry.tree.rootNode.toString(), sexp('{ a = 10; b = "x"; }\n'));
  store.dispose();
});

test('replaced and closed trees are deleted: 1,000 edits leave exactly one live tree per open document', async () => {
  await engine.initParser();
  const store = new engine.DocumentStore();
  const a = 'file:///ws/a.nix';
  const b = 'file:///ws/b.nix';
  store.open(a, 'nix', 1, MODULE);
  store.open(b, 'nix', 1, MODULE);
  const at = positionOf(MODULE, '8989:');
  for (let i = 0; i < 1000; i++) {
    const digit = String(i % 10);
    store.change(a, i + 2, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: digit }]);
  }
  assert.equal(store.liveTrees, 2);
  assert.equal(store.stats.created, 1002);
  assert.equal(store.stats.deleted, 1000);
  // Re-opening a document frees the tree it replaces.
  store.open(b, 'nix', 5, '{ }');
  assert.equal(store.liveTrees, 2);
  store.close(a);
  store.close(b);
  assert.equal(store.liveTrees, 0);
  assert.equal(store.stats.created, store.stats.deleted);
  // A deleted tree is really gone: tree-sitter refuses to use it.
  const tree = engine.parseNix('{ }');
  tree.delete();
  assert.throws(() => tree.rootNode.toString());
});

test('a full-text change (no range) re-parses from scratch', async () => {
  await engine.initParser();
  const store = new engine.DocumentStore();
  const uri = 'file:///ws/c.nix';
  store.open(uri, 'nix', 1, MODULE);
  const entry = store.change(uri, 2, [{ text: '{ x = [ 1 2 3 ]; }\n' }]);
  assert.equal(entry.tree.rootNode.toString(), sexp('{ x = [ 1 2 3 ]; }\n'));
  assert.equal(store.liveTrees, 1);
  store.dispose();
  assert.equal(store.liveTrees, 0);
});
