// The benchmark's messy workspace (bench/generate.mjs --messy, issue 18): the same size always
// gives the same files, they are valid Nix, `hwc lint` finds several mistakes in every module
// across many rules (at 2,000 modules ≥ 10,000 findings; here 200 modules and a tenth of
// that), and the two probe ports the LSP benchmark edits conflict after its one-character edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateWorkspace } from '../../bench/generate.mjs';
import { probePortSite } from '../../bench/messy.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');
const MODULES = 200;

function lint(root) {
  const run = spawnSync(process.execPath, [hwcBin, 'lint', '--format', 'json', '--root', root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 1, `hwc lint exits 1 on a workspace with errors: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Every file below root, relative, with its content. */
function tree(root) {
  const files = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(path.relative(root, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return files;
}

test('the messy workspace: deterministic, valid Nix, several findings in every module across many rules, a working cross-file probe', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-messy-'));
  try {
    const first = generateWorkspace(MODULES, path.join(out, 'a'), { messy: true });
    const second = generateWorkspace(MODULES, path.join(out, 'b'), { messy: true });
    assert.equal(path.basename(first.root), `ws-${MODULES}-messy`);
    const a = tree(first.root);
    const b = tree(second.root);
    assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
    for (const [file, text] of a) assert.equal(b.get(file), text, `${file} differs between two generations`);
    // The clean workspace of the same size is another one.
    const clean = generateWorkspace(MODULES, path.join(out, 'a'));
    assert.notEqual(clean.root, first.root);
    assert.notEqual(tree(clean.root).get(first.probePortFiles[0]), a.get(first.probePortFiles[0]));

    // Nix's own parser accepts every file (it also rejects undefined variables and duplicate attributes).
    const parse = spawnSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...first.nixFiles], { cwd: first.root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(parse.status, 0, parse.stderr);

    const findings = lint(first.root);
    const byRule = new Map();
    for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    assert.ok(findings.length >= (10_000 * MODULES) / 2000, `${findings.length} findings`);
    assert.ok(byRule.size >= 10, `findings from ${byRule.size} rules: ${[...byRule.keys()].join(', ')}`);
    for (const rule of ['image-latest-tag', 'hardcoded-secret', 'host-port-conflict', 'state-path-category', 'state-dir-missing-tmpfiles', 'secret-undeclared', 'depends-on-unknown', 'media-mount-writable', 'database-port-exposed', 'port-all-interfaces']) {
      assert.ok(byRule.get(rule) > 0, `no ${rule} finding`);
    }
    // Several mistakes in every module: at least three findings in each module folder.
    const perModule = new Map();
    for (const f of findings) {
      const folder = /^domains\/server\/containers\/([^/]+)\/[^/]+\.nix$/.exec(f.file)?.[1];
      if (folder) perModule.set(folder, (perModule.get(folder) ?? 0) + 1);
    }
    const modules = fs.readdirSync(path.join(first.root, 'domains/server/containers')).filter((d) => d !== 'caddy' && d !== 'monolith');
    assert.equal(modules.length, MODULES);
    for (const m of modules) assert.ok((perModule.get(m) ?? 0) >= 3, `${m}: ${perModule.get(m) ?? 0} findings`);

    // The LSP benchmark's one-character edit makes the two probe modules' ports conflict.
    const [edited, partner] = first.probePortFiles;
    const conflictsIn = (list, file) => list.filter((f) => f.rule === 'host-port-conflict' && f.file === file && /\b3001[01]\b/.test(a.get(file).split('\n')[f.line - 1]));
    assert.equal(conflictsIn(findings, edited).length, 0);
    assert.equal(conflictsIn(findings, partner).length, 0);
    const text = a.get(edited);
    const site = probePortSite(text);
    const lines = text.split('\n');
    lines[site.line] = lines[site.line].slice(0, site.character) + site.to + lines[site.line].slice(site.character + 1);
    fs.writeFileSync(path.join(first.root, edited), lines.join('\n'));
    a.set(edited, lines.join('\n'));
    const after = lint(first.root);
    assert.equal(conflictsIn(after, edited).length, 1);
    assert.equal(conflictsIn(after, partner).length, 1);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
