// Typing in an open document: the server keeps the document's tree copied out between edits
// and copies again only what an edit changed (parse/flatSplice.ts), re-summarises, and lints
// incrementally. After any series of edits, what it has published must be what a server
// started afresh on the same text publishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../helpers/lspClient.mjs';
import { nextEdit } from '../helpers/typing.mjs';
import { generateWorkspace, prng } from '../../bench/generate.mjs';

/** Every file's non-empty diagnostics as published, in a stable order. */
function published(server) {
  return [...server.diagnostics.entries()]
    .filter(([, d]) => d.diagnostics.length > 0)
    .map(([uri, d]) => [uri, d.diagnostics.map((x) => JSON.stringify(x)).sort()])
    .sort(([a], [b]) => a.localeCompare(b));
}

const statuses = (server) => server.notifications.filter((n) => n.method === 'hwc/status').length;

test('after seeded edits of the 2,000-line module (broken and repaired on the way), the server publishes what a fresh server publishes', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-edit-splice-'));
  const ws = generateWorkspace(30, out);
  const file = path.join(ws.root, ws.monolith);
  let text = fs.readFileSync(file, 'utf8');
  const server = await startServer(ws.root);
  try {
    await server.waitReady(60_000);
    const opened = statuses(server);
    const uri = server.open(file, text);
    await server.waitFor(() => statuses(server) > opened, 30_000, 'the lint pass after opening');
    const random = prng(1818);
    const undo = [];
    let edits = 0;
    for (const checkpoint of [40, 80, 120]) {
      for (; edits < checkpoint; edits++) {
        const next = nextEdit(text, random, undo);
        text = next.text;
        // One edit per lint pass (a burst would be parsed once, from scratch).
        const before = statuses(server);
        server.change(uri, [next.change]);
        await server.waitFor(() => statuses(server) > before, 30_000, 'the lint pass after an edit');
      }
      const fresh = await startServer(ws.root);
      try {
        fresh.open(file, text);
        await fresh.waitReady(60_000);
        // The pass that follows ready may still be publishing.
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.deepEqual(published(server), published(fresh), `after ${checkpoint} edits`);
      } finally {
        await fresh.stop();
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
