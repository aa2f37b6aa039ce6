// The inventory over the real-world corpus: every value the engine cannot know says why,
// and the share of containers whose image resolves (issue 13 asks for 95%).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { engine, init } from '../fixtures/rules/harness.mjs';

const CORPUS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/real-world');

await init();

function inventories() {
  return fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const workspace = new engine.Workspace(path.join(CORPUS, e.name));
      workspace.loadAll();
      return { pattern: e.name, containers: engine.containerInventory(workspace.index, workspace.config) };
    });
}

const corpus = inventories();
const all = corpus.flatMap(({ pattern, containers }) => containers.map((c) => ({ pattern, ...c })));

/** Whether a workspace declares containers at all (some patterns are about scripts and units only). */
function declaresContainers(pattern) {
  const files = fs.readdirSync(path.join(CORPUS, pattern), { recursive: true }).filter((f) => String(f).endsWith('.nix'));
  return files.some((f) => /oci-containers|mkContainer/.test(fs.readFileSync(path.join(CORPUS, pattern, String(f)), 'utf8')));
}

test('every pattern workspace that declares containers has them found by the engine', () => {
  for (const { pattern, containers } of corpus) if (declaresContainers(pattern)) assert.ok(containers.length > 0, `${pattern}: no container found`);
});

test('every value the engine cannot know says why, in words', () => {
  for (const c of all) {
    for (const field of ['image', 'ports', 'volumes', 'networks', 'environmentFiles', 'dependsOn']) {
      for (const v of c[field]) {
        if (v.value !== null) continue;
        assert.equal(typeof v.unknown, 'string', `${c.pattern}/${c.name} ${field}`);
        assert.ok(v.unknown.length > 10 && !/undefined|\[object/.test(v.unknown), `${c.pattern}/${c.name} ${field}: ${v.unknown}`);
      }
    }
  }
});

test('the image of at least 95% of the corpus containers resolves; the rest say why', (t) => {
  const unresolved = all.filter((c) => !c.image.some((v) => v.value !== null));
  const share = (all.length - unresolved.length) / all.length;
  t.diagnostic(`${all.length - unresolved.length} of ${all.length} images resolved (${(share * 100).toFixed(1)}%)`);
  for (const c of unresolved) t.diagnostic(`unresolved: ${c.pattern}/${c.name} (${c.file}:${c.line}): ${c.image.map((v) => v.unknown).join('; ') || 'no image attribute'}`);
  assert.ok(share >= 0.95, `${(share * 100).toFixed(1)}% of images resolved`);
});
