// The language server's scan (lsp/scan.ts) asks a summary source first for every file (the
// hook a lint cache plugs into): by the file alone (a stat standing in for its text), then
// with its text: what the source gives is indexed as given, what it declines (or fails on)
// is parsed, and the findings are those of a plain load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOMELAB = path.join(repo, 'examples', 'homelab');

function findings(workspace) {
  return [...engine.workspaceDiagnostics(workspace)].flatMap(([file, list]) => list.map((d) => `${file}:${d.src.range.start.line}:${d.src.range.start.character}:${d.rule}:${d.message}`)).sort();
}

test('a scan indexes what the summary source gives, parses what it declines or fails on, and finds what a plain load finds', async () => {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-scan-source-'));
  fs.cpSync(HOMELAB, dir, { recursive: true });
  try {
    const plain = new engine.Workspace(dir);
    plain.loadAll();
    plain.applyDiscovery();
    const expected = findings(plain);
    assert.ok(expected.length >= 8, 'the example has findings');

    // A "cache" filled by an earlier run: summaries by file, valid for the text they were made from.
    const earlier = new engine.Workspace(dir);
    const files = earlier.discoverFiles();
    const cached = new Map(files.map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return [file, { text, summary: earlier.summariseText(file, text) }];
    }));
    // Since then one module changed on disk: its cached summary no longer matches its text.
    const changed = files.find((f) => f.endsWith('/index.nix') && f.includes('/containers/'));
    fs.appendFileSync(path.join(dir, changed), '# reviewed\n');
    const failing = files.find((f) => f.endsWith('options.nix'));

    // The options files are known unchanged by their stat: the source gives them without their text.
    const unchangedByStat = new Set(files.filter((f) => f.endsWith('options.nix') && f !== failing));
    assert.ok(unchangedByStat.size >= 2, 'the example has several options files');
    const askedFirst = [];
    const asked = [];
    const given = new Map();
    const source = {
      unchanged(file) {
        askedFirst.push(file);
        if (!unchangedByStat.has(file)) return undefined;
        given.set(file, cached.get(file).summary);
        return { summary: cached.get(file).summary, hash: `hash of ${file}` };
      },
      ofText(file, text) {
        asked.push(file);
        if (file === failing) throw new Error('corrupt cache entry');
        const entry = cached.get(file);
        if (!entry || entry.text !== text) return undefined;
        given.set(file, entry.summary);
        return { summary: entry.summary, hash: `hash of ${file}` };
      },
    };
    const scanned = new engine.Workspace(dir);
    const scan = new engine.WorkspaceScan(scanned, { openFiles: () => new Set(), summarySource: source, hashTexts: true });
    assert.equal(await scan.run(), true);
    scanned.applyDiscovery();

    assert.deepEqual(askedFirst.sort(), [...files].sort(), 'the source is asked about every file first');
    assert.deepEqual(asked.sort(), files.filter((f) => !unchangedByStat.has(f)).sort(), 'then with its text on disk about every file it did not know unchanged');
    assert.ok(!given.has(changed) && !given.has(failing), 'a changed file and a failing entry are not taken from the source');
    assert.equal(given.size, files.length - 2);
    for (const [file, summary] of given) assert.equal(scanned.index.get(file), summary, `${file} is indexed as the source gave it`);
    assert.ok(scanned.index.get(changed) && scanned.index.get(changed) !== cached.get(changed).summary, 'the changed file is parsed again');
    assert.deepEqual(findings(scanned), expected);
    // What the scan hands the cache: every file with a hash, those from the source marked as such.
    const handed = new Map(scan.summarised.map((s) => [s.file, s]));
    for (const file of given.keys()) assert.deepEqual([handed.get(file)?.hash, handed.get(file)?.cached], [`hash of ${file}`, true], file);
    assert.equal(handed.get(changed)?.cached, undefined);
    assert.match(handed.get(changed)?.hash ?? '', /^[A-Za-z0-9+/]{27}=$/, 'a parsed file comes with the content hash of its text');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled scan indexes nothing', async () => {
  await engine.initParser();
  const workspace = new engine.Workspace(HOMELAB);
  const scan = new engine.WorkspaceScan(workspace, { openFiles: () => new Set(), progress: () => scan.cancel() });
  assert.equal(await scan.run(), false);
  assert.equal(workspace.index.size, 0);
});
