// The examples on the rule pages (docs/rules/<id>.md) are linted as a user would paste them:
// every Nix block under "## Bad" must draw the page's rule — unless the paragraph before it
// starts with "Not a finding", then it must not — and no block under "## Good" may draw it.
// A block whose first line is a `# path/to/file.nix` comment is linted at that path (module
// rules need their folder); any other block as a host file outside the containers folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, lintWorkspace } from '../fixtures/rules/harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pages = path.join(repo, 'docs/rules');

await init();

/** The ```nix blocks of one `## <heading>` section, each with whether the paragraph before it says "Not a finding". */
function blocks(markdown, heading) {
  const section = markdown.split(new RegExp(`^## ${heading}$`, 'm'))[1]?.split(/^## /m)[0] ?? '';
  const out = [];
  const re = /```nix\n([^]*?)```/g;
  let previousEnd = 0;
  for (const m of section.matchAll(re)) {
    const before = section.slice(previousEnd, m.index).trim().split(/\n\s*\n/).pop() ?? '';
    out.push({ code: m[1], silent: /^Not a finding/.test(before) });
    previousEnd = m.index + m[0].length;
  }
  return out;
}

function lintBlock(code) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-page-'));
  try {
    const named = /^# ([\w./-]+\.nix)\n/.exec(code);
    const file = named ? named[1] : 'hosts/server/example.nix';
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), code);
    return lintWorkspace(dir).findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rules whose examples are parts of a workspace (another file must exist or be missing: the
 * options file, the profile, the secrets index, the `.age` file), so one block alone cannot
 * show them; their fixtures in test/fixtures/rules/<id>/ lint the whole picture instead.
 */
const WORKSPACE_EXAMPLES = new Set(['module-missing-options', 'module-not-enabled', 'namespace-mismatch', 'secret-file-missing', 'secret-undeclared']);
/** Rules whose Bad example is abbreviated on the page (a 20,000-step select chain); test/security/pathological-files.test.mjs builds the real thing. */
const ABBREVIATED_EXAMPLES = new Set(['file-not-analysed']);
/** Rules that need a registry's answer; test/unit/registry.test.mjs lints against a real one. */
const REGISTRY_EXAMPLES = new Set(['image-outdated']);

const rules = fs
  .readdirSync(pages)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => f.slice(0, -3))
  .filter((id) => !WORKSPACE_EXAMPLES.has(id) && !ABBREVIATED_EXAMPLES.has(id) && !REGISTRY_EXAMPLES.has(id));

for (const id of rules) {
  const markdown = fs.readFileSync(path.join(pages, `${id}.md`), 'utf8');
  const bad = blocks(markdown, 'Bad');
  const good = blocks(markdown, 'Good');
  if (bad.length === 0 && good.length === 0) continue;
  test(`docs/rules/${id}.md: the Bad examples draw ${id}, the Good ones do not`, () => {
    bad.forEach(({ code, silent }, i) => {
      const hits = lintBlock(code).filter((f) => f.rule === id);
      if (silent) assert.equal(hits.length, 0, `Bad block ${i + 1} is marked "Not a finding" but draws: ${hits.map((f) => f.message).join('; ')}`);
      else assert.ok(hits.length > 0, `Bad block ${i + 1} draws no ${id}:\n${code}`);
    });
    good.forEach(({ code }, i) => {
      const hits = lintBlock(code).filter((f) => f.rule === id);
      assert.equal(hits.length, 0, `Good block ${i + 1} draws ${id}: ${hits.map((f) => f.message).join('; ')}`);
    });
  });
}
