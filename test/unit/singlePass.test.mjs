// `hwc lint` without --fix lints once, on an index that remembers no resolutions between
// passes (server/src/workspace/workspace.ts, `singlePass`): its findings must be exactly
// those of the server's remembering index, also where option defaults come from other files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateWorkspace } from '../../bench/generate.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const engine = await import(path.join(repo, 'out', 'engine.js'));

function findings(root, options) {
  const workspace = new engine.Workspace(root, options);
  workspace.loadAll();
  const all = [...engine.workspaceDiagnostics(workspace, {}).values()].flat();
  return all.map((d) => `${d.src.file}:${d.src.range.start.line}:${d.src.range.start.character} ${d.rule} ${d.severity} ${d.message}`).sort();
}

test('a single-pass lint finds exactly what the remembering index finds', async () => {
  await engine.initParser();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-single-pass-'));
  try {
    for (const root of [path.join(repo, 'examples', 'homelab'), generateWorkspace(60, out).root]) {
      const remembering = findings(root, { editorFacts: false });
      const single = findings(root, { editorFacts: false, singlePass: true });
      assert.ok(remembering.length > 0, `${root} has findings`);
      assert.deepEqual(single, remembering);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
