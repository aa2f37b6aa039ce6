// Code actions over real JSON-RPC: a quick fix's edit, applied to the text and sent back
// with didChange, makes its diagnostic disappear; suppressions are indented like the line;
// source.fixAll.hwc and the hwc.server.fixAll command return versioned edits; "Pin image
// tag…" round-trips through the client command; a profile import lands in another file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, fileUri } from '../helpers/lspClient.mjs';

const example = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'homelab');
const N8N = 'domains/server/containers/n8n/index.nix';
const POSTGRES = 'domains/server/containers/postgres/index.nix';
const KUMA_OPTIONS = 'domains/server/containers/uptime-kuma/options.nix';
const REDIS = 'domains/server/containers/redis/index.nix';

function copyExample() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-actions-'));
  fs.cpSync(example, dir, { recursive: true });
  return dir;
}

/** Applies LSP TextEdits (non-overlapping, any order) to a text. */
function applyLspEdits(text, edits) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p) => starts[p.line] + p.character;
  const sorted = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const codes = (diagnostics) => diagnostics.map((d) => d.code);

async function withServer(fn, settings) {
  const dir = copyExample();
  const server = await startServer(dir, settings ? { settings } : {});
  try {
    await server.waitReady();
    await fn(server, dir);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function open(server, dir, file) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  return { uri: server.open(path.join(dir, file), text), text };
}

async function quickFixes(server, uri, diagnostic) {
  return server.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
}

/** The one TextDocumentEdit of an action for `uri`, checked to be versioned. */
function documentEdit(edit, uri, version) {
  const change = edit.documentChanges.find((c) => c.textDocument.uri === uri);
  assert.ok(change, `an edit for ${uri}`);
  assert.equal(change.textDocument.version, version, 'versioned against the open document');
  return change.edits;
}

test('a quick fix applied over didChange clears its diagnostic, and nothing else changes', async () => {
  await withServer(async (server, dir) => {
    const { uri, text } = open(server, dir, N8N);
    const diagnostics = await server.waitDiagnostics(uri, (d) => codes(d).includes('media-mount-writable'));
    const diagnostic = diagnostics.find((d) => d.code === 'media-mount-writable');
    assert.ok(diagnostic.data, 'diagnostics carry data for fixes');
    const actions = await quickFixes(server, uri, diagnostic);
    const fix = actions.find((a) => a.title === 'Mount read-only');
    assert.ok(fix, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [diagnostic], 'attached to its diagnostic');
    const edits = documentEdit(fix.edit, uri, 1);
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0], { range: { start: { line: 17, character: 34 }, end: { line: 17, character: 34 } }, newText: ':ro' }, 'only the options change');
    const fixed = applyLspEdits(text, edits);
    server.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
    const after = await server.waitDiagnostics(uri, (d) => !codes(d).includes('media-mount-writable'));
    assert.deepEqual(codes(after), ['hardcoded-secret'], 'the other finding stays');
    assert.equal(fixed.split('\n')[17], '        "/mnt/storage/media:/media:ro"');
  });
});

test('suppression actions insert the comment indented like the line, and the finding goes', async () => {
  await withServer(async (server, dir) => {
    const { uri, text } = open(server, dir, POSTGRES);
    const diagnostics = await server.waitDiagnostics(uri, (d) => codes(d).includes('database-port-exposed'));
    const diagnostic = diagnostics.find((d) => d.code === 'database-port-exposed');
    const actions = await quickFixes(server, uri, diagnostic);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Bind to 127.0.0.1 (`127.0.0.1:5432:5432`)', 'Disable database-port-exposed for this line', 'Disable database-port-exposed for this file'],
      'the fix first, then the suppressions',
    );
    const line = actions.find((a) => a.title.endsWith('for this line'));
    const edits = documentEdit(line.edit, uri, 1);
    const target = text.split('\n')[diagnostic.range.start.line];
    const indent = /^\s*/.exec(target)[0];
    assert.deepEqual(edits, [
      { range: { start: { line: diagnostic.range.start.line, character: 0 }, end: { line: diagnostic.range.start.line, character: 0 } }, newText: `${indent}# hwc-lint: disable-next-line database-port-exposed -- <reason>\n` },
    ]);
    server.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
    const after = await server.waitDiagnostics(uri, (d) => !codes(d).includes('database-port-exposed'));
    assert.ok(!codes(after).includes('suppression-unused'), 'the suppression is used');

    const file = actions.find((a) => a.title.endsWith('for this file'));
    assert.equal(documentEdit(file.edit, uri, 1)[0].newText, '# hwc-lint: disable-file database-port-exposed -- <reason>\n');
  });
});

