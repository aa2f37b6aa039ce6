// The @vscode/test-electron suite (test/electron/suite: the scenarios through the
// `vscode` API) run headless in code-server instead of a downloaded VS Code: the web
// workbench takes `extensionDevelopmentPath`/`extensionTestsPath` from the `payload`
// query parameter (as vscode-remote:// URIs, so the Node extension host on this machine
// runs them), and reports the end through `window.codeAutomationExit(code)`, which the
// test exposes with playwright. The extension under test is the packaged .vsix, unpacked
// by code-server's --install-extension into a staging folder that code-server does not load
// as installed (so the suite tests what ships, and a rebuild of out/ by someone else in
// this checkout cannot pull the server from under a run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  ROOT, OUTPUT_DIR, TOOLS_DIR, CHROMIUM, CHROMIUM_ARGS, copyFixture, startCodeServer, installVsix, waitFor, saveFailureArtifacts,
} from './harness.mjs';
import { apiTodo } from './pending.mjs';

const SUITE = path.join(ROOT, 'test/electron/suite');
const VSIX = path.join(ROOT, 'hwc-orchestrator.vsix');
const noVsix = !fs.existsSync(VSIX) && 'hwc-orchestrator.vsix missing: run `npm run package` (npm run test:e2e does)';

test('vscode API suite (test/electron/suite) in code-server\'s extension host', { timeout: 240_000, skip: noVsix }, async () => {
  const t0 = Date.now();
  const dir = path.join(OUTPUT_DIR, 'runs', 'api-suite');
  await fsp.rm(dir, { recursive: true, force: true });
  const userDataDir = path.join(dir, 'user-data');
  const results = path.join(dir, 'results.json');
  const workspace = await copyFixture('examples/homelab');
  const todo = apiTodo();
  const staging = path.join(dir, 'staged');
  await installVsix(VSIX, staging, { userDataDir: path.join(dir, 'install-user-data') });
  const extensionPath = path.join(staging, fs.readdirSync(staging).find((d) => d.startsWith('hwc.hwc-orchestrator-')));
  const server = await startCodeServer({
    workspaceFolder: workspace, userDataDir, extensionsDir: path.join(dir, 'extensions'), logFile: path.join(dir, 'code-server.log'),
    // The extension host inherits code-server's environment.
    env: { HWC_API_TODO: JSON.stringify(todo), HWC_API_RESULTS: results },
    settings: { 'extensions.gallery.serviceUrl': '', 'extensions.autoCheckUpdates': false },
  });
  const { chromium } = createRequire(path.join(TOOLS_DIR, 'playwright', 'package.json'))('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: process.env.E2E_HEADED !== '1', args: CHROMIUM_ARGS });
  const consoleLog = fs.createWriteStream(path.join(dir, 'browser-console.log'));
  let page;
  try {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    let exitCode = null;
    await page.exposeFunction('codeAutomationLog', () => {});
    await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(SUITE)]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    await waitFor(() => exitCode !== null, { timeout: 200_000, interval: 250, message: 'the suite to finish (codeAutomationExit)' });
    const report = JSON.parse(await fsp.readFile(results, 'utf8'));
    const line = (r) => `${r.status.padEnd(11)} ${r.title} (${r.ms} ms)${r.note ? ` — ${r.note}` : ''}${r.reason ? ` — ${r.reason}` : ''}`;
    console.log(`api suite in ${Date.now() - t0} ms:\n${report.map(line).join('\n')}`);
    for (const r of report.filter((x) => x.status === 'todo-failed')) console.log(`todo ${r.id} failed as expected: ${r.error.split('\n')[0]}`);
    const failed = report.filter((r) => r.status === 'fail');
    assert.deepEqual(failed.map((r) => `${r.id}: ${r.error}`), [], 'no API scenario failed');
    assert.equal(exitCode, 0, 'the extension host reported success');
    assert.ok(report.some((r) => r.status === 'pass'), 'some scenario ran');
  } catch (e) {
    await saveFailureArtifacts({ page, userDataDir, logFile: server.logFile, consoleLog: path.join(dir, 'browser-console.log') }, 'api-suite');
    throw e;
  } finally {
    await browser.close().catch(() => {});
    consoleLog.end();
    await server.stop();
    await fsp.rm(workspace, { recursive: true, force: true });
  }
});
