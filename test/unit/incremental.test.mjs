// The language server lints incrementally: after an edit only what the edit touched is
// checked again (rules/incremental.ts). Whatever the history of edits, the findings must
// be exactly what linting the same files from scratch gives. A seeded series of edits
// (lines deleted, duplicated, swapped, digits and names changed, files and `.age` files
// removed and restored) checks that after every step, on the example homelab and on the
// cross-file fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../../out/engine.js');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function listFiles(dir, ext, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return listFiles(full, ext, base);
    return e.name.endsWith(ext) ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

/** Diagnostics as plain JSON, by file, in a stable order. */
function snapshot(workspace) {
  const byFile = engine.workspaceDiagnostics(workspace);
  return JSON.stringify([...byFile.entries()].filter(([, list]) => list.length > 0).sort(([a], [b]) => a.localeCompare(b)));
}

function mutateText(text, random, words) {
  const lines = text.split('\n');
  const i = Math.floor(random() * lines.length);
  switch (Math.floor(random() * 5)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i]);
      break;
    case 2:
      lines[i] = lines[i].replace(/\d/, (d) => String((Number(d) + 1 + Math.floor(random() * 8)) % 10));
      break;
    case 3: {
      // A name or path segment from elsewhere in the workspace: container names, secrets, dirs.
      const candidates = lines[i].match(/[a-z][a-z0-9-]{2,}/g) ?? [];
      if (candidates.length) lines[i] = lines[i].replace(candidates[Math.floor(random() * candidates.length)], words[Math.floor(random() * words.length)]);
      break;
    }
    default: {
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
  }
  return lines.join('\n');
}

async function editSeries(source, seed, steps) {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-incremental-'));
  try {
    fs.cpSync(source, dir, { recursive: true });
    const nixFiles = listFiles(dir, '.nix');
    const ageFiles = listFiles(dir, '.age');
    const originals = new Map([...nixFiles, ...ageFiles].map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    const words = [...new Set(nixFiles.flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').match(/[a-z][a-z0-9-]{2,}/g) ?? []))];
    const random = rng(seed);
    const live = new engine.Workspace(dir);
    live.loadAll();
    snapshot(live);
    const history = [];
    for (let step = 0; history.length < steps; step++) {
      const roll = random();
      let what;
      if (roll < 0.06 && ageFiles.length) {
        const file = ageFiles[Math.floor(random() * ageFiles.length)];
        const present = fs.existsSync(path.join(dir, file));
        if (present) fs.rmSync(path.join(dir, file));
        else fs.writeFileSync(path.join(dir, file), originals.get(file));
        live.index.setExists(file, !present);
        what = `${present ? 'delete' : 'restore'} ${file}`;
      } else if (roll < 0.12) {
        const file = nixFiles[Math.floor(random() * nixFiles.length)];
        const present = fs.existsSync(path.join(dir, file));
        if (present) {
          fs.rmSync(path.join(dir, file));
          live.remove(file);
        } else {
          fs.writeFileSync(path.join(dir, file), originals.get(file));
          live.loadFile(file);
        }
        what = `${present ? 'delete' : 'restore'} ${file}`;
      } else if (roll < 0.4) {
        // An option default that other files read: a port, a category, an image tag.
        const present = nixFiles.filter((f) => f.endsWith('options.nix') && fs.existsSync(path.join(dir, f)));
        if (present.length === 0) continue;
        const file = present[Math.floor(random() * present.length)];
        const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
        const defaults = lines.flatMap((l, i) => (/default = /.test(l) ? [i] : []));
        if (defaults.length === 0) continue;
        const i = defaults[Math.floor(random() * defaults.length)];
        lines[i] = random() < 0.5 ? lines[i].replace(/\d/, (d) => String((Number(d) + 1) % 10)) : lines[i].replace(/"([a-z]+)/, (_, w) => `"${words[Math.floor(random() * words.length)]}`);
        const text = lines.join('\n');
        fs.writeFileSync(path.join(dir, file), text);
        live.updateText(file, text);
        what = `default in ${file}: ${lines[i].trim()}`;
      } else {
        const present = nixFiles.filter((f) => fs.existsSync(path.join(dir, f)));
        const file = present[Math.floor(random() * present.length)];
        const restore = roll < 0.48;
        const text = restore ? originals.get(file).toString('utf8') : mutateText(fs.readFileSync(path.join(dir, file), 'utf8'), random, words);
        fs.writeFileSync(path.join(dir, file), text);
        // The path the server takes for an open document: summarise the new text in place.
        live.updateText(file, text);
        what = `${restore ? 'restore' : 'edit'} ${file}`;
      }
      history.push(what);
      const fresh = new engine.Workspace(dir);
      fresh.loadAll();
      const got = snapshot(live);
      const want = snapshot(fresh);
      if (got !== want) {
        assert.deepEqual(JSON.parse(got), JSON.parse(want), `step ${step} (seed ${seed}) after: ${history.slice(-5).join('; ')}`);
      }
    }
    return history;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('incremental findings equal a from-scratch lint after every edit of the example homelab', async () => {
  const history = await editSeries(path.join(repo, 'examples', 'homelab'), 20261125, 160);
  assert.equal(history.length, 160);
  assert.ok(history.some((h) => h.startsWith('delete')) && history.some((h) => h.startsWith('edit')));
});

test('incremental findings equal a from-scratch lint after every edit of the cross-file fixture', async () => {
  const history = await editSeries(path.join(repo, 'test', 'fixtures', 'workspace', 'cross-file'), 7, 120);
  assert.equal(history.length, 120);
});

test('typing in one container of a module keeps the other containers as they were', async () => {
  await engine.initParser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-incremental-'));
  try {
    // paperless with gotenberg and tika beside it: three containers in one module.
    fs.cpSync(path.join(repo, 'test', 'fixtures', 'rules', 'state-dir-missing-tmpfiles', 'negative'), dir, { recursive: true });
    const workspace = new engine.Workspace(dir);
    workspace.loadAll();
    const file = 'domains/server/containers/paperless/index.nix';
    assert.equal(workspace.index.get(file).containers.length, 3);
    const before = workspace.index.get(file).containers;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    // Change the first container's image tag only.
    const image = /image = "([^"]+)"/.exec(text);
    const edited = text.replace(image[0], `image = "${image[1]}x"`);
    workspace.updateText(file, edited);
    const after = workspace.index.get(file).containers;
    assert.equal(after.length, before.length);
    const kept = after.filter((c, i) => c === before[i]).length;
    assert.equal(kept, before.length - 1, 'every container but the edited one is the same object');
    assert.notEqual(after[0], before[0]);
    assert.match(after[0].fields.image[0].parts[0], /x$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