test('source.fixAll.hwc and the fixAll command apply the safe fixes only, as versioned edits', async () => {
  await withServer(async (server, dir) => {
    const { uri, text } = open(server, dir, 'domains/server/containers/paperless/index.nix');
    await server.waitDiagnostics(uri, (d) => codes(d).includes('secret-missing-assertion') && codes(d).includes('state-dir-missing-tmpfiles'));
    const lightBulb = await server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } });
    assert.ok(!lightBulb.some((a) => a.kind === 'source.fixAll.hwc'), 'fix-all is computed only when asked for');
    const [fixAll] = await server.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(fixAll.kind, 'source.fixAll.hwc');
    const edits = documentEdit(fixAll.edit, uri, 1);
    const viaCommand = await server.request('workspace/executeCommand', { command: 'hwc.server.fixAll', arguments: [{ uri, version: 1 }] });
    assert.deepEqual(viaCommand, fixAll.edit, 'the command and the source action agree');
    // Our client asks for a report too, to say what Fix all applied.
    const reported = await server.request('workspace/executeCommand', { command: 'hwc.server.fixAll', arguments: [{ uri, version: 1, report: true }] });
    assert.deepEqual(reported.edit, fixAll.edit);
    assert.deepEqual(reported.applied.map((f) => `${f.rule} ${f.safety}`).sort(), ['secret-missing-assertion safe', 'state-dir-missing-tmpfiles safe', 'state-dir-missing-tmpfiles safe']);
    assert.ok(reported.applied.every((f) => f.file === 'domains/server/containers/paperless/index.nix' && f.line > 0 && f.title.length > 5));
    const fixed = applyLspEdits(text, edits);
    assert.match(fixed, /"d \/opt\/business\/paperless 0755 1000 1000 -"/);
    assert.match(fixed, /assertion = config\.age\.secrets \? "paperless-env";/);
    server.change(uri, [{ text: fixed }]);
    const after = await server.waitDiagnostics(uri, (d) => !codes(d).includes('secret-missing-assertion'));
    assert.deepEqual(codes(after), [], 'every finding of the file was safely fixable');
    assert.equal(await server.request('workspace/executeCommand', { command: 'hwc.server.fixAll', arguments: [{ uri, version: 2 }] }), null, 'nothing left: null');
    await assert.rejects(server.request('workspace/executeCommand', { command: 'hwc.server.fixAll', arguments: [{ uri, version: 1 }] }), /changed/, 'a stale version is refused');

    // Unsafe fixes (bind to loopback) stay out of fix-all unless the setting says otherwise.
    const postgres = open(server, dir, POSTGRES);
    await server.waitDiagnostics(postgres.uri, (d) => codes(d).includes('database-port-exposed'));
    assert.equal(await server.request('workspace/executeCommand', { command: 'hwc.server.fixAll', arguments: [{ uri: postgres.uri, version: 1 }] }), null);
  });
});

test('with hwc.fixAll.includeUnsafe, fix-all binds to loopback too', async () => {
  await withServer(
    async (server, dir) => {
      const { uri, text } = open(server, dir, POSTGRES);
      await server.waitDiagnostics(uri, (d) => codes(d).includes('database-port-exposed'));
      const edit = await server.request('workspace/executeCommand', { command: 'hwc.server.fixAll', arguments: [{ uri, version: 1 }] });
      const fixed = applyLspEdits(text, documentEdit(edit, uri, 1));
      assert.match(fixed, /"127\.0\.0\.1:5432:5432"/);
    },
    { fixAll: { includeUnsafe: true } },
  );
});

