// The packaged extension (hwc-orchestrator.vsix) in real VS Code — code-server 4.100.3
// driven through Debian's Chromium — on a temp copy of examples/homelab. Every check
// goes through the UI a user sees: the status bar, the Problems panel, the hover, the
// light bulb menu, suggestions, the HWC Containers view and the New Container wizard;
// the files on disk are checked from here.
//
// One code-server session serves the scenarios in order (starting one costs ~10 s on
// this machine); each scenario closes what it opened and saves a screenshot, and on
// failure the extension host logs (test-output/e2e/failures/<scenario>/).
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  ROOT, startSession, openFile, openProblemsPanel, readProblems, runCommand, screenshot, waitFor,
  waitForExtHostLog,
} from './harness.mjs';
import { QUICK_INPUT_BOX } from './vscodeUi.mjs';
import {
  closeWidgets, runScenario, statusBarItemText, goToLine, showHover, openQuickFixMenu, chooseAction,
  suggestionLabels, triggerSuggest, viewRows, viewMessage, focusView,
} from './vscodeUi.mjs';
import { WIZARD_SPEC, changedFiles, runNewContainerWizard } from './wizard.mjs';

const VSIX = path.join(ROOT, 'hwc-orchestrator.vsix');
const EXAMPLE = 'examples/homelab';
const STATUS_ITEM = 'hwc.hwc-orchestrator.hwc.status';
const POSTGRES = 'domains/server/containers/postgres/index.nix';
const CATEGORIES = ['media', 'services', 'databases', 'monitoring', 'business'];
/** The example's containers (examples/homelab/README.md). caddy has a module folder but
 * runs as a NixOS service; prowlarr is defined through lib/helpers.nix's mkContainer. */
const CONTAINERS = ['n8n', 'paperless', 'postgres', 'prowlarr', 'qbittorrent', 'radarr', 'redis', 'sonarr', 'uptime-kuma'];

const noVsix = !fs.existsSync(VSIX) && 'hwc-orchestrator.vsix missing: run `npm run package` (npm run test:e2e does)';


/** Problems rows for one rule in postgres/index.nix (rows name the rule id after "hwc"). */
const isExposedRow = (row) => / hwc database-port-exposed \[Ln 29, Col 9\]$/.test(row);

