// Workbench UI helpers on top of harness.mjs for the extension's scenarios: the status
// bar, the editor cursor, hovers, the quick-fix menu, suggestions, tree views, and
// multi-step quick inputs (the New Container wizard). Selectors are VS Code 1.100's
// (code-server 4.100.3); each helper waits for a condition, never for a fixed time.
import { waitFor, runCommand, saveFailureArtifacts } from './harness.mjs';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';

const collapse = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();

/** Presses Escape until no quick input, hover, suggest or action widget is open. */
export async function closeWidgets(page) {
  for (let i = 0; i < 4; i++) {
    const open = await page.evaluate(() => ['.quick-input-widget', '.monaco-hover:not(.hidden)', '.suggest-widget.visible', '.action-widget']
      .some((sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0)));
    if (!open) return;
    await page.keyboard.press('Escape');
  }
}

/**
 * Runs one scenario of a session `s` (from startSession) on a clean window: on failure it
 * saves a screenshot and the extension host logs under `name`; afterwards it closes what a
 * failed step may have left open (a context menu would swallow the next scenario's keys).
 */
export async function runScenario(s, name, body) {
  await closeWidgets(s.page);
  try {
    await body(s.page);
  } catch (e) {
    await saveFailureArtifacts(s, name);
    throw e;
  } finally {
    if (await s.page.isVisible('.context-view .monaco-menu').catch(() => false)) await s.page.keyboard.press('Escape');
    await closeWidgets(s.page).catch(() => {});
  }
}

/** Text of a status bar item by its element id (`<publisher>.<name>.<item id>`). */
export async function statusBarItemText(page, id) {
  const el = await page.$(`.statusbar-item[id="${id}"]`);
  return el ? collapse(await el.innerText()) : null;
}

/** Focuses the active editor (first group). */
export async function focusEditor(page) {
  await closeWidgets(page);
  await page.keyboard.press('Control+1');
  await page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: 10_000 });
}

