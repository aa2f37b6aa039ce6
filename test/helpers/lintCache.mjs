// The lint cache (`.hwc-cache/`) that `hwc lint` and a trusted language server write at a
// workspace root. Tests that copy a fixture, or compare a workspace's files before and
// after, leave it out: it is no part of the workspace, and runs of other tests leave one in
// the fixtures (git ignores it).
import fs from 'node:fs';
import path from 'node:path';

export const LINT_CACHE = '.hwc-cache';

/** True for the cache folder at the root and everything in it (a path relative to the root, either separator). */
export function inLintCache(relative) {
  return String(relative).split(/[\\/]/)[0] === LINT_CACHE;
}

/** Copies a fixture to `to` as a workspace: everything but a lint cache. */
export function copyWorkspace(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (p) => path.basename(p) !== LINT_CACHE });
}
