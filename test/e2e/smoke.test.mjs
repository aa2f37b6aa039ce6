// Proves the real-VS-Code harness works using VS Code's built-ins only: the built-in
// JSON language server (running in code-server's Node extension host) reports a syntax
// error, and it shows in the Problems panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {
  ROOT, OUTPUT_DIR, startSession, openFile, openProblemsPanel, readProblems, readNotifications, runCommand,
  screenshot, waitFor, waitForExtHostLog, saveFailureArtifacts,
} from './harness.mjs';

test('code-server + chromium: built-in JSON diagnostics reach the Problems panel', { timeout: 180_000 }, async () => {
  const t0 = Date.now();
  const s = await startSession({ name: 'smoke-json', fixture: 'test/e2e/fixtures/json-syntax-error' });
  const tReady = Date.now();
  try {
    await openFile(s.page, 'broken.json');
    await openProblemsPanel(s.page);
    const rows = await waitFor(async () => {
      const r = await readProblems(s.page);
      return r.some((line) => /Expected comma/i.test(line)) && r;
    }, { timeout: 60_000, message: '"Expected comma" in the Problems panel' });
    const shot = await screenshot(s.page, 'smoke-json-problems');

    assert.ok(rows.some((r) => r.includes('broken.json')), `a file row for broken.json in ${JSON.stringify(rows)}`);
    const err = rows.find((r) => /Expected comma/i.test(r));
    assert.match(err, /\[Ln 4, Col 3\]/, 'the error points at the line after the missing comma');
    assert.ok(!rows.some((r) => r.includes('ok.json')), 'ok.json has no problems');
    const aria = await readProblems(s.page, { ariaLabel: true });
    assert.ok(aria.some((r) => r.startsWith('Error: Expected comma at line 4')), `severity in aria-labels ${JSON.stringify(aria)}`);
    // The file must really be open in an editor showing its text.
    const editorText = await s.page.textContent('.editor-instance .view-lines');
    assert.match(editorText.replace(/\u00a0/g, ' '), /"missingCommaAbove": true/);
    console.log(`smoke: workbench ready in ${tReady - t0} ms, diagnostics after ${Date.now() - tReady} ms more; rows=${JSON.stringify(rows)}; screenshot ${shot}`);
  } catch (e) {
    await saveFailureArtifacts(s, 'smoke-json');
    throw e;
  } finally {
    await s.dispose();
  }
});

// Second self-test of the harness with a tiny extension of its own (fixtures/hello-ext),
// packaged with the project's vsce: installVsix, activation in the Node extension host,
// runCommand through the palette, a notification, and the extension's log file.
const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
test('harness: installVsix + runCommand + extension log', {
  timeout: 180_000,
  skip: !fs.existsSync(vsce) && 'project devDependencies not installed (npm ci): no vsce to package the fixture',
}, async () => {
  const vsix = path.join(OUTPUT_DIR, 'e2e-hello.vsix');
  await fsp.mkdir(OUTPUT_DIR, { recursive: true });
  await promisify(execFile)(process.execPath, [vsce, 'package', '--allow-missing-repository', '-o', vsix], {
    cwd: path.join(ROOT, 'test/e2e/fixtures/hello-ext'), timeout: 60_000,
  });
  const s = await startSession({ name: 'smoke-hello-ext', fixture: 'test/e2e/fixtures/hello-workspace', vsix });
  try {
    assert.ok(fs.existsSync(path.join(s.dir, 'extensions', 'hwc-e2e.e2e-hello-0.0.1', 'package.json')), 'vsix installed');
    await runCommand(s.page, 'E2E Hello: Say Hello');
    const toasts = await waitFor(async () => {
      const n = await readNotifications(s.page);
      return n.some((t) => t.includes('Hello from the e2e extension')) && n;
    }, { timeout: 30_000, message: 'the hello notification' });
    await waitForExtHostLog(s.userDataDir, 'sayHello ran');
    await waitForExtHostLog(s.userDataDir, /_doActivateExtension hwc-e2e\.e2e-hello/);
    const marker = await waitFor(() => fsp.readFile(path.join(s.folder, 'hello-ran.txt'), 'utf8'), { message: 'hello-ran.txt' });
    assert.match(marker, /^hello from v\d+/, 'the command ran in a Node extension host');
    await screenshot(s.page, 'smoke-hello-ext');
    console.log(`hello-ext: toasts=${JSON.stringify(toasts)} marker=${marker.trim()}`);
  } catch (e) {
    await saveFailureArtifacts(s, 'smoke-hello-ext');
    throw e;
  } finally {
    await s.dispose();
  }
});
