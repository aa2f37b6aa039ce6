// Issue 15, item 10: one line model. The LSP counts `\r\n`, `\n` and a lone `\r` as line
// breaks; the server counted only `\n`, so in a file with lone-CR line endings every
// diagnostic sat on line 0 and a quick fix's edit, applied by a conforming client, landed
// on the wrong line and broke the file. Here the client side is
// vscode-languageserver-textdocument (the LSP's reference text model, what VS Code's
// language client uses): diagnostics must cover the text they talk about, and the server's
// edit applied by it must give valid Nix with the fix where it belongs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer } from '../helpers/lspClient.mjs';
import { homelabCopy } from './support/attack.mjs';

const haveNix = spawnSync('nix-instantiate', ['--version']).status === 0;

/** The module with every line break replaced by `eol`. */
function withLineEndings(text, eol) {
  return text.replace(/\r\n|\n/g, eol);
}

function parsesAsNix(text) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-eol-')), 'index.nix');
  try {
    fs.writeFileSync(file, text);
    const r = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', file], { encoding: 'utf8' });
    return r.status === 0 ? true : r.stderr;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe('lone-CR line endings', () => {
  for (const [name, eol] of [
    ['lone \\r', '\r'],
    ['\\r\\n', '\r\n'],
    ['mixed \\r, \\r\\n and \\n', null],
  ]) {
    test(`${name}: diagnostics cover their text and a quick fix lands where a conforming client expects`, { timeout: 60_000 }, async (t) => {
      const dir = homelabCopy('eol');
      const file = path.join(dir, 'domains/server/containers/postgres/index.nix');
      const original = fs.readFileSync(file, 'utf8');
      // Mixed: each line break picks one of the three in turn.
      let k = 0;
      const text = eol === null ? original.replace(/\n/g, () => ['\r', '\r\n', '\n'][k++ % 3]) : withLineEndings(original, eol);
      fs.writeFileSync(file, text);
      const server = await startServer(dir);
      try {
        await server.waitReady(30_000);
        const uri = server.open(file, text);
        const client = TextDocument.create(uri, 'nix', 1, text);
        const diagnostics = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'database-port-exposed'), 20_000);
        const exposed = diagnostics.find((d) => d.code === 'database-port-exposed');
        assert.equal(client.getText(exposed.range), '"5432:5432"', 'the diagnostic covers the port literal in the client');
        assert.equal(exposed.range.start.line, 28, 'line 29 of the file, as every LSP client counts');
        const actions = await server.request('textDocument/codeAction', {
          textDocument: { uri },
          range: exposed.range,
          context: { diagnostics: [exposed], only: ['quickfix'] },
        });
        const bind = actions.find((a) => /127\.0\.0\.1/.test(a.title));
        assert.ok(bind, `a loopback fix is offered: ${actions.map((a) => a.title).join(' | ')}`);
        const change = bind.edit.documentChanges.find((c) => c.textDocument.uri === uri);
        const fixed = TextDocument.applyEdits(client, change.edits);
        // Exactly the literal changed; every line break is where it was.
        assert.equal(fixed, text.replace('"5432:5432"', '"127.0.0.1:5432:5432"'));
        if (haveNix) assert.equal(parsesAsNix(fixed), true, 'the fixed file is valid Nix');
        else t.diagnostic('nix-instantiate missing: the parse check was skipped');
        // Hover at the literal (a position the client computed) finds the container's port.
        const hover = await server.request('textDocument/hover', { textDocument: { uri }, position: { line: exposed.range.start.line, character: exposed.range.start.character + 2 } });
        assert.ok(hover, 'hover answers at a client position');
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('hwc lint reports lone-CR positions on the lines an editor shows', { timeout: 60_000 }, async () => {
    const { hwc } = await import('./support/attack.mjs');
    const dir = homelabCopy('eol-cli');
    try {
      const file = path.join(dir, 'domains/server/containers/postgres/index.nix');
      fs.writeFileSync(file, withLineEndings(fs.readFileSync(file, 'utf8'), '\r'));
      const r = await hwc(['lint', '--format', 'json', dir]);
      const finding = JSON.parse(r.stdout).find((f) => f.rule === 'database-port-exposed');
      assert.deepEqual([finding.line, finding.column], [29, 9]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
