// The model reads trees copied into flat arrays (parse/parser.ts flattenTree). Positions are
// computed from UTF-16 offsets, and the copy is made either by calling the runtime's cursor
// exports directly or through web-tree-sitter's public TreeCursor (HWC_PORTABLE_WALK=1):
// both must give the same summaries, and positions must be those tree-sitter reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const here = path.dirname(new URL(import.meta.url).pathname);
const engineFile = path.resolve(here, '..', '..', 'out', 'engine.js');

function summariesOf(root, env) {
  const script = `
    const engine = require(${JSON.stringify(engineFile)});
    engine.initParser().then(() => {
      const ws = new engine.Workspace(${JSON.stringify(root)});
      ws.loadAll();
      const all = [...ws.index.files()].sort((a, b) => (a.file < b.file ? -1 : 1));
      process.stdout.write(JSON.stringify(all));
    });`;
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
}

test('the direct and the portable tree walk give the same summaries (every rule fixture)', () => {
  const root = path.resolve(here, '..', 'fixtures', 'rules');
  const direct = summariesOf(root, {});
  const portable = summariesOf(root, { HWC_PORTABLE_WALK: '1' });
  assert.ok(direct.length > 10000);
  assert.equal(direct, portable);
});

test('positions count UTF-16 code units from the line start; only \\n breaks lines; text before the root is kept', async () => {
  await engine.initParser();
  const text = '\n\n  # 😀 a comment\r\n{ config, ... }: {\r\n  x = "é€😀"; virtualisation.oci-containers.containers."😀app" = { image = "a:1"; };\n}\n';
  const tree = engine.parseNix(text);
  try {
    const summary = engine.extractSummary(tree, 'm.nix', engine.defaultLintConfig);
    const container = summary.containers[0];
    assert.equal(container.name, '😀app');
    const line = text.split('\n')[4];
    assert.deepEqual(container.nameSrc.range, {
      start: { line: 4, character: line.indexOf('"😀app"') },
      end: { line: 4, character: line.indexOf('"😀app"') + '"😀app"'.length },
    });
    const image = container.fields.image[0];
    assert.equal(image.src.range.start.character, line.indexOf('"a:1"'));
  } finally {
    tree.delete();
  }
});
