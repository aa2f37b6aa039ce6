// Helpers for end-to-end tests in real VS Code (code-server 4.100.3 = VS Code 1.100,
// with the same Node extension host as the desktop app), driven through Debian's
// Chromium by playwright-core. Meant for Node's built-in test runner (node:test).
//
// Needs `bash scripts/install-e2e-tools.sh` first (tools live in the git-ignored .tools/).
// Everything a run leaves (code-server log, browser console, screenshots, failure
// artifacts) goes to the git-ignored test-output/e2e/.
//
// Typical use:
//   const s = await startSession({ name: 'my-scenario', fixture: 'test/e2e/fixtures/x', vsix });
//   try { await openFile(s.page, 'a.nix'); ... } catch (e) { await saveFailureArtifacts(s, 'my-scenario'); throw e; }
//   finally { await s.dispose(); }

import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const execFileP = promisify(execFile);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where scripts/install-e2e-tools.sh put code-server and playwright-core (E2E_TOOLS_DIR overrides). */
export const TOOLS_DIR = process.env.E2E_TOOLS_DIR ? path.resolve(process.env.E2E_TOOLS_DIR) : path.join(ROOT, '.tools');
export const CODE_SERVER_ENTRY = path.join(TOOLS_DIR, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const OUTPUT_DIR = path.join(ROOT, 'test-output', 'e2e');
export const SCREENSHOT_DIR = path.join(OUTPUT_DIR, 'screenshots');

/** Flags from shared/notes/tooling.md; without the networking ones Chromium keeps
 * trying to reach Google hosts that this machine's closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** User settings written to <userDataDir>/User/settings.json before code-server starts. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.reduceMotion': 'on',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'json.schemaDownload.enable': false,       // no network here
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'chat.commandCenter.enabled': false,
  'problems.defaultViewMode': 'tree',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

function playwright() {
  const req = createRequire(path.join(TOOLS_DIR, 'playwright', 'package.json'));
  try {
    return req('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core not found in .tools/playwright: run \`bash scripts/install-e2e-tools.sh\` (${e.message})`);
  }
}

function assertToolsInstalled() {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server not found at ${CODE_SERVER_ENTRY}: run \`bash scripts/install-e2e-tools.sh\``);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const safeName = (s) => String(s).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

/**
 * Polls `fn` until it returns a truthy value (which is returned). Errors thrown by
 * `fn` count as "not yet" (unless marked `err.fatal = true`). On timeout throws, naming `message` and the last value/error.
 */
export async function waitFor(fn, { timeout = 30_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      if (e && e.fatal) throw e; // an error marked fatal stops the polling at once
      last = e;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waitFor: timed out after ${timeout} ms waiting for ${message} (last: ${detail})`);
    }
    await sleep(interval);
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Copies a fixture folder to a new temp folder (outside the repo, so VS Code's git
 * extension does not find this repository around it). Returns the absolute path. */
export async function copyFixture(srcDir, prefix = 'hwc-e2e-ws-') {
  const dest = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  await fsp.cp(path.resolve(ROOT, srcDir), dest, { recursive: true });
  return dest;
}

/** Writes <userDataDir>/User/settings.json with DEFAULT_SETTINGS plus `extra`. */
export async function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  await fsp.mkdir(dir, { recursive: true });
  const settings = { ...DEFAULT_SETTINGS, ...extra };
  await fsp.writeFile(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return settings;
}

const liveServers = new Set();
process.on('exit', () => {
  for (const child of liveServers) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

/** Common code-server arguments: an empty --config so it never writes ~/.config/code-server. */
function baseArgs(userDataDir, extensionsDir) {
  return ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/** code-server keeps `heartbeat` and `coder-logs/` in $XDG_DATA_HOME/code-server
 * (~/.local/share) whatever --user-data-dir says: point it into the user data dir. */
function codeServerEnv(userDataDir, env = {}) {
  return { ...process.env, XDG_DATA_HOME: path.join(userDataDir, 'xdg-data'), ...env };
}

/**
 * Starts code-server on a free 127.0.0.1 port and waits until its workbench page
 * answers HTTP 200. Its stdout/stderr go to `logFile` (default
 * test-output/e2e/code-server-<port>.log). Returns { url, port, logFile, userDataDir,
 * extensionsDir, workspaceFolder, child, stop() }.
 */
export async function startCodeServer({
  workspaceFolder, extensionsDir, userDataDir, settings = {}, logFile, timeout = 60_000, extraArgs = [], env = {},
}) {
  assertToolsInstalled();
  if (!workspaceFolder || !extensionsDir || !userDataDir) {
    throw new Error('startCodeServer needs workspaceFolder, extensionsDir and userDataDir');
  }
  workspaceFolder = path.resolve(workspaceFolder);
  await fsp.mkdir(extensionsDir, { recursive: true });
  await writeUserSettings(userDataDir, settings);

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const log = logFile ?? path.join(OUTPUT_DIR, `code-server-${port}.log`);
    await fsp.mkdir(path.dirname(log), { recursive: true });
    const fd = fs.openSync(log, 'w');
    const args = [
      CODE_SERVER_ENTRY, ...baseArgs(userDataDir, extensionsDir),
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...extraArgs, workspaceFolder,
    ];
    // detached: own process group, so stop() ends code-server and every process it
    // started (server, extension host, pty host, language servers) by that group id.
    const child = spawn(process.execPath, args, {
      cwd: ROOT, detached: true, stdio: ['ignore', fd, fd], env: codeServerEnv(userDataDir, env),
    });
    fs.closeSync(fd);
    liveServers.add(child);
    let exited = null;
    const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
      exited = { code, signal };
      liveServers.delete(child);
      resolve(exited);
    }));

    const url = `http://127.0.0.1:${port}`;
    const server = {
      url, port, logFile: log, userDataDir, extensionsDir, workspaceFolder, child,
      async stop() {
        if (exited) return;
        try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
        const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
        await exitPromise;
        clearTimeout(t);
        // The group may outlive its leader for a moment (extension host shutting down).
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* all gone */ }
      },
    };
    try {
      await waitFor(async () => {
        if (exited) throw Object.assign(new Error(`code-server exited early (${JSON.stringify(exited)})`), { fatal: true });
        const res = await fetch(url + '/', { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        return res.status === 200;
      }, { timeout, interval: 150, message: `code-server at ${url}` });
      return server;
    } catch (e) {
      await server.stop();
      const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
      if (exited && /EADDRINUSE/.test(tail) && attempt < 3) continue; // lost the port race
      throw new Error(`${e.message}\n--- ${log} (tail) ---\n${tail}`);
    }
  }
}

/** Installs a .vsix (or an extension id) with code-server's --install-extension. */
export async function installVsix(vsixPath, extensionsDir, { userDataDir } = {}) {
  assertToolsInstalled();
  await fsp.mkdir(extensionsDir, { recursive: true });
  const udd = userDataDir ?? await fsp.mkdtemp(path.join(os.tmpdir(), 'hwc-e2e-udd-'));
  const target = /\.vsix$/i.test(vsixPath) ? path.resolve(vsixPath) : vsixPath;
  const { stdout, stderr } = await execFileP(process.execPath, [
    CODE_SERVER_ENTRY, ...baseArgs(udd, extensionsDir), '--force', '--install-extension', target,
  ], { cwd: ROOT, timeout: 120_000, env: codeServerEnv(udd) });
  const out = stdout + stderr;
  if (!/successfully installed|already installed/i.test(out)) {
    throw new Error(`installVsix(${vsixPath}) did not report success:\n${out}`);
  }
  return out;
}

/**
 * Launches Debian's Chromium (headless unless E2E_HEADED=1) with playwright-core, opens
 * <url>/?folder=<abs folder> and waits for `.monaco-workbench`. The browser console is
 * written to `consoleLog` (default test-output/e2e/browser-console.log).
 * Returns { browser, context, page, consoleLog, close() }.
 */
export async function openWorkbench(url, folder, { timeout = 60_000, consoleLog, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = playwright();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: process.env.E2E_HEADED !== '1',
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const logPath = consoleLog ?? path.join(OUTPUT_DIR, 'browser-console.log');
  await fsp.mkdir(path.dirname(logPath), { recursive: true });
  const logStream = fs.createWriteStream(logPath);
  page.on('console', (m) => logStream.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => logStream.write(`[pageerror] ${e.stack || e.message}\n`));
  const target = `${url}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  await page.goto(target, { waitUntil: 'domcontentloaded', timeout });
  await page.waitForSelector('.monaco-workbench', { timeout });
  // The explorer's folder view appears once the workspace is resolved via the server.
  await page.waitForSelector('.explorer-folders-view, .monaco-workbench .part.sidebar', { timeout });
  return {
    browser, context, page, consoleLog: logPath,
    async close() {
      await browser.close().catch(() => {});
      await new Promise((r) => logStream.end(r));
    },
  };
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';

/** Rows currently shown in the quick input (command palette / quick open). */
async function quickInputRows(page) {
  return page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) => rows.map((r) => ({
    label: (r.querySelector('.label-name')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    ariaLabel: r.getAttribute('aria-label') ?? '',
    focused: r.classList.contains('focused'),
    index: Number(r.getAttribute('data-index')),
  })));
}

async function closeQuickInputIfOpen(page) {
  if (await page.isVisible(QUICK_INPUT)) await page.keyboard.press('Escape');
}

/**
 * Runs a command by its palette title (e.g. 'View: Toggle Problems'), via F1. Waits
 * until a row with exactly that label is shown, makes sure it is the focused one,
 * then presses Enter.
 */
export async function runCommand(page, title, { timeout = 15_000 } = {}) {
  await closeQuickInputIfOpen(page);
  await page.keyboard.press('F1');
  await page.waitForSelector(QUICK_INPUT_BOX, { state: 'visible', timeout });
  // The palette's list is computed when the text changes; a command contributed by an
  // extension the workbench has not registered yet never shows up by waiting alone,
  // so the text is typed again every 2 s until the row appears.
  let typedAt = 0;
  const row = await waitFor(async () => {
    if (Date.now() - typedAt > 2_000) {
      await page.fill(QUICK_INPUT_BOX, '>');
      await page.fill(QUICK_INPUT_BOX, '>' + title);
      typedAt = Date.now();
    }
    const rows = await quickInputRows(page);
    return rows.find((r) => r.label === title);
  }, { timeout, message: `command palette row "${title}"` });
  if (!row.focused) {
    // Move focus to the exact match instead of running whatever ranked first.
    await page.click(`.quick-input-widget .quick-input-list .monaco-list-row[data-index="${row.index}"]`);
  } else {
    await page.keyboard.press('Enter');
  }
  await page.waitForSelector(QUICK_INPUT, { state: 'hidden', timeout }).catch(() => {});
}

/**
 * Opens a workspace file with Quick Open (Ctrl+P): types the relative path, waits for a
 * row naming the file, presses Enter, waits for the editor tab to become active.
 */
export async function openFile(page, relPath, { timeout = 15_000 } = {}) {
  const base = path.posix.basename(relPath.replace(/\\/g, '/'));
  await closeQuickInputIfOpen(page);
  await page.keyboard.press('Control+P');
  await page.waitForSelector(QUICK_INPUT_BOX, { state: 'visible', timeout });
  // Retyped every 2 s: a file created a moment ago may not be in the file index yet.
  let typedAt = 0;
  const row = await waitFor(async () => {
    if (Date.now() - typedAt > 2_000) {
      await page.fill(QUICK_INPUT_BOX, '');
      await page.fill(QUICK_INPUT_BOX, relPath);
      typedAt = Date.now();
    }
    const rows = await quickInputRows(page);
    return rows.find((r) => r.label === base);
  }, { timeout, message: `quick open row for ${relPath}` });
  if (row.focused) await page.keyboard.press('Enter');
  else await page.click(`.quick-input-widget .quick-input-list .monaco-list-row[data-index="${row.index}"]`);
  await waitFor(() => page.$$eval('.tabs-container .tab.active', (tabs, b) =>
    tabs.some((t) => (t.getAttribute('aria-label') ?? t.textContent ?? '').includes(b)), base),
  { timeout, message: `active editor tab ${base}` });
  await page.waitForSelector('.editor-instance .monaco-editor', { timeout });
}

/** Opens (focuses) the Problems panel and waits for `.markers-panel`. */
export async function openProblemsPanel(page, { timeout = 15_000 } = {}) {
  if (await page.isVisible('.markers-panel')) return;
  await closeQuickInputIfOpen(page);
  await page.keyboard.press('Control+Shift+M');
  try {
    await page.waitForSelector('.markers-panel', { state: 'visible', timeout: 3_000 });
  } catch {
    // Palette titles in VS Code 1.100: 'View: Toggle Problems' (Ctrl+Shift+M),
    // 'View: Focus Problems (Errors, Warnings, Infos)', 'Problems: Focus on Problems View'.
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)', { timeout });
    await page.waitForSelector('.markers-panel', { state: 'visible', timeout });
  }
}

/**
 * Text of each row in the Problems panel (file rows and marker rows), whitespace
 * collapsed, e.g. ['broken.json 1', 'Expected comma json 514 [Ln 4, Col 3]'] (the
 * parentheses around the code are CSS, not text). With { ariaLabel: true } the rows'
 * aria-labels instead: ['1 problems in file broken.json of folder .',
 * 'Error: Expected comma at line 4 and character 3. generated by json'] — these name the
 * severity. The list is virtualized: only rows scrolled into view are in the DOM.
 */
export async function readProblems(page, { ariaLabel = false } = {}) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows, aria) =>
    rows.map((r) => (aria ? r.getAttribute('aria-label') : r.innerText || r.textContent || '') ?? '')
      .map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean), ariaLabel);
}

/** Text of the notification toasts currently shown (bottom right). */
export async function readNotifications(page) {
  return page.$$eval('.notifications-toasts .notification-toast', (ts) =>
    ts.map((t) => (t.innerText || '').replace(/\s+/g, ' ').trim()).filter(Boolean));
}

/**
 * Polls the extension host logs under <userDataDir>/logs (remoteexthost.log and every
 * extension's LogOutputChannel file, <extId>/<channel name>.log) until a line matches
 * `pattern`; returns that line. Example: waitForExtHostLog(dir,
 * /_doActivateExtension hwc\.hwc-orchestrator/) to know the extension activated.
 */
export async function waitForExtHostLog(userDataDir, pattern, { timeout = 30_000, fileFilter = () => true } = {}) {
  const re = pattern instanceof RegExp ? pattern : new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return waitFor(async () => {
    for (const f of (await findExtHostLogs(userDataDir)).filter(fileFilter)) {
      const line = (await fsp.readFile(f, 'utf8')).split('\n').find((l) => re.test(l));
      if (line) return line;
    }
    return null;
  }, { timeout, interval: 200, message: `extension host log line ${re}` });
}

/** Screenshot of the page into test-output/e2e/screenshots/<name>.png; returns the path. */
export async function screenshot(page, name) {
  await fsp.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${safeName(name)}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Waits until the (first) Node extension host has started and activated its eager
 * (`*`) extensions: from then on the workbench knows every installed extension's
 * commands, languages and activation events. Polls remoteexthost.log under <userDataDir>/logs.
 */
export async function waitForExtensionHostReady(userDataDir, { timeout = 60_000 } = {}) {
  return waitForExtHostLog(userDataDir, 'Eager extensions activated', {
    timeout, fileFilter: (f) => path.basename(f) === 'remoteexthost.log',
  });
}

/** All files under <userDataDir>/logs whose path mentions the extension host. */
export async function findExtHostLogs(userDataDir) {
  const logsDir = path.join(userDataDir, 'logs');
  const out = [];
  async function walk(dir) {
    let entries;
    try { entries = await fsp.readdir(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/exthost/i.test(path.relative(logsDir, p))) out.push(p);
    }
  }
  await walk(logsDir);
  return out.sort();
}

/**
 * Call from a test's catch/after on failure: saves a screenshot, the whole
 * <userDataDir>/logs folder (extension host log, extensions' output channels), the
 * code-server log and the browser console into test-output/e2e/failures/<name>/.
 * `ctx` is a session from startSession, or { page, userDataDir, logFile, consoleLog }.
 * Never throws; returns the folder.
 */
export async function saveFailureArtifacts(ctx, name) {
  const dir = path.join(OUTPUT_DIR, 'failures', safeName(name));
  await fsp.rm(dir, { recursive: true, force: true });
  await fsp.mkdir(dir, { recursive: true });
  const page = ctx.page;
  const userDataDir = ctx.userDataDir ?? ctx.server?.userDataDir;
  const logFile = ctx.logFile ?? ctx.server?.logFile;
  const consoleLog = ctx.consoleLog ?? ctx.workbench?.consoleLog;
  const notes = [];
  if (page) {
    await page.screenshot({ path: path.join(dir, 'screenshot.png') }).catch((e) => notes.push(`screenshot: ${e.message}`));
  }
  if (userDataDir) {
    await fsp.cp(path.join(userDataDir, 'logs'), path.join(dir, 'logs'), { recursive: true }).catch((e) => notes.push(`logs: ${e.message}`));
    const ext = await findExtHostLogs(userDataDir);
    notes.push('extension host logs:', ...ext.map((p) => '  ' + path.relative(userDataDir, p)));
  }
  for (const f of [logFile, consoleLog]) {
    if (f) await fsp.copyFile(f, path.join(dir, path.basename(f))).catch((e) => notes.push(`${f}: ${e.message}`));
  }
  await fsp.writeFile(path.join(dir, 'README.txt'), notes.join('\n') + '\n').catch(() => {});
  process.stderr.write(`e2e: failure artifacts saved to ${path.relative(ROOT, dir)}\n`);
  return dir;
}

/**
 * Everything in one call: copies `fixture` (or uses `folder`) into a temp workspace,
 * makes a fresh test-output/e2e/runs/<name>/ with user-data and extensions dirs,
 * installs `vsix` files if given, starts code-server, opens the workbench and waits
 * for the extension host to be ready (waitForExtensionHostReady).
 * Returns { name, dir, folder, server, workbench, page, userDataDir, logFile,
 * consoleLog, dispose() }.
 */
export async function startSession({ name, fixture, folder, vsix = [], settings = {}, keepWorkspace = false }) {
  if (!name) throw new Error('startSession needs a name');
  const dir = path.join(OUTPUT_DIR, 'runs', safeName(name));
  await fsp.rm(dir, { recursive: true, force: true });
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  await fsp.mkdir(userDataDir, { recursive: true });
  const workspace = folder ? path.resolve(folder) : await copyFixture(fixture);
  for (const v of [].concat(vsix)) await installVsix(v, extensionsDir, { userDataDir });
  const server = await startCodeServer({
    workspaceFolder: workspace, extensionsDir, userDataDir, settings, logFile: path.join(dir, 'code-server.log'),
  });
  let workbench;
  try {
    workbench = await openWorkbench(server.url, workspace, { consoleLog: path.join(dir, 'browser-console.log') });
    await waitForExtensionHostReady(userDataDir);
  } catch (e) {
    await workbench?.close();
    await saveFailureArtifacts({ userDataDir, logFile: server.logFile }, name);
    await server.stop();
    throw e;
  }
  return {
    name, dir, folder: workspace, server, workbench, page: workbench.page,
    userDataDir, logFile: server.logFile, consoleLog: workbench.consoleLog,
    async dispose() {
      await workbench.close();
      await server.stop();
      if (!folder && !keepWorkspace) await fsp.rm(workspace, { recursive: true, force: true });
    },
  };
}
