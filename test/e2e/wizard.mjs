// Drives HWC: New Container (client/src/newContainer) through all eight steps in the UI,
// with every branch that asks more: a name the workspace already uses (refused), a typed
// image, ports, a category, an existing network, a Caddy route with domain and TLS email,
// a secret with its value (encrypted by the client to the example's age recipient) and a
// dependency. Then checks the files on disk and that the new module has no findings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ROOT, runCommand, screenshot, waitFor, readNotifications, openProblemsPanel, readProblems } from './harness.mjs';
import { QUICK_INPUT, QUICK_INPUT_BOX, quickInputState, waitForQuickInput, statusBarItemText } from './vscodeUi.mjs';
import { inLintCache } from '../helpers/lintCache.mjs';

export const WIZARD_SPEC = {
  name: 'bazarr',
  image: 'lscr.io/linuxserver/bazarr:1.5.1',
  ports: '6767:6767',
  category: 'media',
  network: 'hwc-db',
  domain: 'bazarr.home.lan',
  tlsEmail: 'admin@example.com',
  secret: 'BAZARR_API_KEY',
  secretValue: 'e2e-plaintext-must-not-reach-disk',
  dependsOn: 'postgres',
};

const TITLE = 'HWC: New Container';
const STATUS_ITEM = 'hwc.hwc-orchestrator.hwc.status';

/** Waits for step n's quick input (its title says "(n/8)") that satisfies `accept`. */
function step(page, n, accept = () => true, what = '') {
  return waitForQuickInput(page, (s) => s.title === `${TITLE} (${n}/8)` && accept(s), { message: `wizard step ${n}/8 ${what}` });
}

/** Types into the step's input box and waits until the widget shows that value. */
async function type(page, value) {
  await page.fill(QUICK_INPUT_BOX, value);
  await waitFor(async () => (await quickInputState(page))?.value === value, { timeout: 5_000, message: `"${value}" in the input` });
}

/** An input step: type, wait for the validation to accept it, press Enter, wait for the next state. */
async function answer(page, value, { expectMessage } = {}) {
  await type(page, value);
  const state = await waitFor(async () => {
    const s = await quickInputState(page);
    return s.validation !== 'error' && (!expectMessage || expectMessage.test(s.message)) && s;
  }, { timeout: 5_000, message: `"${value}" accepted by the step's validation` });
  const before = JSON.stringify([state.title, state.message]);
  await page.keyboard.press('Enter');
  return before;
}

/** A pick step: filter by `filter`, wait for `label` to be the focused row, Enter. */
async function pick(page, label, filter = label) {
  await type(page, filter);
  await waitFor(async () => (await quickInputState(page)).items.find((i) => i.focused)?.label === label,
    { timeout: 5_000, message: `"${label}" focused in the pick` });
  await page.keyboard.press('Enter');
}

/** The number in the status bar item's tooltip "… N files indexed …". */
async function indexedFiles(page) {
  const aria = await page.$eval(`.statusbar-item[id="${STATUS_ITEM}"]`, (e) => e.getAttribute('aria-label') ?? '');
  const m = /(\d+) files indexed/.exec(aria);
  return m ? { files: Number(m[1]), aria } : null;
}

