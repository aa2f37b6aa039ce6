// Shared by the editor-feature LSP tests: the homelab example, positions by text, and
// documents opened with an edit (in memory only: the files on disk stay untouched).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileUri } from './lspClient.mjs';

export const HOMELAB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'homelab');

/** A fresh temporary copy of the homelab example, for tests that change files on disk. */
export function copyHomelab(prefix = 'hwc-homelab-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(HOMELAB, dir, { recursive: true });
  return dir;
}

export function read(relative) {
  return fs.readFileSync(path.join(HOMELAB, relative), 'utf8');
}

export function uriOf(relative) {
  return fileUri(path.join(HOMELAB, relative));
}

/** The position of `needle` (its `nth` occurrence) in text, `delta` characters into it. */
export function positionOf(text, needle, delta = 0, nth = 0) {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Replaces `from` with `to` in a file's text; `|` in `to` marks the cursor. */
export function edited(relative, from, to) {
  const original = read(relative);
  if (!original.includes(from)) throw new Error(`${relative} has no ${from}`);
  const marked = original.replace(from, to);
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

/** Opens `relative` with `text`, runs fn(uri), closes it again. */
export async function withDocument(server, relative, text, fn) {
  const uri = server.open(path.join(HOMELAB, relative), text);
  try {
    return await fn(uri);
  } finally {
    server.close(uri);
  }
}

/** The path of a file URI relative to the example. */
export function relativeOf(uri) {
  return path.relative(HOMELAB, fileURLToPath(uri)).split(path.sep).join('/');
}
