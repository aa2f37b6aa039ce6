// HWC: Import Docker Compose File… in real VS Code (code-server 4.100.3, the packaged .vsix):
// the command palette, VS Code's own file dialog, the refactoring preview listing every file,
// Apply (the files created, the first module open with its secret mounts); then one Ctrl+Z that
// removes every file and folder the import made and reverts every edit. What the files hold
// (armored age that decrypts to the compose values, no plaintext, lint-clean, valid Nix) is
// checked on the same WorkspaceEdit by test/unit/compose-import-lsp.test.mjs. Not here: saving
// before the undo (VS Code then does not undo the file creations; seen once, not investigated)
// and importing again after the undo (the server keeps the containers of files deleted
// outside the editor: the known bug of pending.mjs).
// The preview's screenshot is the README's (docs/images/import-compose.png, copied by hand
// from test-output/e2e/screenshots/compose-1-preview.png).
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, readNotifications, runCommand, screenshot, startSession, waitFor } from './harness.mjs';
import { QUICK_INPUT_BOX, quickInputState, runScenario, statusBarItemText, waitForQuickInput } from './vscodeUi.mjs';
import { inLintCache } from '../helpers/lintCache.mjs';

const VSIX = path.join(ROOT, 'hwc-orchestrator.vsix');
const WORKSPACE = path.join(ROOT, 'test/fixtures/compose/workspace');
const COMPOSE = path.join(ROOT, 'test/fixtures/compose/secrets-wordpress');
const SECRET_VALUES = ['Tr0ub4dor&3-wp-db', 'r00t-Gz8#qLm2@vX9', 'm9#Lq2!vT7@xZ4%k'];
/** What the import writes: the three modules and four .age files (and edits of the profile and the secrets index). */
const MODULES = ['db', 'wordpress', 'backup'];
const AGE_FILES = ['db-root-password', 'db-password', 'wordpress-db-password', 'wordpress-wp-salts'].map((n) => `domains/secrets/parts/server/${n}.age`);

const noVsix = !fs.existsSync(VSIX) && 'hwc-orchestrator.vsix missing: run `npm run package` (npm run test:e2e does)';

/** Every file below `dir` (relative), with its bytes; not the lint cache the server writes (`.hwc-cache/`). */
async function tree(dir) {
  const out = new Map();
  for (const rel of await fsp.readdir(dir, { recursive: true })) {
    if (inLintCache(rel)) continue;
    const file = path.join(dir, rel);
    if ((await fsp.stat(file)).isFile()) out.set(rel, await fsp.readFile(file));
  }
  return out;
}

/**
 * Ticks every file row of the refactoring preview with the keyboard (Space toggles the focused
 * change, and a file's toggle covers its edits), collapsing each so the next file follows.
 * Returns how many files were ticked.
 */
async function tickEveryFile(page) {
  await page.click('.bulk-edit-panel .monaco-list-row[data-index="0"] .monaco-icon-label');
  let ticked = 0;
  let last = -1;
  for (let step = 0; step < 200; step++) {
    const row = await page.$eval('.bulk-edit-panel .monaco-list-row.focused', (r) => {
      const box = r.querySelector('.monaco-custom-toggle, input[type=checkbox]');
      const checked = !!box && (box.classList.contains('checked') || box.checked === true || box.getAttribute('aria-checked') === 'true');
      return { index: Number(r.getAttribute('data-index')), level: Number(r.getAttribute('aria-level')), expanded: r.getAttribute('aria-expanded') === 'true', checked };
    });
    if (row.index === last) break;
    last = row.index;
    if (row.level === 1) {
      if (!row.checked) {
        await page.keyboard.press('Space');
        ticked++;
      }
      if (row.expanded) await page.keyboard.press('ArrowLeft');
    }
    await page.keyboard.press('ArrowDown');
  }
  return ticked;
}

