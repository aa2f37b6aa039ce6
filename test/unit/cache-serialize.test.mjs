// The lint cache's encoding (server/src/cache/serialize.ts) over real summaries: every file
// of the example and of the real-world corpus, summarised as the CLI and as the editor do,
// comes back deep-equal (same prototypes for Srcs, same Maps/Sets, shared objects shared),
// and the language server's entry points find a summary again by its text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = createRequire(import.meta.url)(path.join(repo, 'out', 'engine.js'));
await engine.initParser();

const CORPUS = path.join(repo, 'test/fixtures/real-world');
const roots = [path.join(repo, 'examples/homelab'), ...fs.readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(CORPUS, e.name))];

for (const editorFacts of [false, true]) {
  test(`every summary of the example and the real-world corpus survives the cache's encoding (${editorFacts ? 'editor' : 'CLI'} summaries)`, () => {
    let files = 0;
    let containers = 0;
    for (const root of roots) {
      const workspace = new engine.Workspace(root, { editorFacts });
      workspace.loadAll();
      workspace.applyDiscovery();
      for (const summary of workspace.index.files()) {
        const back = engine.decodeText(engine.encodeToText(summary));
        assert.deepStrictEqual(back, summary, `${path.basename(root)}/${summary.file}`);
        files++;
        containers += summary.containers.length;
      }
    }
    // The corpus is what it claims to be: many files, many containers.
    assert.ok(files > 150 && containers > 100, `${files} files, ${containers} containers`);
  });
}

test('a linted workspace\'s findings survive the encoding, with their related sites', () => {
  const workspace = new engine.Workspace(path.join(repo, 'examples/homelab'), { editorFacts: false });
  workspace.loadAll();
  workspace.applyDiscovery();
  const findings = [...engine.workspaceDiagnostics(workspace).values()].flat();
  assert.ok(findings.some((f) => f.related?.length), 'the example has findings with related sites');
  assert.deepStrictEqual(engine.decodeText(engine.encodeToText(findings)), findings);
});

test('the encoding keeps Maps, Sets, typed arrays, odd numbers and shared or cyclic objects; refuses functions and unknown classes', () => {
  const shared = { name: 'jellyfin', ports: [8096] };
  const cyclic = { name: 'loop' };
  cyclic.self = cyclic;
  const value = {
    byName: new Map([['jellyfin', shared], ['alias', shared]]),
    names: new Set(['a', 'b']),
    offsets: new Uint32Array([1, 2, 70000]),
    odd: [NaN, -0, Infinity, -Infinity, undefined, null, 0.5],
    cyclic,
    bare: Object.assign(Object.create(null), { k: 1 }),
  };
  const back = engine.decodeText(engine.encodeToText(value));
  assert.deepStrictEqual(back, value);
  assert.equal(back.byName.get('jellyfin'), back.byName.get('alias'), 'one object referenced twice stays one object');
  assert.equal(back.cyclic.self, back.cyclic);
  assert.ok(Object.is(back.odd[1], -0));
  assert.throws(() => engine.encode({ f: () => 1 }), engine.NotSerializable);
  assert.throws(() => engine.encode({ d: new Date() }), engine.NotSerializable);
});

test('text that is not an encoding is refused, never half-decoded', () => {
  const good = engine.encodeToText({ containers: [{ name: 'x' }] });
  for (const bad of ['', 'garbage', '{"shapes":[],"value":[99]}', '{"shapes":[["a"]],"value":[1,5,1]}', '{"shapes":[["a"]],"value":[1,0]}', '{"shapes":[],"value":[5,0]}', good.slice(0, good.length - 3), '{"shapes":[],"value":[7,"Function",1]}']) {
    assert.throws(() => engine.decodeText(bad), /./, JSON.stringify(bad));
  }
});

test('the language server can start from cached summaries: found by text and config, missed after any change', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-cache-api-'));
  fs.cpSync(path.join(repo, 'examples/homelab'), root, { recursive: true });
  try {
    const workspace = new engine.Workspace(root);
    workspace.loadAll();
    const entries = [...workspace.index.files()].map((summary) => ({ file: summary.file, text: workspace.readText(summary.file), summary }));
    engine.storeSummaries(root, entries, workspace.config);
    assert.ok(fs.existsSync(path.join(root, '.hwc-cache', '.gitignore')));
    const file = entries.find((e) => e.summary.containers.length > 0);
    assert.deepStrictEqual(engine.summaryFromCache(root, file.file, file.text, workspace.config), file.summary);
    // A new process (the next editor start) reads it from .hwc-cache/.
    const script = `const e = require(${JSON.stringify(path.join(repo, 'out/engine.js'))});
      const [root, file, config] = process.argv.slice(1);
      const text = require('fs').readFileSync(require('path').join(root, file), 'utf8');
      process.stdout.write(JSON.stringify(e.summaryFromCache(root, file, text, JSON.parse(config)) ?? null));`;
    const child = spawnSync(process.execPath, ['-e', script, root, file.file, JSON.stringify(workspace.config)], { encoding: 'utf8' });
    assert.equal(child.stderr, '');
    assert.equal(child.stdout, JSON.stringify(file.summary));
    assert.equal(engine.summaryFromCache(root, file.file, `${file.text}\n# edited\n`, workspace.config), undefined, 'another text is another key');
    assert.equal(engine.summaryFromCache(root, file.file, file.text, { ...workspace.config, namespace: 'other.ns' }), undefined, 'another config is another key');
    assert.equal(engine.summaryFromCache(root, file.file, file.text, workspace.config, { editorFacts: false }), undefined, 'the CLI\'s summaries are kept apart');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
