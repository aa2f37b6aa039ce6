// Scenarios that need a feature other engineers are still building are marked `todo`
// until that feature's source file is in git; their bodies do not run then (a body that
// waits for a missing feature only burns its timeouts). Once the file is committed the
// scenario runs and counts. E2E_RUN_TODO=1 runs the bodies anyway (still as todo), to
// try a scenario against work in progress.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

function tracked(relPath) {
  if (!fs.existsSync(path.join(ROOT, relPath))) return false;
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', relPath], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch (e) {
    // No git (an exported tree): the file being there is all we can know.
    return e.code === 'ENOENT' || !fs.existsSync(path.join(ROOT, '.git'));
  }
}

/** false when every path is committed, else a reason for `{ todo }` naming what is missing. */
export function pending(paths, what) {
  const missing = [].concat(paths).filter((p) => !tracked(p));
  return missing.length === 0 ? false : `waits for ${what} (${missing.join(', ')} not in git yet)`;
}

/** True when a todo scenario's body should be skipped (its feature is pending). */
export function skipBody(reason) {
  return Boolean(reason) && process.env.E2E_RUN_TODO !== '1';
}

/** The features the scenarios wait for, by scenario id (false once landed). */
export const FEATURE_TODO = {
  hover: pending('server/src/features/hover.ts', 'hover'),
  completion: pending('server/src/features/completion.ts', 'completion'),
  codeActions: pending('server/src/features/codeActions.ts', 'the quick-fix feature'),
  containers: pending('server/src/features/containers.ts', 'the hwc/containers request'),
  newContainer: pending('client/src/newContainer', 'the New Container wizard'),
};

/**
 * Scenarios that fail because of a reported bug: they still run (todo), so a fix shows as
 * "todo-passed" and the entry can go. Remove an entry once its bug is fixed.
 */
export const KNOWN_BUGS = {
  'open-during-indexing': 'bug: a document pulled (textDocument/diagnostic) while the server is still indexing keeps '
    + 'its partial-index findings (e.g. module-missing-options) until edited: the server sends no '
    + 'workspace/diagnostic/refresh after indexing (server/src/features/diagnostics.ts)',
  'disk-change': 'bug: an open document keeps its diagnostics when another file changes on disk '
    + '(a deleted .age: the server counts secret-file-missing within a second, the editor never shows it): '
    + 'the server sends no workspace/diagnostic/refresh after lint passes (server/src/features/diagnostics.ts)',
};

/** For HWC_API_TODO (test/electron/suite): { id: { reason, run } } for pending features and known bugs. */
export function apiTodo() {
  const todo = {};
  for (const [id, reason] of Object.entries(FEATURE_TODO)) if (reason) todo[id] = { reason, run: false };
  for (const [id, reason] of Object.entries(KNOWN_BUGS)) todo[id] = { reason, run: true };
  return todo;
}