export async function runNewContainerWizard(session, page, spec = WIZARD_SPEC) {
  const root = session.folder;
  const shot = (name) => screenshot(page, `4-wizard-${name}`);
  await waitFor(async () => /ready/.test((await statusBarItemText(page, STATUS_ITEM)) ?? ''), { timeout: 60_000, message: 'the server ready' });
  const before = await indexedFiles(page);

  await runCommand(page, `${TITLE}`);
  // 1 — name: one the workspace uses is refused as you type.
  await step(page, 1);
  await type(page, 'postgres');
  const refused = await waitFor(async () => {
    const s = await quickInputState(page);
    return s.validation === 'error' && s;
  }, { timeout: 5_000, message: 'the taken name refused' });
  assert.match(refused.message, /already exists/);
  await shot('1-name-taken');
  await answer(page, spec.name);

  // 2 — image: typed, offered as "use this image" above the images in use.
  const images = await step(page, 2, (s) => s.items.length > 0);
  assert.ok(images.items.some((i) => i.description === 'used in this workspace'), 'images in use are offered');
  await type(page, spec.image);
  await waitFor(async () => (await quickInputState(page)).items.find((i) => i.focused)?.label === spec.image, { timeout: 5_000, message: 'the typed image' });
  await shot('2-image');
  await page.keyboard.press('Enter');

  // 3 — ports: pre-filled with the image's documented port (bazarr listens on 6767).
  await step(page, 3, (s) => spec !== WIZARD_SPEC || s.value === '6767:6767', 'pre-filled with 6767:6767');
  await answer(page, spec.ports);

  // 4 — category: every state category, the preferred one first in focus.
  const categories = await step(page, 4, (s) => s.items.length > 0 && (spec !== WIZARD_SPEC || s.items.some((i) => i.focused)));
  assert.deepEqual(categories.items.map((i) => i.label).sort(), ['business', 'databases', 'media', 'monitoring', 'services']);
  if (spec === WIZARD_SPEC) assert.equal(categories.items.find((i) => i.focused)?.label, 'media', 'bazarr is a media app: media is preselected');
  await shot('4-category');
  await pick(page, spec.category);

  // 5 — network: port mapping, host, the workspace's networks, a new one.
  const networks = await step(page, 5, (s) => s.items.length > 0);
  assert.ok(networks.items.some((i) => i.label === spec.network), `${spec.network} offered: ${JSON.stringify(networks.items)}`);
  await shot('5-network');
  await pick(page, spec.network);

  // 6 — reverse proxy: a Caddy route, its domain, a TLS email, no basic auth.
  await step(page, 6, (s) => s.items.length > 0);
  await pick(page, 'Caddy route…', 'Caddy');
  await step(page, 6, (s) => /Domain of the route/.test(s.message));
  await answer(page, spec.domain);
  await step(page, 6, (s) => /TLS/.test(s.message));
  await answer(page, spec.tlsEmail);
  await step(page, 6, (s) => /Basic auth: a user name/.test(s.message));
  await answer(page, '');

  // 7 — secrets: one variable, then its value in a password box.
  await step(page, 7, (s) => /Secrets/.test(s.message));
  await answer(page, spec.secret, { expectMessage: /recipient/ });
  await step(page, 7, (s) => s.message.includes(`Value of ${spec.secret}`));
  assert.equal(await page.getAttribute(QUICK_INPUT_BOX, 'type'), 'password', 'the value is typed in a password box');
  await answer(page, spec.secretValue);

  // 8 — dependencies: check postgres, accept.
  const deps = await step(page, 8, (s) => s.items.length > 0);
  const row = deps.items.find((i) => i.label === spec.dependsOn);
  assert.ok(row, `${spec.dependsOn} offered: ${JSON.stringify(deps.items)}`);
  await page.click(`${QUICK_INPUT} .quick-input-list .monaco-list-row[data-index="${row.index}"]`);
  await waitFor(async () => (await quickInputState(page)).items.find((i) => i.label === spec.dependsOn)?.checked, { timeout: 5_000, message: `${spec.dependsOn} checked` });
  await shot('8-dependencies');
  await page.click(`${QUICK_INPUT} .quick-input-box input`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(QUICK_INPUT, { state: 'hidden', timeout: 10_000 });

  // The files on disk (the wizard saves what it created).
  const folder = `domains/server/containers/${spec.name}`;
  const files = {
    index: `${folder}/index.nix`,
    options: `${folder}/options.nix`,
    route: `domains/server/containers/caddy/routes/${spec.name}.nix`,
    secret: `domains/secrets/parts/server/${spec.name}-env.age`,
  };
  await waitFor(async () => {
    const toasts = await readNotifications(page);
    return toasts.some((t) => t.includes(`${spec.name} created`)) && toasts;
  }, { timeout: 30_000, message: `the "${spec.name} created" notification` });
  const read = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');
  for (const rel of Object.values(files)) assert.ok(fs.existsSync(path.join(root, rel)), `${rel} exists`);
  const index = read(files.index);
  assert.match(index, new RegExp(`oci-containers\\.containers\\.${spec.name}\\b|name = "${spec.name}"`));
  assert.ok(index.includes(spec.network), 'joins the network');
  assert.ok(index.includes(`/opt/${spec.category}/${spec.name}`), 'state under /opt/<category>/<name>');
  assert.ok(index.includes(spec.dependsOn), 'starts after its dependency');
  assert.ok(index.includes(`${spec.name}-env`), 'uses its secret');
  const options = read(files.options);
  assert.ok(options.includes(spec.image), 'the image is the option default');
  assert.ok(options.includes(spec.domain), 'the domain is the option default');
  const route = read(files.route);
  assert.ok(route.includes('cfg.domain') && route.includes(spec.tlsEmail), `the route serves cfg.domain with the TLS email:\n${route}`);
  const age = read(files.secret);
  assert.match(age, /^-----BEGIN AGE ENCRYPTED FILE-----/, 'an armored age file');
  assert.ok(!age.includes(spec.secretValue), 'the value is encrypted');
  const leaked = (await changedFiles(root)).filter((rel) => fs.readFileSync(path.join(root, rel), 'utf8').includes(spec.secretValue));
  assert.deepEqual(leaked, [], 'the plaintext value is in no file the wizard wrote');
  assert.match(read('profiles/server.nix'), new RegExp(`containers/${spec.name}(/index\\.nix)?`), 'the profile imports the module');
  assert.ok(read('secrets.nix').includes(`${spec.name}-env.age`), 'secrets.nix lists the new secret');
  if (hasNixInstantiate()) {
    const nix = [files.index, files.options, files.route, 'profiles/server.nix', 'secrets.nix'].map((f) => path.join(root, f));
    execFileSync('nix-instantiate', ['--store', 'dummy://', '--parse', ...nix], { stdio: 'pipe' });
  }

  // No findings: once the server has indexed the new files, its counts are those from
  // before the wizard and no Problems row names the new files.
  // The edit lands file by file (index.nix before its .age, options.nix before the route),
  // so findings like secret-file-missing come and go: wait for the counts to settle.
  const counts = (aria) => /— (\d+ errors?, \d+ warnings?, \d+ infos?)/.exec(aria)?.[1];
  assert.ok(counts(before.aria), `counts in the status tooltip: ${before.aria}`);
  await waitFor(async () => {
    const now = await indexedFiles(page);
    // Three new .nix files: index.nix, options.nix and the route.
    return now && now.files >= before.files + 3 && /HWC: ready/.test(now.aria) && counts(now.aria) === counts(before.aria);
  }, { timeout: 30_000, message: `the server's counts back to "${counts(before.aria)}" with the new files indexed` });
  await expectNoProblemsFor(page, spec.name, { timeout: 30_000 });
  await waitFor(() => page.$$eval('.tabs-container .tab.active', (tabs) => tabs.some((t) => /index\.nix/.test(t.textContent ?? ''))),
    { timeout: 10_000, message: 'the new index.nix open in the editor' });
  await shot('done');
  return changedFiles(root);
}

/** Waits until no Problems row names the new container's files. */
export async function expectNoProblemsFor(page, name, { timeout = 15_000 } = {}) {
  await openProblemsPanel(page);
  let rows = [];
  try {
    await waitFor(async () => {
      rows = (await readProblems(page)).filter((r) => r.includes(name));
      return rows.length === 0;
    }, { timeout, message: `no Problems row for ${name}` });
  } catch {
    assert.deepEqual(rows, [], `no Problems row for ${name}`);
  }
}

/** Files of the workspace that are new or differ from examples/homelab (not the server's lint cache, `.hwc-cache/`). */
export async function changedFiles(root) {
  const original = path.join(ROOT, 'examples/homelab');
  const out = [];
  for (const rel of await fsp.readdir(root, { recursive: true })) {
    if (inLintCache(rel)) continue;
    const file = path.join(root, rel);
    if (!(await fsp.stat(file)).isFile()) continue;
    const before = await fsp.readFile(path.join(original, rel)).catch(() => null);
    if (!before || !before.equals(await fsp.readFile(file))) out.push(rel);
  }
  return out.sort();
}

function hasNixInstantiate() {
  try {
    execFileSync('sh', ['-c', 'command -v nix-instantiate'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
