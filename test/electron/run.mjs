// `npm run test:electron`: the API scenarios (suite/) in desktop VS Code through
// @vscode/test-electron. Opt-in: it downloads VS Code (cached in the git-ignored
// .tools/vscode-test/), which needs the internet. Machines without it, like this
// project's CI, run the same suite in code-server instead (test/e2e/apiSuite.test.mjs,
// part of `npm run test:e2e`).
//
// Environment: VSCODE_VERSION (default: the engines.vscode minimum, 1.100.3);
// VSCODE_EXECUTABLE to use an installed VS Code instead of downloading one.
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiTodo } from '../e2e/pending.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!fs.existsSync(path.join(ROOT, 'out/client.js'))) {
  console.error('test:electron: out/client.js is missing; run `npm run build` first');
  process.exit(2);
}
const workspace = await fsp.mkdtemp(path.join(os.tmpdir(), 'hwc-electron-ws-'));
await fsp.cp(path.join(ROOT, 'examples/homelab'), workspace, { recursive: true });
const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hwc-electron-udd-'));
const results = path.join(ROOT, 'test-output', 'electron', 'results.json');
await fsp.mkdir(path.dirname(results), { recursive: true });

let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    cachePath: path.join(ROOT, '.tools', 'vscode-test'), // git-ignored, next to code-server
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'test/electron/suite'),
    extensionTestsEnv: { HWC_API_TODO: JSON.stringify(apiTodo()), HWC_API_RESULTS: results },
    launchArgs: [
      workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', userDataDir,
    ],
  });
} catch (error) {
  console.error(`test:electron: ${error instanceof Error ? error.message : error}`);
  if (/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo|download/i.test(String(error))) {
    console.error('test:electron: could not download VS Code. This suite is opt-in for machines with internet;'
      + ' without it the same scenarios run in code-server: node --test test/e2e/apiSuite.test.mjs');
  }
  code = 1;
} finally {
  if (fs.existsSync(results)) {
    for (const r of JSON.parse(fs.readFileSync(results, 'utf8'))) console.log(`${r.status.padEnd(11)} ${r.title}${r.reason ? ` — ${r.reason}` : ''}`);
  }
  await fsp.rm(workspace, { recursive: true, force: true });
  await fsp.rm(userDataDir, { recursive: true, force: true });
}
process.exit(code);