describe('VS Code (code-server): HWC: Import Docker Compose File…', { skip: noVsix }, () => {
  let s;
  let base;
  let root;
  let composeFile;
  let original;

  before(async () => {
    // The flake to import into (with an age recipient, so secrets are encrypted) and the
    // compose project beside it, outside the workspace, as a downloaded project would be.
    base = await fsp.mkdtemp(path.join(os.tmpdir(), 'hwc-e2e-compose-'));
    root = path.join(base, 'flake');
    await fsp.cp(WORKSPACE, root, { recursive: true });
    execFileSync('age-keygen', ['-o', path.join(base, 'key.txt')], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', path.join(base, 'key.txt')], { encoding: 'utf8' }).trim();
    await fsp.writeFile(path.join(root, '.hwc-lint.json'), `${JSON.stringify({ ageRecipients: [recipient] }, null, 2)}\n`);
    await fsp.cp(COMPOSE, path.join(base, 'blog'), { recursive: true });
    await fsp.rm(path.join(base, 'blog', 'expected'), { recursive: true });
    composeFile = path.join(base, 'blog', 'compose.yaml');
    original = await tree(root);
    s = await startSession({ name: 'compose', folder: root, vsix: VSIX, settings: { 'editor.stickyScroll.enabled': false } });
  }, { timeout: 120_000 });

  after(async () => {
    await s?.dispose();
    if (base) await fsp.rm(base, { recursive: true, force: true });
  });

  const scenario = (name, body) => runScenario(s, name, body);

  /** Runs the command through the file dialog and the preview, ticks every file, applies; returns the preview's rows. */
  async function importThroughPreview(page, screenshotName) {
    // The command needs the language server: wait for the status bar to say it is ready.
    await waitFor(async () => /ready/.test((await statusBarItemText(page, 'hwc.hwc-orchestrator.hwc.status')) ?? ''), { timeout: 60_000, message: 'HWC: ready in the status bar' });
    await runCommand(page, 'HWC: Import Docker Compose File…', { timeout: 30_000 });
    // VS Code's own dialog (the simple file dialog in a browser): type the path, press Enter.
    await waitForQuickInput(page, (q) => /Import Docker Compose File/.test(q.title), { timeout: 30_000, message: 'the file dialog' });
    await page.fill(QUICK_INPUT_BOX, composeFile);
    await waitFor(async () => {
      const state = await quickInputState(page);
      if (!state) return true;
      if (state.value === composeFile) await page.keyboard.press('Enter');
      return false;
    }, { timeout: 15_000, message: 'the dialog accepting the compose file' });

    // The refactoring preview: every change needs confirmation, so nothing is written yet.
    const panel = await page.waitForSelector('.bulk-edit-panel', { state: 'visible', timeout: 60_000 });
    const rows = await waitFor(async () => {
      const labels = await panel.$$eval('.monaco-list-row', (rs) => rs.map((r) => r.textContent.replace(/\s+/g, ' ').trim()));
      return labels.length >= 3 && labels;
    }, { timeout: 20_000, message: 'rows in the refactoring preview' });
    assert.ok(!fs.existsSync(path.join(root, 'domains/server/containers/db')), 'nothing is written before Apply');
    // Changes that need confirmation start unticked: the user ticks each file, as they would after reading it.
    const ticked = await tickEveryFile(page);
    assert.ok(ticked >= 10, `${ticked} files ticked`);
    if (screenshotName) await screenshot(page, screenshotName);
    await page.click('.bulk-edit-panel .monaco-button:has-text("Apply")');
    await waitFor(() => MODULES.every((m) => fs.existsSync(path.join(root, `domains/server/containers/${m}/index.nix`))), { timeout: 30_000, message: 'the module files created' });
    // The command ends by opening the first module and saying what it did; wait for that, so the next step's focus is not taken from it.
    await waitFor(async () => (await readNotifications(page)).some((t) => /imported 3 services/.test(t)), { timeout: 30_000, message: 'the "imported 3 services" message' });
    return rows;
  }

  test('1. the file dialog, then every file in the refactoring preview; Apply creates them', { timeout: 180_000 }, () => scenario('compose-1-import', async (page) => {
    const rows = await importThroughPreview(page, 'compose-1-preview');
    assert.ok(rows.some((r) => /(creating)/.test(r)), `the preview lists the files to create: ${rows.join(' | ')}`);
    for (const file of [...AGE_FILES, ...MODULES.map((m) => `domains/server/containers/${m}/options.nix`)]) assert.ok(fs.existsSync(path.join(root, file)), `${file} created`);
    // The command opened the first module: its text is the generated one, with the secrets mounted from agenix.
    const lines = await waitFor(async () => {
      const shown = await page.$$eval('.editor-instance .monaco-editor .view-line', (ls) => ls.map((l) => l.textContent.replace(/\u00a0/g, ' ')));
      return shown.some((l) => l.includes('config.age.secrets."db-password".path}:/run/secrets/db_password:ro')) && shown;
    }, { timeout: 20_000, message: 'db/index.nix open with its secret mounts' });
    assert.ok(lines.some((l) => /image = cfg\.image;/.test(l)), lines.join('\n'));
    for (const [rel, bytes] of await tree(root)) for (const value of SECRET_VALUES) assert.ok(!bytes.toString('utf8').includes(value), `${rel} holds no plaintext secret`);
    await screenshot(page, 'compose-1-applied');
  }));

  test('2. one undo removes every file and folder the import made and reverts every edit', { timeout: 120_000 }, () => scenario('compose-2-undo', async (page) => {
    // The import left a module's index.nix open and focused: Ctrl+Z undoes the whole workspace edit, after VS Code asks.
    await page.click('.editor-instance .monaco-editor .view-lines');
    await page.keyboard.press('Control+Z');
    const button = await waitFor(async () => {
      for (const b of await page.$$('.monaco-dialog-box .monaco-button')) if (/^Undo in \d+ Files$/.test((await b.innerText()).trim())) return b;
      return null;
    }, { timeout: 10_000, message: 'an undo dialog' }).catch(() => null);
    if (button) await button.click();
    await waitFor(() => MODULES.every((m) => !fs.existsSync(path.join(root, 'domains/server/containers', m))), { timeout: 30_000, message: 'the module folders removed by the undo' });
    await runCommand(page, 'File: Save All Files', { timeout: 30_000 });
    await waitFor(async () => {
      const now = await tree(root);
      return now.size === original.size && [...original].every(([rel, bytes]) => now.get(rel)?.equals(bytes));
    }, { timeout: 30_000, message: 'every file the import made or edited back as it was' });
    for (const file of AGE_FILES) assert.ok(!fs.existsSync(path.join(root, file)), `${file} is gone`);
    await screenshot(page, 'compose-2-undone');
  }));

});
