// Issue 15, items 7 and 11: `hwc lint --fix` is all or nothing. On a copy of the homelab
// example its safe fixes change two files, domains/server/containers/n8n/index.nix and then
// paperless/index.nix; each test attacks the second so that a writer which is not
// transactional would leave the first rewritten.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileUri, startServer } from '../helpers/lspClient.mjs';
import { NOBODY, assertNoTrace, changes, chownTree, cleanup, engine, hwc, picture, scratchWorkspace } from './writeHarness.mjs';

after(cleanup);

const TIMEOUT = { timeout: 90_000 };
/** Handing files to `nobody` and changing owners needs root (CI runs as root). */
const AS_ROOT = { ...TIMEOUT, skip: process.getuid?.() !== 0 && 'needs root to prepare files owned by another user' };
const N8N = 'domains/server/containers/n8n/index.nix';
const PAPERLESS = 'domains/server/containers/paperless/index.nix';

/**
 * A second file with a safe fix: n8n loses its tmpfiles line, so "Create state directory"
 * applies there too (since Mount read-only is unsafe, the example's own safe fixes all sit in paperless).
 */
function withSecondFixableFile(root) {
  const file = path.join(root, N8N);
  const text = fs.readFileSync(file, 'utf8');
  const without = text.replace('      "d /opt/services/n8n 0755 1000 1000 -"\n', '');
  assert.notEqual(without, text, 'n8n/index.nix had its tmpfiles line');
  fs.writeFileSync(file, without);
}

function assertRefused(run, pattern) {
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, pattern);
  assert.match(run.stderr, /nothing was written/);
  assertNoTrace(assert, run.stderr);
  assert.doesNotMatch(run.stdout, /^fixed /m, 'no fix is reported as made');
}

describe('hwc lint --fix refuses, and writes nothing, when one file cannot be replaced', () => {
  test('a read-only file is not rewritten (even by root), and neither is any other', TIMEOUT, () => {
    const { base, root } = scratchWorkspace();
    fs.chmodSync(path.join(root, PAPERLESS), 0o444);
    const before = picture(base);
    const run = hwc(['lint', '--fix'], { cwd: root });
    assertRefused(run, /paperless\/index\.nix is read-only \(mode 0444\)/);
    assert.deepEqual(changes(before, picture(base)), []);
  });

  test('a folder the user may not write to (run as nobody): refused before anything is written', AS_ROOT, () => {
    const { base, root } = scratchWorkspace();
    chownTree(root, NOBODY);
    fs.chownSync(path.dirname(path.join(root, PAPERLESS)), 0, 0);
    fs.chmodSync(path.dirname(path.join(root, PAPERLESS)), 0o755);
    const before = picture(base);
    const run = hwc(['lint', '--fix'], { cwd: root, as: NOBODY });
    assertRefused(run, /paperless\/index\.nix: its folder is not writable \(EACCES\)/);
    assert.deepEqual(changes(before, picture(base)), []);
  });

  test('a file whose owner this user cannot keep (group-writable, owned by root; run as nobody): refused, nothing written', AS_ROOT, () => {
    const { base, root } = scratchWorkspace();
    chownTree(root, NOBODY);
    fs.chownSync(path.join(root, PAPERLESS), 0, NOBODY);
    fs.chmodSync(path.join(root, PAPERLESS), 0o664);
    const before = picture(base);
    const run = hwc(['lint', '--fix'], { cwd: root, as: NOBODY });
    assertRefused(run, /paperless\/index\.nix: cannot keep its owner \(uid 0, gid 65534\)/);
    assert.deepEqual(changes(before, picture(base)), []);
  });
});

