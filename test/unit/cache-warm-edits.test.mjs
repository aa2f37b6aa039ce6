// A warm `hwc lint` brings the last run's lint state up to date (cache/lintStateStore.ts)
// instead of linting everything again: after any series of edits it must print exactly what
// `hwc lint --no-cache` prints. A seeded series of the edits users make, on a copy of the
// example homelab: ports that start or stop colliding, an option default changed in an
// options file, a secret declared or removed, its `.age` file deleted or restored, a
// container renamed, a route file deleted or restored, a module added or removed, an image tag and an
// environment value changed, a state directory moved, the config changed. After every edit
// the cached and the uncached run agree (JSON), and at the end in the text format too.
// HWC_SEED=<n> replays one series.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyWorkspace, LINT_CACHE } from '../helpers/lintCache.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hwcBin = path.join(repo, 'bin', 'hwc');
const EXAMPLE = path.join(repo, 'examples', 'homelab');
const CONTAINERS = 'domains/server/containers';

const scratch = [];
after(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function hwc(root, args) {
  const r = spawnSync(process.execPath, [hwcBin, 'lint', '--root', root, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** mulberry32: a small seeded generator, so a failing series can be replayed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The edits, each a function of the workspace root and the generator; a description when it changed something. */
function edits(root, rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const exists = (file) => fs.existsSync(path.join(root, file));
  const modules = () => fs.readdirSync(path.join(root, CONTAINERS)).filter((m) => exists(`${CONTAINERS}/${m}/options.nix`) && exists(`${CONTAINERS}/${m}/index.nix`) && m !== 'caddy');
  const portOf = (module) => /port = lib\.mkOption \{[^}]*?default = (\d+);/s.exec(read(`${CONTAINERS}/${module}/options.nix`))?.[1];
  const stash = new Map();
  const hide = (file) => {
    stash.set(file, read(file));
    fs.rmSync(path.join(root, file));
  };

  return {
    portCollides() {
      const [a, b] = [pick(modules()), pick(modules())];
      const port = portOf(b);
      const file = `${CONTAINERS}/${a}/options.nix`;
      if (!port || a === b || !portOf(a)) return undefined;
      write(file, read(file).replace(/(port = lib\.mkOption \{[^}]*?default = )\d+;/s, `$1${port};`));
      return `${a}'s port default set to ${b}'s (${port})`;
    },
    portMoves() {
      const module = pick(modules());
      const file = `${CONTAINERS}/${module}/options.nix`;
      if (!portOf(module)) return undefined;
      const port = 20000 + Math.floor(rand() * 20000);
      write(file, read(file).replace(/(port = lib\.mkOption \{[^}]*?default = )\d+;/s, `$1${port};`));
      return `${module}'s port default set to ${port}`;
    },
    domainDefault() {
      const module = pick(modules());
      const file = `${CONTAINERS}/${module}/options.nix`;
      const text = read(file);
      if (!/domain = lib\.mkOption/.test(text)) return undefined;
      write(file, text.replace(/(domain = lib\.mkOption \{[^}]*?default = ")[^"]*(";)/s, `$1${module}-${Math.floor(rand() * 100)}.home.arpa$2`));
      return `${module}'s domain default changed`;
    },
    secretRemoved() {
      const file = 'domains/secrets/index.nix';
      const text = read(file);
      const blocks = [...text.matchAll(/\n  age\.secrets\."[^"]+" = \{[^}]*\};\n/g)];
      if (blocks.length === 0) return undefined;
      const block = pick(blocks);
      stash.set(`secret:${block[0]}`, block[0]);
      write(file, text.replace(block[0], '\n'));
      return `secret declaration removed: ${/"([^"]+)"/.exec(block[0])[1]}`;
    },
    secretDeclared() {
      const removed = [...stash.keys()].filter((k) => k.startsWith('secret:'));
      const file = 'domains/secrets/index.nix';
      const text = read(file);
      const block = removed.length > 0 ? stash.get(pick(removed)) : `\n  age.secrets."extra-${Math.floor(rand() * 1000)}-env" = {\n    file = ./parts/server/extra-env.age;\n    mode = "0400";\n  };\n`;
      for (const key of removed) if (stash.get(key) === block) stash.delete(key);
      write(file, text.replace(/\n\}\s*$/, `${block}}\n`));
      return `secret declared: ${/"([^"]+)"/.exec(block)[1]}`;
    },
    ageFileDeleted() {
      const dir = 'domains/secrets/parts/server';
      const files = exists(dir) ? fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.age')) : [];
      if (files.length === 0) return undefined;
      const file = `${dir}/${pick(files)}`;
      hide(file);
      return `deleted ${file}`;
    },
    containerRenamed() {
      const module = pick(modules());
      const file = `${CONTAINERS}/${module}/index.nix`;
      const text = read(file);
      const match = /oci-containers\.containers\.("?)([\w-]+)\1 = /.exec(text);
      if (!match) return undefined;
      const next = match[2].endsWith('-2') ? match[2].slice(0, -2) : `${match[2]}-2`;
      write(file, text.replace(match[0], match[0].replace(match[2], next)));
      return `container ${match[2]} renamed ${next}`;
    },
    routeDeleted() {
      const dir = `${CONTAINERS}/caddy/routes`;
      const files = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.nix'));
      if (files.length < 2) return undefined;
      const file = `${dir}/${pick(files)}`;
      hide(file);
      return `deleted ${file}`;
    },
    fileRestored() {
      const files = [...stash.keys()].filter((k) => !k.startsWith('secret:'));
      if (files.length === 0) return undefined;
      const file = pick(files);
      const text = stash.get(file);
      stash.delete(file);
      write(file, text);
      return `restored ${file}`;
    },
    moduleAdded() {
      const from = pick(modules());
      const name = `${from}-copy${Math.floor(rand() * 1000)}`;
      for (const part of ['index.nix', 'options.nix']) {
        const file = `${CONTAINERS}/${from}/${part}`;
        if (exists(file)) write(`${CONTAINERS}/${name}/${part}`, read(file).split(from).join(name));
      }
      return `module ${name} added (a copy of ${from}: same ports, same state layout)`;
    },
    moduleRemoved() {
      if (modules().length < 4) return undefined;
      const module = pick(modules());
      const folder = `${CONTAINERS}/${module}`;
      for (const part of fs.readdirSync(path.join(root, folder))) if (part.endsWith('.nix')) hide(`${folder}/${part}`);
      fs.rmSync(path.join(root, folder), { recursive: true, force: true });
      return `module folder ${folder} removed`;
    },
    imageTag() {
      const module = pick(modules());
      const file = `${CONTAINERS}/${module}/index.nix`;
      const text = read(file);
      const match = /image = "([^":]+):([^"]+)";/.exec(text);
      if (!match) return undefined;
      const tag = match[2] === 'latest' ? '1.2.3' : 'latest';
      write(file, text.replace(match[0], `image = "${match[1]}:${tag}";`));
      return `${module}'s image tag set to ${tag}`;
    },
    environment() {
      const module = pick(modules());
      const file = `${CONTAINERS}/${module}/index.nix`;
      const text = read(file);
      const match = /(\n\s+[A-Z_]+ = ")([^"$]*)(";)/.exec(text);
      if (!match) return undefined;
      write(file, text.replace(match[0], `${match[1]}${match[2]}x${match[3]}`));
      return `${module}: an environment value changed`;
    },
    stateMoved() {
      const module = pick(modules());
      const file = `${CONTAINERS}/${module}/index.nix`;
      const text = read(file);
      const match = /"\/opt\/(\w+)\//.exec(text);
      if (!match) return undefined;
      const category = pick(['media', 'services', 'databases', 'downloads', 'misc']);
      write(file, text.split(`/opt/${match[1]}/`).join(`/opt/${category}/`));
      return `${module}'s state moved from /opt/${match[1]} to /opt/${category}`;
    },
    configChanged() {
      const file = '.hwc-lint.json';
      const rules = pick([{}, { 'image-latest-tag': 'error' }, { 'state-path-category': 'off' }]);
      write(file, JSON.stringify({ rules }, null, 2) + '\n');
      return `config: rules ${JSON.stringify(rules)}`;
    },
    configRemoved() {
      if (!exists('.hwc-lint.json')) return undefined;
      hide('.hwc-lint.json');
      return 'config file removed';
    },
  };
}

test('warm hwc lint after a seeded series of edits prints what --no-cache prints', () => {
  const seed = Number(process.env.HWC_SEED ?? 18);
  const rand = random(seed);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-warm-edits-'));
  scratch.push(base);
  const root = path.join(base, 'homelab');
  copyWorkspace(EXAMPLE, root);
  const edit = edits(root, rand);
  const names = Object.keys(edit);

  const first = hwc(root, ['--format', 'json']);
  assert.ok(JSON.parse(first.stdout).length > 0, 'the example has findings');
  assert.ok(fs.readdirSync(path.join(root, LINT_CACHE)).some((n) => n.startsWith('state-')), 'the first run kept its lint state');

  const history = [];
  const rulesSeen = new Set();
  for (let step = 0; step < 22; step++) {
    let done;
    for (let tries = 0; !done && tries < 20; tries++) done = edit[names[Math.floor(rand() * names.length)]]();
    assert.ok(done, `step ${step}: some edit applies`);
    history.push(done);
    const plain = hwc(root, ['--format', 'json', '--no-cache']);
    const cached = hwc(root, ['--format', 'json']);
    const why = `step ${step} (seed ${seed}): ${history.slice(-4).join('; ')}`;
    assert.equal(cached.stdout, plain.stdout, why);
    assert.equal(cached.stderr, plain.stderr, why);
    assert.equal(cached.code, plain.code, why);
    for (const finding of JSON.parse(plain.stdout)) rulesSeen.add(finding.rule);
  }
  // The series reached cross-file rules, not only per-file ones.
  assert.ok(['host-port-conflict', 'secret-undeclared', 'proxy-route-missing'].some((rule) => rulesSeen.has(rule)), `cross-file findings came and went: ${[...rulesSeen].join(', ')}`);
  const plain = hwc(root, ['--no-cache']);
  const cached = hwc(root, []);
  assert.equal(cached.stdout, plain.stdout, 'text format');
  assert.equal(cached.code, plain.code, 'text format: exit code');
});
