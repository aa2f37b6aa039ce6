// Issue 15, items 5 and 12 (document size): files built to be slow. A 20,000-step select
// chain made tree-sitter parse for 15 s, 32,000 unclosed `{ a =` made the syntax messages
// quadratic; the language server answered nothing meanwhile (64 s and 130 s measured on
// this machine under load, bench/pathological.mjs). Now each file has limits (size,
// nesting, a parse-time budget, parse/limits.ts): a file over one gets one
// `file-not-analysed` diagnostic and requests are answered. A didChange that grows a
// document past hwc.maxFileSizeKb is not parsed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../helpers/lspClient.mjs';
import { fingerprint, homelabCopy, hwc } from './support/attack.mjs';

/** Far above the budgets (289 ms, no parse at all) and far below the 15 s / 25 s the attacks took. */
const ANSWER_WITHIN_MS = 5_000;

const selectChain = `{ config, lib, ... }:
{
  # generated
  services.example.value = config${'.b'.repeat(20_000)};
}
`;
const unclosed = `# generated\n${'{ a = '.repeat(32_000)}\n`;
const deepLists = `{ config, ... }:\n{\n  x = ${'[ '.repeat(5_000)}1${' ]'.repeat(5_000)};\n}\n`;

const ATTACKS = [
  ['a 20,000-step select chain', selectChain, /parsing it takes longer than \d+ ms \(the budget for its size\)/],
  ['32,000 unclosed `{ a =`', unclosed, /brackets nest more than 1000 levels deep \(at line 2\)/],
  ['lists nested 5,000 deep', deepLists, /brackets nest more than 1000 levels deep \(at line 3\)/],
];

describe('hwc lint on pathological files', () => {
  test('each gets one file-not-analysed warning, the rest is linted, in seconds', { timeout: 90_000 }, async () => {
    const dir = homelabCopy('patho');
    try {
      const folder = path.join(dir, 'domains/server/containers/sonarr');
      ATTACKS.forEach(([, text], i) => fs.writeFileSync(path.join(folder, `generated-${i}.nix`), text));
      const before = fingerprint(dir);
      const r = await hwc(['lint', '--format', 'json', dir], { deadlineMs: 60_000 });
      assert.notEqual(r.code, 'killed', 'hwc lint did not finish in 60 s');
      assert.ok(r.ms < 20_000, `took ${Math.round(r.ms)} ms`);
      const findings = JSON.parse(r.stdout);
      ATTACKS.forEach(([name, , message], i) => {
        const own = findings.filter((f) => f.file === `domains/server/containers/sonarr/generated-${i}.nix`);
        assert.equal(own.length, 1, `${name}: one finding, got ${JSON.stringify(own)}`);
        assert.equal(own[0].rule, 'file-not-analysed');
        assert.equal(own[0].severity, 'warning');
        assert.equal(own[0].line, 1);
        assert.match(own[0].message, /^this file is not analysed: /);
        assert.match(own[0].message, message);
      });
      assert.ok(findings.some((f) => f.file === 'domains/server/containers/postgres/index.nix'), 'the other modules are linted');
      assert.deepEqual(fingerprint(dir), before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the language server with a pathological file open', () => {
  test('requests are answered while it is opened and edited; it gets one diagnostic', { timeout: 120_000 }, async () => {
    const dir = homelabCopy('patho-lsp');
    const server = await startServer(dir);
    try {
      await server.waitReady(30_000);
      const other = path.join(dir, 'domains/server/containers/sonarr/index.nix');
      const otherUri = server.open(other, fs.readFileSync(other, 'utf8'));
      for (const [name, text, message] of ATTACKS) {
        const uri = server.open(path.join(dir, 'domains/server/containers/sonarr/generated.nix'), text);
        const started = performance.now();
        await server.request('textDocument/hover', { textDocument: { uri: otherUri }, position: { line: 3, character: 4 } });
        const hoverMs = performance.now() - started;
        assert.ok(hoverMs < ANSWER_WITHIN_MS, `${name}: hover waited ${Math.round(hoverMs)} ms`);
        const diagnostics = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'file-not-analysed'), 20_000);
        assert.equal(diagnostics.length, 1, `${name}: ${JSON.stringify(diagnostics)}`);
        assert.match(diagnostics[0].message, message);
        assert.deepEqual(diagnostics[0].range.start, { line: 0, character: 0 });
        // Typing in it: still refused, still answering.
        server.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
        const again = performance.now();
        await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } });
        assert.ok(performance.now() - again < ANSWER_WITHIN_MS, `${name}: hover after an edit`);
        server.close(uri);
      }
      assert.equal(server.child.exitCode, null, server.stderr);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a didChange that grows a document past hwc.maxFileSizeKb is not parsed; shrinking it back analyses it again', { timeout: 60_000 }, async () => {
    const dir = homelabCopy('patho-size');
    const server = await startServer(dir, { settings: { maxFileSizeKb: 64 } });
    try {
      await server.waitReady(30_000);
      // postgres publishes 5432 on every interface: database-port-exposed.
      const file = path.join(dir, 'domains/server/containers/postgres/index.nix');
      const original = fs.readFileSync(file, 'utf8');
      const uri = server.open(file, original);
      await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'database-port-exposed'), 20_000);
      // A 100 KiB comment pasted at the top, with an unterminated string that would be a syntax error if parsed.
      const paste = `# ${'x'.repeat(100 * 1024)}\n"unterminated\n`;
      server.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: paste }]);
      const grown = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'file-not-analysed'), 20_000);
      assert.equal(grown.length, 1, JSON.stringify(grown.map((d) => d.code)));
      assert.match(grown[0].message, /this file is not analysed: it is larger than 64 KiB \(hwc\.maxFileSizeKb\)/);
      // Undo the paste: analysed again, the findings are back, no file-not-analysed.
      server.change(uri, [{ text: original }]);
      const back = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'database-port-exposed'), 20_000);
      assert.ok(back.every((d) => d.code !== 'syntax-error' && d.code !== 'file-not-analysed'));
      assert.equal(fs.readFileSync(file, 'utf8'), original, 'nothing written');
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