describe('hwc lint --fix keeps what the files are', () => {
  test('owner and mode of every rewritten file stay as they were (root fixing files it does not own)', AS_ROOT, () => {
    const { root } = scratchWorkspace();
    withSecondFixableFile(root);
    fs.chownSync(path.join(root, N8N), NOBODY, NOBODY);
    fs.chmodSync(path.join(root, N8N), 0o640);
    fs.chownSync(path.join(root, PAPERLESS), 1000, 1000);
    fs.chmodSync(path.join(root, PAPERLESS), 0o600);
    const texts = [N8N, PAPERLESS].map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
    const run = hwc(['lint', '--fix'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /fixed 4 problems by changing 2 files/);
    assert.doesNotMatch(run.stdout, /Mount .* read-only/, 'an unsafe fix is never applied by --fix');
    for (const [file, uid, mode, text] of [[N8N, NOBODY, 0o640, texts[0]], [PAPERLESS, 1000, 0o600, texts[1]]]) {
      const st = fs.statSync(path.join(root, file));
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [uid, uid, mode], file);
      assert.notEqual(fs.readFileSync(path.join(root, file), 'utf8'), text, `${file} was fixed`);
    }
  });

  test('a symlinked file whose target is inside the root is fixed through the link, which stays a link', TIMEOUT, () => {
    const { root } = scratchWorkspace();
    fs.mkdirSync(path.join(root, 'shared'));
    // Not a .nix name, so the workspace holds the module once (through the link).
    const target = path.join(root, 'shared/paperless-module.txt');
    fs.renameSync(path.join(root, PAPERLESS), target);
    fs.symlinkSync('../../../../shared/paperless-module.txt', path.join(root, PAPERLESS));
    const run = hwc(['lint', '--fix'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^fixed domains\/server\/containers\/paperless\/index\.nix:\d+: Create state directory/m);
    assert.ok(fs.lstatSync(path.join(root, PAPERLESS)).isSymbolicLink(), 'still a link, not a copy');
    assert.equal(fs.readlinkSync(path.join(root, PAPERLESS)), '../../../../shared/paperless-module.txt');
    assert.match(fs.readFileSync(target, 'utf8'), /systemd\.tmpfiles\.rules/);
  });

  test('a symlinked file whose target is outside the root is never written', TIMEOUT, () => {
    const { base, root, outside } = scratchWorkspace();
    const target = path.join(outside, 'paperless-index.nix');
    fs.renameSync(path.join(root, PAPERLESS), target);
    fs.symlinkSync(target, path.join(root, PAPERLESS));
    const outsideBefore = picture(outside);
    const run = hwc(['lint', '--fix'], { cwd: root });
    assertNoTrace(assert, run.stderr);
    assert.deepEqual(changes(outsideBefore, picture(outside)), [], 'the outside file and its folder are untouched');
    assert.equal(fs.readlinkSync(path.join(root, PAPERLESS)), target);
    // The writer itself refuses such a path, whatever found it.
    const text = fs.readFileSync(target, 'utf8');
    assert.throws(
      () => engine.commitFiles(root, [{ path: PAPERLESS, action: 'replace', text: `${text}# planted\n`, before: text }]),
      (error) => error instanceof engine.WriteRefused && /paperless\/index\.nix: its real path .*outside\/paperless-index\.nix is outside the workspace root.*; nothing was written/.test(error.message),
    );
    assert.deepEqual(changes(outsideBefore, picture(outside)), []);
    assert.ok(fs.existsSync(base));
  });
});

describe('a concurrent edit between read and rename', () => {
  test('is detected just before the rename: the edit survives, the file already replaced is restored, nothing else changed', TIMEOUT, async () => {
    const { root } = scratchWorkspace();
    withSecondFixableFile(root);
    const original = new Map([N8N, PAPERLESS].map((f) => [f, fs.readFileSync(path.join(root, f))]));
    const run = await engine.lintPaths(root, [], {});
    const concurrent = '# saved by the editor while hwc lint --fix ran\n';
    let replacedBeforeTheEdit = false;
    const beforeReplace = (file) => {
      if (file !== PAPERLESS) return;
      // By now n8n/index.nix has been replaced: the undo has something to do.
      replacedBeforeTheEdit = !fs.readFileSync(path.join(root, N8N)).equals(original.get(N8N));
      fs.appendFileSync(path.join(root, PAPERLESS), concurrent);
    };
    const before = picture(root);
    assert.throws(
      () => engine.runFixes(run, { dryRun: false, inScope: run.inScope, report: () => undefined, diff: () => undefined, hooks: { beforeReplace } }),
      (error) => error instanceof engine.WriteRefused && /paperless\/index\.nix changed on disk while the changes were being written \(after it was read\); it was left as it is; nothing was written/.test(error.message),
    );
    assert.ok(replacedBeforeTheEdit, 'the race was injected after the first rename');
    assert.ok(fs.readFileSync(path.join(root, N8N)).equals(original.get(N8N)), 'n8n/index.nix is restored byte for byte');
    assert.equal(fs.readFileSync(path.join(root, PAPERLESS), 'utf8'), original.get(PAPERLESS).toString('utf8') + concurrent, 'the concurrent edit is kept');
    // Only the concurrent edit differs: no temp or backup file is left behind.
    assert.deepEqual(changes(before, picture(root)).map((c) => c.split(':')[0]), [PAPERLESS]);
  });
});

describe('the editor\'s fixes (code actions) never write outside the root', () => {
  test('a module symlinked to a file outside: no quick fix and no fix-all edit for it; the same module inside the root gets them', TIMEOUT, async () => {
    const { root, outside } = scratchWorkspace();
    const target = path.join(outside, 'paperless-index.nix');
    fs.copyFileSync(path.join(root, PAPERLESS), target);
    const linked = 'domains/server/containers/paperless/linked.nix';
    fs.symlinkSync(target, path.join(root, linked));
    const server = await startServer(root, { initializationOptions: { trusted: true } });
    try {
      await server.waitReady();
      const actionsFor = async (relative) => {
        const uri = fileUri(path.join(root, relative));
        server.open(path.join(root, relative), fs.readFileSync(path.join(root, relative), 'utf8'));
        const diagnostics = await server.waitDiagnostics(uri, (d) => d.some((x) => x.code === 'state-dir-missing-tmpfiles'), 15_000).catch(() => []);
        const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        const quick = diagnostics.length === 0 ? [] : await server.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics, only: ['quickfix'] } });
        const fixAll = await server.request('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] } });
        return { uri, diagnostics, edits: [...quick, ...fixAll].filter((a) => a.edit) };
      };
      const inside = await actionsFor(PAPERLESS);
      assert.ok(inside.edits.some((a) => a.kind === 'source.fixAll.hwc'), 'the control: the module inside the root gets fix-all');
      const out = await actionsFor(linked);
      assert.ok(out.diagnostics.length > 0, 'the linked module is linted (so fixes for it would exist)');
      const touching = out.edits.filter((a) => a.edit.documentChanges.some((c) => c.textDocument?.uri === out.uri));
      assert.deepEqual(touching.map((a) => a.title), [], 'no action edits the linked file');
    } finally {
      await server.stop();
    }
  });
});
