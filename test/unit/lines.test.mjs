// The line model (server/src/model/lines.ts) agrees with vscode-languageserver-textdocument,
// the LSP's reference implementation, on every offset and position of texts mixing `\r\n`,
// `\n` and lone `\r` (seeded random texts, and a real module with each kind of line end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function prng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function agree(text, what) {
  const doc = TextDocument.create('file:///x.nix', 'nix', 1, text);
  for (let offset = 0; offset <= text.length; offset++) {
    assert.deepEqual(engine.positionAt(text, offset), doc.positionAt(offset), `${what}: positionAt(${offset})`);
  }
  for (let line = 0; line < doc.lineCount + 1; line++) {
    for (const character of [0, 1, 3, 1000]) {
      assert.equal(engine.offsetAt(text, { line, character }), doc.offsetAt({ line, character }), `${what}: offsetAt(${line}:${character})`);
    }
  }
}

test('random texts with \\r\\n, \\n and lone \\r', () => {
  const rnd = prng(15);
  const pieces = ['\r\n', '\n', '\r', 'a', ' = ', '"x"', ';', '\r\r', '\n\r', '😀'];
  for (let k = 0; k < 200; k++) {
    let text = '';
    const n = Math.floor(rnd() * 40);
    for (let i = 0; i < n; i++) text += pieces[Math.floor(rnd() * pieces.length)];
    agree(text, JSON.stringify(text));
  }
});

test('a real module with each kind of line end', () => {
  const module = fs.readFileSync(path.join(repo, 'examples/homelab/domains/server/containers/postgres/index.nix'), 'utf8');
  for (const eol of ['\n', '\r\n', '\r']) agree(module.replace(/\n/g, eol), JSON.stringify(eol));
});