test('"Pin image tag…" asks the client, then the server command returns the edit; bad input is refused', async () => {
  await withServer(async (server, dir) => {
    const { uri, text } = open(server, dir, KUMA_OPTIONS);
    const diagnostics = await server.waitDiagnostics(uri, (d) => codes(d).includes('image-latest-tag'));
    const diagnostic = diagnostics.find((d) => d.code === 'image-latest-tag');
    const actions = await quickFixes(server, uri, diagnostic);
    const pin = actions.find((a) => a.title === 'Pin image tag…');
    assert.equal(pin.edit, undefined, 'no edit before the user typed a tag');
    assert.equal(pin.command.command, 'hwc.pinImageTag');
    const [prompt] = pin.command.arguments;
    assert.deepEqual(prompt, { uri, diagnosticRange: diagnostic.range, image: 'louislam/uptime-kuma:latest', suggestion: null });
    await assert.rejects(
      server.request('workspace/executeCommand', { command: 'hwc.server.pinImageTag', arguments: [{ uri, diagnosticRange: diagnostic.range, tag: 'not a tag' }] }),
      /not a valid tag/,
    );
    const edit = await server.request('workspace/executeCommand', { command: 'hwc.server.pinImageTag', arguments: [{ uri, diagnosticRange: diagnostic.range, tag: '1.23.16' }] });
    const edits = documentEdit(edit, uri, 1);
    assert.deepEqual(edits.map((e) => e.newText), ['1.23.16']);
    const fixed = applyLspEdits(text, edits);
    assert.match(fixed, /default = "louislam\/uptime-kuma:1\.23\.16";/);
    server.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
    await server.waitDiagnostics(uri, (d) => !codes(d).includes('image-latest-tag'));
  });
});

test('a fix in another file (the profile import) comes in the same WorkspaceEdit, unversioned when not open', async () => {
  await withServer(async (server, dir) => {
    const { uri } = open(server, dir, REDIS);
    const diagnostics = await server.waitDiagnostics(uri, (d) => codes(d).includes('module-not-enabled'));
    const actions = await quickFixes(server, uri, diagnostics.find((d) => d.code === 'module-not-enabled'));
    const imp = actions.find((a) => a.title.startsWith('Import redis in profiles/server.nix'));
    assert.ok(imp, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    const profile = path.join(dir, 'profiles/server.nix');
    assert.equal(imp.edit.documentChanges.length, 1);
    const edits = documentEdit(imp.edit, fileUri(profile), null);
    fs.writeFileSync(profile, applyLspEdits(fs.readFileSync(profile, 'utf8'), edits));
    server.filesChanged([{ uri: fileUri(profile), type: 2 }]);
    await server.waitDiagnostics(uri, (d) => !codes(d).includes('module-not-enabled'));
  });
});

test('a fix that leaves work to the user carries a command that shows it', async () => {
  await withServer(async (server, dir) => {
    const { uri } = open(server, dir, N8N);
    const diagnostics = await server.waitDiagnostics(uri, (d) => codes(d).includes('hardcoded-secret'));
    const actions = await quickFixes(server, uri, diagnostics.find((d) => d.code === 'hardcoded-secret'));
    const move = actions.find((a) => a.title.startsWith('Move DB_POSTGRESDB_PASSWORD'));
    assert.ok(move.edit && move.command, 'an edit and a follow-up command');
    assert.equal(JSON.stringify(move).includes('n8n-dev-password'), false, 'the secret value is written nowhere');
    await server.request('workspace/executeCommand', move.command);
    const shown = await server.waitFor(() => server.notifications.find((n) => n.method === 'window/showMessage'), 5000, 'showMessage');
    assert.match(shown.params.message, /DB_POSTGRESDB_PASSWORD=<value>.*n8n-env\.age/);
  });
});