/** Moves the cursor with Go to Line (Ctrl+G) and waits for the status bar to confirm it. */
export async function goToLine(page, line, column = 1) {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  await page.waitForSelector(QUICK_INPUT_BOX, { state: 'visible' });
  await page.fill(QUICK_INPUT_BOX, `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(QUICK_INPUT, { state: 'hidden' });
  await waitFor(async () => (await page.$$eval('.statusbar-item', (els) => els.map((e) => e.innerText)))
    .some((t) => t.trim() === `Ln ${line}, Col ${column}`), { timeout: 10_000, message: `cursor at ${line}:${column}` });
}

/** The visible hover's text. */
async function hoverText(page) {
  return page.$$eval('.monaco-hover:not(.hidden)', (els) => els.filter((e) => e.getClientRects().length > 0)
    .map((e) => e.innerText).join('\n'));
}

/**
 * Shows the hover at the cursor (Ctrl+K Ctrl+I) and waits until its text satisfies
 * `accept` (hover parts arrive separately: markers first, then language servers').
 * Re-triggers every 3 s. Returns the text, whitespace collapsed.
 */
export async function showHover(page, accept = (t) => t.length > 0, { timeout = 30_000 } = {}) {
  let shownAt = 0;
  const text = await waitFor(async () => {
    if (Date.now() - shownAt > 3_000) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      shownAt = Date.now();
    }
    const t = collapse(await hoverText(page));
    return accept(t) && t;
  }, { timeout, message: 'a hover with the expected text' });
  return text;
}

/** Rows of the code action menu (`.action-widget`): [{ label, enabled, focused, index }]. */
export async function actionMenuRows(page) {
  return page.$$eval('.action-widget .monaco-list-row', (rows) => rows.map((r) => ({
    label: (r.querySelector('.title')?.textContent ?? r.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim(),
    kind: r.classList.contains('group-header') || !r.querySelector('.title') ? 'header' : 'action',
    enabled: !r.classList.contains('option-disabled') && r.getAttribute('aria-disabled') !== 'true',
    focused: r.classList.contains('focused'),
    index: Number(r.getAttribute('data-index')),
  })));
}

/**
 * Opens the quick-fix menu at the cursor (Ctrl+.) and waits for an action row whose
 * label satisfies `accept`; re-opens every 3 s (the server may still be computing).
 * Returns all rows.
 */
export async function openQuickFixMenu(page, accept, { timeout = 30_000 } = {}) {
  let openedAt = 0;
  return waitFor(async () => {
    if (Date.now() - openedAt > 3_000) {
      if (await page.isVisible('.action-widget')) await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      openedAt = Date.now();
    }
    const rows = await actionMenuRows(page);
    return rows.some((r) => r.kind === 'action' && accept(r.label)) && rows;
  }, { timeout, message: 'the quick-fix menu with the expected action' });
}

/**
 * Picks the action-menu row whose label satisfies `accept` with the keyboard (the menu
 * opens with its first action focused; Down moves through actions), then Enter.
 */
export async function chooseAction(page, accept) {
  for (let i = 0; i < 20; i++) {
    const rows = await actionMenuRows(page);
    const focused = rows.find((r) => r.focused);
    if (focused && focused.kind === 'action' && accept(focused.label)) {
      await page.keyboard.press('Enter');
      await page.waitForSelector('.action-widget', { state: 'hidden', timeout: 10_000 }).catch(() => {});
      return focused.label;
    }
    if (!rows.some((r) => r.kind === 'action' && accept(r.label))) throw new Error(`no such action in ${JSON.stringify(rows)}`);
    await page.keyboard.press('ArrowDown');
    await waitFor(async () => (await actionMenuRows(page)).find((r) => r.focused)?.index !== focused?.index,
      { timeout: 5_000, message: 'the focus to move in the action menu' });
  }
  throw new Error('could not focus the action');
}

/** Labels in the suggest widget (the part before the details), as shown. */
export async function suggestionLabels(page) {
  return page.$$eval('.suggest-widget.visible .monaco-list-row', (rows) => rows.map((r) =>
    (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim()));
}

/**
 * Triggers suggestions (Ctrl+Space) and waits until the labels satisfy `accept`
 * (re-triggered every 3 s). Returns the labels.
 */
export async function triggerSuggest(page, accept, { timeout = 30_000 } = {}) {
  let triggeredAt = 0;
  return waitFor(async () => {
    if (Date.now() - triggeredAt > 3_000) {
      await page.keyboard.press('Control+Space');
      triggeredAt = Date.now();
    }
    const labels = await suggestionLabels(page);
    return accept(labels) && labels;
  }, { timeout, message: 'suggestions with the expected labels' });
}

/**
 * Rows of a view pane (e.g. 'HWC Containers') as { label, description, level, expanded }.
 * The tree is virtualized: only rows in view are in the DOM.
 */
export async function viewRows(page, title) {
  return page.$$eval('.pane', (panes, t) => {
    const pane = panes.find((p) => (p.querySelector('.pane-header .title')?.textContent ?? '').trim().toLowerCase() === t.toLowerCase());
    if (!pane) return null;
    return [...pane.querySelectorAll('.pane-body .monaco-list-row')].map((r) => ({
      label: (r.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (r.querySelector('.label-description')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      level: Number(r.getAttribute('aria-level')),
      expanded: r.getAttribute('aria-expanded'),
    }));
  }, title);
}

/** The message a view shows instead of rows (e.g. "Could not list containers: …"), or ''. */
export async function viewMessage(page, title) {
  return page.$$eval('.pane', (panes, t) => {
    const pane = panes.find((p) => (p.querySelector('.pane-header .title')?.textContent ?? '').trim().toLowerCase() === t.toLowerCase());
    return (pane?.querySelector('.pane-body .message')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }, title);
}

/** Opens and focuses a view through its generated "Focus on … View" command. */
export async function focusView(page, commandTitle) {
  await closeWidgets(page);
  await runCommand(page, commandTitle);
}

/** State of the open quick input (a wizard step): title, placeholder, prompt, value, items, validation message. */
export async function quickInputState(page) {
  return page.evaluate(() => {
    const w = document.querySelector('.quick-input-widget');
    if (!w || w.style.display === 'none') return null;
    const text = (sel) => (w.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const input = w.querySelector('.quick-input-box input');
    return {
      title: text('.quick-input-title'),
      placeholder: input?.getAttribute('placeholder') ?? '',
      value: input?.value ?? '',
      message: text('.quick-input-message'),
      validation: w.querySelector('.quick-input-box .monaco-inputbox')?.className.match(/\b(error|warning|info)\b/)?.[1] ?? '',
      items: [...w.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
        label: (r.querySelector('.label-name')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        description: (r.querySelector('.label-description')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        checked: r.querySelector('input[type=checkbox], .quick-input-list-checkbox')?.checked
          ?? (r.getAttribute('aria-checked') === 'true'),
        focused: r.classList.contains('focused'),
        index: Number(r.getAttribute('data-index')),
      })),
    };
  });
}

/** Waits for a quick input whose state satisfies `accept` (e.g. a step's title); returns the state. */
export async function waitForQuickInput(page, accept, { timeout = 20_000, message = 'a quick input step' } = {}) {
  return waitFor(async () => {
    const s = await quickInputState(page);
    return s && accept(s) && s;
  }, { timeout, message });
}

export { QUICK_INPUT, QUICK_INPUT_BOX };
