// The committed tree-sitter-nix.wasm loads and is the one PROVENANCE.json describes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const provenance = JSON.parse(fs.readFileSync(path.join(root, 'server/grammar/PROVENANCE.json'), 'utf8'));
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('the committed wasm matches its provenance record', () => {
  assert.equal(sha256(path.join(root, 'server/grammar/tree-sitter-nix.wasm')), provenance.wasmSha256);
});

test('the provenance names the installed grammar sources', () => {
  const pkg = require('tree-sitter-nix/package.json');
  assert.equal(pkg.version, provenance.version);
  assert.equal(sha256(require.resolve('tree-sitter-nix/src/parser.c')), provenance.parserCSha256);
  assert.equal(sha256(require.resolve('tree-sitter-nix/src/scanner.c')), provenance.scannerCSha256);
  assert.ok(fs.existsSync(path.join(root, provenance.builtBy)), 'the rebuild script exists');
});

test('the built wasm loads and parses Nix with the expected node types', async () => {
  const engine = require('../../out/engine.js');
  assert.equal(sha256(path.join(root, 'out/tree-sitter-nix.wasm')), provenance.wasmSha256, 'the build copies the committed wasm');
  await engine.initParser();
  const shape = engine.withTree('{ config, ... }: { a.b = "x${config.y}"; inherit (lib) mkIf; }', (tree) => tree.rootNode.toString());
  assert.match(shape, /function_expression/);
  assert.match(shape, /interpolation/);
  assert.match(shape, /inherit_from/);
});
