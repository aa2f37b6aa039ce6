// The HWC language server driven by a client nobody here wrote: Neovim 0.7's built-in
// LSP client (`nvim --headless`, Debian's neovim), with the Lua in nvim/hwc-test.lua.
// Proves the server works over stdio for a client without pull diagnostics, workspace
// file watching or any of the VS Code extension's custom messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, OUTPUT_DIR, copyFixture } from './harness.mjs';

const NVIM = process.env.E2E_NVIM || 'nvim';
const LUA = path.join(ROOT, 'test/e2e/nvim/hwc-test.lua');
const SERVER = path.join(ROOT, 'out/server.js');
const POSTGRES = 'domains/server/containers/postgres/index.nix';

function which(cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}
const noNvim = !which(NVIM) && 'nvim not installed (bash scripts/install-e2e-tools.sh installs Debian\'s neovim)';
const noServer = !(fs.existsSync(SERVER) && fs.existsSync(path.join(ROOT, 'out/cli.js'))) && 'out/server.js or out/cli.js missing: run `npm run build`';

/** Runs nvim headless with hwc-test.lua; resolves to the parsed JSON report and timing. */
async function runNeovim(name, { root, file, rule, action, cmd = [process.execPath, SERVER, '--stdio'], lua = LUA, env: extraEnv = {}, timeoutMs = 30_000 }) {
  const dir = path.join(OUTPUT_DIR, 'nvim', name);
  await fsp.rm(dir, { recursive: true, force: true });
  await fsp.mkdir(dir, { recursive: true });
  const out = path.join(dir, 'report.json');
  const xdg = await fsp.mkdtemp(path.join(os.tmpdir(), 'hwc-e2e-nvim-'));
  const env = {
    ...process.env,
    // A private config/state/cache: no user init.lua, no shada; the LSP log lands in cache.
    XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_STATE_HOME: path.join(xdg, 'state'), XDG_CACHE_HOME: path.join(xdg, 'cache'),
    HWC_NVIM_CMD: JSON.stringify(cmd),
    HWC_NVIM_ROOT: root, HWC_NVIM_FILE: file, HWC_NVIM_OUT: out,
    HWC_NVIM_RULE: rule ?? '', HWC_NVIM_ACTION: action ?? '', HWC_NVIM_TIMEOUT: String(timeoutMs),
    ...extraEnv,
  };
  const t0 = Date.now();
  const child = spawn(NVIM, ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', lua], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  // The Lua waits are bounded; this only catches a hung nvim.
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs * 3 + 10_000);
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? s)));
  clearTimeout(killer);
  const ms = Date.now() - t0;
  await fsp.writeFile(path.join(dir, 'nvim-output.log'), output);
  const lspLog = path.join(xdg, 'cache', 'nvim', 'lsp.log');
  await fsp.copyFile(lspLog, path.join(dir, 'lsp.log')).catch(() => {});
  await fsp.rm(xdg, { recursive: true, force: true });
  let report;
  try {
    report = JSON.parse(await fsp.readFile(out, 'utf8'));
  } catch (e) {
    throw new Error(`nvim exited with ${code} after ${ms} ms without a report (${e.message}); output:\n${output}`);
  }
  if (report.error || code !== 0) {
    throw new Error(`nvim exited with ${code}: ${report.error ?? '(no error recorded)'}\nlogs: ${path.relative(ROOT, dir)}`);
  }
  return { report, ms };
}

const skip = noNvim || noServer;

test('neovim: diagnostics from the server reach vim.diagnostic with rule ids', { timeout: 120_000, skip }, async () => {
  const root = await copyFixture('examples/homelab', 'hwc-e2e-nvim-ws-');
  try {
    // The command docs/neovim.md tells users to run (the code action test uses out/server.js).
    const cmd = [process.execPath, path.join(ROOT, 'bin/hwc'), 'lsp', '--stdio'];
    const { report, ms } = await runNeovim('diagnostics', { root, file: POSTGRES, rule: 'database-port-exposed', cmd });
    assert.equal(report.server_info?.name, 'hwc-orchestrator');
    const exposed = report.diagnostics.find((d) => d.file === POSTGRES && d.code === 'database-port-exposed');
    assert.ok(exposed, `database-port-exposed on ${POSTGRES} in ${JSON.stringify(report.diagnostics)}`);
    assert.equal(exposed.severity, 1, 'an error (vim.diagnostic.severity.ERROR)');
    assert.equal(exposed.source, 'hwc');
    assert.equal(exposed.lnum, 28, 'on the "5432:5432" line (line 29)');
    assert.match(exposed.message, /127\.0\.0\.1:5432:5432/);
    // The server lints the whole workspace, not only the open buffer.
    const codes = new Set(report.diagnostics.map((d) => `${d.file} ${d.code}`));
    assert.ok(codes.has('domains/server/containers/n8n/index.nix hardcoded-secret'), `workspace-wide findings in ${[...codes].join(', ')}`);
    assert.ok(codes.has('domains/server/containers/uptime-kuma/options.nix image-latest-tag'));
    console.log(`neovim diagnostics: ${report.diagnostics.length} diagnostics in ${ms} ms (nvim start to exit)`);
  } finally {
    await fsp.rm(root, { recursive: true, force: true });
  }
});