/** The first sentence under "## Why it matters" in docs/rules/<id>.md, as the hover renders it (no backticks). */
function ruleWhySentence(id) {
  const page = fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
  const section = page.split(/^## Why it matters\s*$/m)[1].trim();
  return section.split(/\n\s*\n/)[0].replace(/\s+/g, ' ').split(/(?<=\.) /)[0].replace(/`/g, '');
}

/** Puts the cursor at the end of `line` of the active editor. */
async function focusEditorAtEnd(page, line) {
  await goToLine(page, line, 1);
  await page.keyboard.press('End');
}

describe('VS Code (code-server): the packaged extension on examples/homelab', { skip: noVsix }, () => {
  let s;
  const started = Date.now();

  const scenario = (name, body) => runScenario(s, name, body);

  before(async () => {
    s = await startSession({
      name: 'homelab', fixture: EXAMPLE, vsix: VSIX,
      settings: { 'editor.stickyScroll.enabled': false }, // clearer screenshots
    });
    console.log(`vscode: workbench ready in ${Date.now() - started} ms`);
  }, { timeout: 120_000 });

  after(async () => {
    await s?.dispose();
    console.log(`vscode: suite took ${Date.now() - started} ms`);
  });

  test('1. the extension activates and the status bar shows the server ready', { timeout: 90_000 }, () => scenario('1-activates', async (page) => {
    const extDir = fs.readdirSync(path.join(s.dir, 'extensions')).find((d) => d.startsWith('hwc.hwc-orchestrator-'));
    assert.ok(extDir, 'the .vsix is installed in the fresh extensions dir');
    await waitForExtHostLog(s.userDataDir, /_doActivateExtension hwc\.hwc-orchestrator/, { timeout: 60_000 });
    const text = await waitFor(async () => {
      const t = await statusBarItemText(page, STATUS_ITEM);
      return t && /ready/.test(t) && t;
    }, { timeout: 60_000, message: 'the HWC status bar item to say ready' });
    // The server's state and the example's containers (VS Code shows the finding counts itself).
    assert.match(text, /HWC: ready · 9 containers$/, `status bar text: ${text}`);
    await screenshot(page, '1-status-ready');
  }));

  test('2. a module with findings shows them in the Problems panel with rule ids', { timeout: 90_000 }, () => scenario('2-problems', async (page) => {
    await openFile(page, POSTGRES);
    await openProblemsPanel(page);
    // Other modules' findings are there too (the server lints the whole workspace; with
    // pull diagnostics they arrive by the workspace pull, a moment after the open file's).
    const others = ['hardcoded-secret', 'state-dir-missing-tmpfiles', 'state-path-category'];
    const rows = await waitFor(async () => {
      const r = await readProblems(page);
      return r.some(isExposedRow) && others.every((id) => r.some((row) => row.includes(` hwc ${id} [Ln `))) && r;
    }, { timeout: 60_000, message: `database-port-exposed and ${others.join(', ')} in the Problems panel` });
    assert.ok(rows.some((r) => r.startsWith('index.nixdomains/server/containers/postgres 1')), `a file row for postgres: ${JSON.stringify(rows)}`);
    const aria = await readProblems(page, { ariaLabel: true });
    assert.ok(aria.some((r) => /^Error: postgres \(postgres\) publishes 5432 on every interface.* at line 29 and character 9\. generated by hwc$/.test(r)),
      `an error for line 29: ${JSON.stringify(aria)}`);
    // Clicking the finding reveals it in the editor (and selects the row, for the screenshot).
    await page.locator('.markers-panel .monaco-list-row[aria-label^="Error: postgres (postgres) publishes"]').click();
    await waitFor(async () => (await page.$$eval('.statusbar-item', (els) => els.map((e) => e.innerText.trim()))).some((t) => t.startsWith('Ln 29, Col ')),
      { timeout: 10_000, message: 'the finding selected in the editor (Ln 29)' });
    await screenshot(page, '2-problems-panel');
  }));

  test('5a. hover on a finding shows its message, why, the fixes and the rule page link', { timeout: 90_000 }, () => scenario('5a-hover', async (page) => {
    await openFile(page, POSTGRES);
    await goToLine(page, 29, 10);
    const sentence = ruleWhySentence('database-port-exposed');
    const text = await showHover(page, (t) => t.replace(/\s+/g, ' ').includes(sentence));
    assert.match(text, /database-port-exposed/);
    assert.match(text, /Fixes: Bind loopback/);
    assert.match(text, /Rule documentation/);
    assert.match(text, /publishes 5432 on every interface/, 'the diagnostic itself');
    await screenshot(page, '5a-hover-rule');
  }));

  test('5b. typed like a person, "/opt/ in a new volume line: categories suggested while typing, and in the unterminated string the syntax error sits on that line', { timeout: 120_000 }, () => scenario('5b-completion', async (page) => {
    await openFile(page, POSTGRES);
    await goToLine(page, 32, 1); // `volumes = [`
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    // One key at a time, no closing quote typed: `/` is a trigger character, so the
    // suggestions must come without Ctrl+Space.
    for (const key of '"/opt/') await page.keyboard.type(key, { delay: 40 });
    const hasCategories = (l) => CATEGORIES.every((c) => l.some((x) => x.replace(/\/$/, '') === c));
    try {
      const labels = await waitFor(async () => {
        const l = await suggestionLabels(page);
        return hasCategories(l) && l;
      }, { timeout: 20_000, message: 'the categories suggested while typing (no Ctrl+Space)' });
      await screenshot(page, '5b-completion-categories');
      assert.ok(labels.length >= CATEGORIES.length, JSON.stringify(labels));
      await closeWidgets(page);
      // The typed line as rendered (Monaco draws spaces as U+00A0). The editor may have
      // auto-closed the quote (it depends on its tokenizer having caught up); remove it so
      // the string is unterminated, as a person leaves it mid-typing.
      const typedLine = async () => (await page.$$eval('.monaco-editor .view-lines .view-line', (ls) => ls.map((l) => l.textContent.replace(/\u00a0/g, ' ')))).filter((t) => /^\s*"\/opt\/"?\s*$/.test(t));
      // Read until the line is drawn as typed (a Delete shows on a later frame); delete a closing quote once.
      let deleted = false;
      const open = await waitFor(async () => {
        const lines = (await typedLine()).map((t) => t.trim());
        if (!deleted && lines.length === 1 && lines[0] === '"/opt/"') {
          await page.keyboard.press('Delete');
          deleted = true;
          return false;
        }
        return lines.length === 1 && lines[0] === '"/opt/' && lines;
      }, { timeout: 5_000, message: 'the typed line to read "/opt/ (the string open)' }).catch(async () => (await typedLine()).map((t) => t.trim()));
      assert.deepEqual(open, ['"/opt/'], 'the string is open');
      // The syntax error sits on the typed line (33), at the opening quote: not on `volumes` above, not at the top.
      await openProblemsPanel(page);
      const rows = await waitFor(async () => {
        const r = await readProblems(page);
        return r.some((row) => /unterminated string.* hwc syntax-error \[Ln 33, Col 9\]$/.test(row)) && r;
      }, { timeout: 30_000, message: 'an unterminated-string syntax error at Ln 33, Col 9' });
      assert.equal(rows.filter((r) => / hwc syntax-error /.test(r)).length, 1, `one syntax error: ${JSON.stringify(rows.filter((r) => /syntax-error/.test(r)))}`);
      await focusEditorAtEnd(page, 33);
      const again = await triggerSuggest(page, hasCategories);
      assert.ok(again.length >= CATEGORIES.length, 'Ctrl+Space in the open string offers the categories, not plain words');
    } finally {
      await closeWidgets(page);
      await runCommand(page, 'File: Revert File');
    }
    await waitFor(async () => !(await page.isVisible('.tabs-container .tab.active.dirty')), { message: 'the reverted editor to be clean' });
  }));

  test('3. the light bulb on database-port-exposed offers "Bind to 127.0.0.1"; applying and saving fixes the file', { timeout: 120_000 }, () => scenario('3-quick-fix', async (page) => {
    const isBind = (label) => label.startsWith('Bind to 127.0.0.1');
    await openFile(page, POSTGRES);
    await openProblemsPanel(page);
    await waitFor(async () => (await readProblems(page)).some(isExposedRow), { timeout: 60_000, message: 'the finding' });
    await goToLine(page, 29, 10);
    const rows = await openQuickFixMenu(page, isBind);
    await screenshot(page, '3-quick-fix-menu');
    const applied = await chooseAction(page, isBind);
    await waitFor(async () => !(await readProblems(page)).some((r) => r.includes('database-port-exposed')),
      { timeout: 30_000, message: 'database-port-exposed to leave the Problems panel' });
    await page.keyboard.press('Control+S');
    const file = path.join(s.folder, POSTGRES);
    const text = await waitFor(async () => {
      const t = await fsp.readFile(file, 'utf8');
      return t.includes('"127.0.0.1:5432:5432"') && t;
    }, { timeout: 15_000, message: `${POSTGRES} on disk to contain 127.0.0.1:5432:5432` });
    const original = await fsp.readFile(path.join(ROOT, EXAMPLE, POSTGRES), 'utf8');
    assert.equal(text, original.replace('"5432:5432"', '"127.0.0.1:5432:5432"'), 'only the port mapping changed');
    await screenshot(page, '3-quick-fix-applied');
    console.log(`quick fix: menu ${JSON.stringify(rows.map((r) => r.label))}, applied "${applied}"`);
  }));

  test('6. the HWC Containers view lists the example\'s containers', { timeout: 90_000 }, () => scenario('6-containers-view', async (page) => {
    await focusView(page, 'Explorer: Focus on HWC Containers View');
    // Give the view the room of the folder tree, so that every row is rendered.
    const folders = page.locator('.pane-header[aria-expanded="true"]', { has: page.locator('.title', { hasText: /^HWC-E2E-WS-/i }) });
    if (await folders.count()) await folders.first().click();
    const rows = await waitFor(async () => {
      const r = await viewRows(page, 'HWC Containers');
      const names = new Set((r ?? []).filter((x) => x.level === 2).map((x) => x.label));
      if (CONTAINERS.every((c) => names.has(c))) return r;
      const message = await viewMessage(page, 'HWC Containers');
      if (/Could not list containers/.test(message)) throw Object.assign(new Error(message), { fatal: true });
      return null;
    }, { timeout: 60_000, message: `the containers ${CONTAINERS.join(', ')} in the view` });
    // Grouped by state category: each container row follows its category's row.
    const categoryOf = {};
    let category = null;
    for (const r of rows) {
      if (r.level === 1) category = r.label;
      else categoryOf[r.label] = category;
    }
    assert.equal(categoryOf.postgres, 'databases', JSON.stringify(rows));
    assert.equal(categoryOf.sonarr, 'media');
    assert.equal(rows.filter((r) => r.level === 2).length, CONTAINERS.length, `one row per container: ${JSON.stringify(rows)}`);
    assert.match(rows.find((r) => r.label === 'postgres').description, /postgres:/, 'the image in the description');
    await screenshot(page, '6-containers-view');
  }));

  test('7. the Getting Started walkthrough opens with its steps', { timeout: 90_000 }, () => scenario('7-walkthrough', async (page) => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.waitForSelector(QUICK_INPUT_BOX, { state: 'visible', timeout: 15_000 });
    await page.fill(QUICK_INPUT_BOX, 'HWC Orchestrator');
    await waitFor(async () => (await page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) => rows.map((r) => r.textContent ?? ''))).some((t) => t.includes('Get started with HWC Orchestrator')),
      { timeout: 15_000, message: 'the walkthrough in the picker' });
    await page.keyboard.press('Enter');
    const text = await waitFor(async () => {
      const t = await page.$eval('.gettingStartedContainer', (el) => el.innerText).catch(() => '');
      return ['Get started with HWC Orchestrator', 'See what the linter found', 'Try a quick fix', 'Add a container'].every((x) => t.includes(x)) && t;
    }, { timeout: 30_000, message: 'the walkthrough page with its steps' });
    assert.match(text, /Get started with HWC Orchestrator/);
    await screenshot(page, '7-walkthrough');
    await runCommand(page, 'View: Close Editor');
  }));

  test('4. HWC: New Container, through every wizard step, writes a module with no findings', { timeout: 150_000 }, () => scenario('4-new-container', async (page) => {
    const changed = await runNewContainerWizard(s, page);
    console.log(`new container: the wizard wrote ${changed.filter((f) => !f.endsWith('postgres/index.nix')).join(', ')}`);
  }));

  test('4b. one undo removes every file, folder and edit New Container made', { timeout: 120_000 }, () => scenario('4b-undo', async (page) => {
    const root = s.folder;
    const made = (await changedFiles(root)).filter((f) => !f.endsWith('postgres/index.nix'));
    assert.ok(made.some((f) => f.startsWith(`domains/server/containers/${WIZARD_SPEC.name}/`)), `the wizard's files are there: ${made.join(', ')}`);
    // The wizard left its index.nix open and focused: Ctrl+Z undoes the whole workspace edit, after VS Code asks.
    await page.click('.editor-instance .monaco-editor .view-lines');
    await page.keyboard.press('Control+Z');
    // VS Code may ask whether to undo across all files (it depends on its version and the edit); answer yes.
    const button = await waitFor(async () => {
      const buttons = await page.$$('.monaco-dialog-box .monaco-button');
      for (const b of buttons) if (/^Undo in \d+ Files$/.test((await b.innerText()).trim())) return b;
      return null;
    }, { timeout: 3_000, message: 'an undo dialog' }).catch(() => null);
    if (button) await button.click();
    await waitFor(() => !fs.existsSync(path.join(root, 'domains/server/containers', WIZARD_SPEC.name)), { timeout: 20_000, message: 'the module folder removed by the undo' });
    await screenshot(page, '4b-undone');
    await runCommand(page, 'File: Save All Files');
    await waitFor(async () => (await changedFiles(root)).filter((f) => !f.endsWith('postgres/index.nix')).length === 0, {
      timeout: 30_000,
      message: 'every file the wizard made or edited back as it was',
    });
    assert.ok(!fs.existsSync(path.join(root, 'domains/server/containers', WIZARD_SPEC.name)), 'the module folder is gone too');
  }));

});
