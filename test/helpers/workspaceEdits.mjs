// A WorkspaceEdit applied to the disk the way an editor applies it (in order: text edits on
// the files as they are, renames, deletions — a folder only once empty), and a whole tree's
// bytes to compare before and after. Shared by the refactor LSP tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../fixtures/fixes/harness.mjs';
import { inLintCache } from './lintCache.mjs';

function offsetOf(text, position) {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
  return offset + position.character;
}

export function applyWorkspaceEdit(edit) {
  for (const change of edit.documentChanges) {
    if (change.kind === 'rename') {
      const from = fileURLToPath(change.oldUri);
      const to = fileURLToPath(change.newUri);
      assert.ok(!fs.existsSync(to), `${to} is free`);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
      continue;
    }
    if (change.kind === 'delete') {
      const target = fileURLToPath(change.uri);
      if (fs.statSync(target).isDirectory()) fs.rmdirSync(target);
      else fs.unlinkSync(target);
      continue;
    }
    assert.equal(change.kind, undefined, 'only text edits, renames and deletions');
    const file = fileURLToPath(change.textDocument.uri);
    let text = fs.readFileSync(file, 'utf8');
    const edits = change.edits.map((e) => ({ start: offsetOf(text, e.range.start), end: offsetOf(text, e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
    for (const e of edits) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    fs.writeFileSync(file, text);
  }
}

/**
 * Every file under dir with its bytes (base64), by relative path; not the lint cache
 * (`.hwc-cache/`), which `hwc lint` writes and which is no part of the workspace.
 */
export function snapshot(dir) {
  const files = listFiles(dir).filter((f) => !inLintCache(f));
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}