test('neovim: the "Bind to 127.0.0.1" code action fixes database-port-exposed on disk', {
  timeout: 120_000, skip,
}, async () => {
  const root = await copyFixture('examples/homelab', 'hwc-e2e-nvim-ws-');
  try {
    const { report, ms } = await runNeovim('code-action', {
      root, file: POSTGRES, rule: 'database-port-exposed', action: 'Bind to 127.0.0.1',
    });
    assert.ok(report.actions?.some((a) => a.title.startsWith('Bind to 127.0.0.1')), `offered actions: ${JSON.stringify(report.actions)}`);
    assert.match(report.applied ?? '', /^Bind to 127\.0\.0\.1/);
    const text = await fsp.readFile(path.join(root, POSTGRES), 'utf8');
    assert.match(text, /"127\.0\.0\.1:5432:5432"/, 'the port is bound to loopback on disk');
    assert.doesNotMatch(text, /"5432:5432"/, 'the exposed mapping is gone');
    const original = await fsp.readFile(path.join(ROOT, 'examples/homelab', POSTGRES), 'utf8');
    assert.equal(text, original.replace('"5432:5432"', '"127.0.0.1:5432:5432"'), 'nothing else in the file changed');
    assert.ok(!report.after.some((d) => d.file === POSTGRES && d.code === 'database-port-exposed'), 'the finding is gone');
    if (which('nix-instantiate')) {
      execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', path.join(root, POSTGRES)], { stdio: 'pipe' });
    }
    console.log(`neovim code action: ${JSON.stringify(report.actions.map((a) => a.title))} in ${ms} ms`);
  } finally {
    await fsp.rm(root, { recursive: true, force: true });
  }
});

test('neovim: the Neovim 0.7 setup in docs/neovim.md works as written (FileType attach, settings)', { timeout: 120_000, skip }, async () => {
  // The first lua block under "## Neovim 0.7", with the checkout's path filled in.
  const doc = await fsp.readFile(path.join(ROOT, 'docs/neovim.md'), 'utf8');
  const block = doc.split(/^## Neovim 0\.7\s*$/m)[1]?.split('```lua')[1]?.split('```')[0];
  assert.ok(block && block.includes('/path/to/hwc-orchestrator'), 'docs/neovim.md has the 0.7 snippet');
  const root = await copyFixture('examples/homelab', 'hwc-e2e-nvim-ws-');
  const snippet = path.join(OUTPUT_DIR, 'nvim', 'docs-snippet.lua');
  await fsp.mkdir(path.dirname(snippet), { recursive: true });
  await fsp.writeFile(snippet, block.replaceAll('/path/to/hwc-orchestrator', ROOT));
  try {
    const { report, ms } = await runNeovim('docs-snippet', {
      root, file: 'domains/server/containers/uptime-kuma/options.nix', rule: 'image-latest-tag',
      lua: path.join(ROOT, 'test/e2e/nvim/docs-snippet.lua'), env: { HWC_NVIM_SNIPPET: snippet },
    });
    assert.equal(report.filetype, 'nix');
    assert.deepEqual(report.clients, ['hwc']);
    assert.ok(report.seen, `image-latest-tag reported: ${JSON.stringify(report.diagnostics)}`);
    const latest = report.diagnostics.find((d) => d.code === 'image-latest-tag');
    // A warning by default; the snippet's settings make it an error, so they reached the server.
    assert.equal(latest.severity, 1, 'settings = { hwc = { rules = … } } took effect');
    console.log(`neovim docs snippet: ${JSON.stringify(report.diagnostics)} in ${ms} ms`);
  } finally {
    await fsp.rm(root, { recursive: true, force: true });
  }
});
