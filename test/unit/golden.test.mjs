// `hwc lint --format json` over examples/homelab must print exactly test/golden/homelab.json,
// and that file must hold exactly the findings examples/homelab/MISTAKES.md lists (the
// deliberate mistakes and the expected infos), none of the suppressed ones.
// Regenerate after an intended change: UPDATE_GOLDEN=1 node --test test/unit/golden.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const homelab = path.join(root, 'examples/homelab');
const goldenFile = path.join(root, 'test/golden/homelab.json');

function lintJson() {
  try {
    return execFileSync(process.execPath, [path.join(root, 'bin/hwc'), 'lint', '--format', 'json', '--root', homelab], { encoding: 'utf8' });
  } catch (error) {
    // Exit code 1: there are errors among the findings, as there should be.
    if (error.status === 1) return error.stdout;
    throw error;
  }
}

/** The rows of the markdown table under a `## heading` of MISTAKES.md. */
function tableRows(markdown, heading) {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(heading));
  assert.ok(section, `MISTAKES.md has a section "${heading}"`);
  const rows = section.split('\n').filter((l) => l.startsWith('|')).slice(2);
  return rows.map((row) => row.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
}

/** (file, line, rule, severity) keys MISTAKES.md promises; "15 and 16" is two findings. */
function promised() {
  const markdown = fs.readFileSync(path.join(homelab, 'MISTAKES.md'), 'utf8');
  const keys = [];
  const add = (file, lines, rule, severity) => {
    for (const line of lines.split(/\s*(?:and|,)\s*/)) keys.push(`${file}:${Number(line)} ${rule} ${severity}`);
  };
  for (const [, file, lines, rule, severity] of tableRows(markdown, 'Findings that must appear')) add(file, lines, rule, severity);
  for (const [file, lines, rule, severity] of tableRows(markdown, 'Expected informational findings')) add(file, lines, rule, severity);
  const suppressed = tableRows(markdown, 'Findings that must be suppressed').map(([file, line, rule]) => `${file}:${Number(line)} ${rule}`);
  return { keys: keys.sort(), suppressed };
}

const output = lintJson();

test('hwc lint --format json on examples/homelab matches test/golden/homelab.json', () => {
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(goldenFile, output);
  assert.equal(output, fs.readFileSync(goldenFile, 'utf8'), 'regenerate with UPDATE_GOLDEN=1 if the change is intended');
});

test('the golden findings are exactly the ones MISTAKES.md lists', () => {
  const findings = JSON.parse(fs.readFileSync(goldenFile, 'utf8'));
  const { keys, suppressed } = promised();
  assert.equal(keys.length, 11, 'MISTAKES.md: "a clean run … prints exactly 11 diagnostics"');
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.severity}`).sort(), keys);
  for (const key of suppressed) assert.ok(!findings.some((f) => `${f.file}:${f.line} ${f.rule}` === key), `${key} is suppressed`);
  assert.ok(!findings.some((f) => f.rule === 'suppression-unused'), 'neither suppression is unused');
});

test('mistake 1: the latest tag sits on the literal in options.nix, related at `image = cfg.image;`', async () => {
  const engine = createRequire(import.meta.url)('../../out/engine.js');
  await engine.initParser();
  const workspace = new engine.Workspace(homelab);
  workspace.loadAll();
  const all = [...engine.workspaceDiagnostics(workspace).values()].flat();
  const latest = all.find((d) => d.rule === 'image-latest-tag');
  assert.equal(latest.src.file, 'domains/server/containers/uptime-kuma/options.nix');
  assert.deepEqual(latest.src.range.start, { line: 5, character: 16 });
  assert.deepEqual(
    latest.related.map((r) => [r.src.file, r.src.range.start.line + 1]),
    [['domains/server/containers/uptime-kuma/index.nix', 9]],
  );
});
