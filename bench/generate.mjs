#!/usr/bin/env node
// Generates synthetic nixos-hwc workspaces for the benchmark: N container modules laid out
// like examples/homelab (options.nix + index.nix per module, several module shapes, Caddy
// routes, a secrets index with .age files, a profile), with a known sprinkling of mistakes.
//
//   node bench/generate.mjs [--sizes 200,2000,20000] [--out bench/workspaces] [--force] [--messy]
//
// --messy writes `ws-<n>-messy` instead (default size 2,000): every module with 4–6 realistic
// mistakes across most rules (bench/messy.mjs), about 6 findings per module.
// Deterministic: the same size always gives the same files (seeded PRNG). A workspace that
// already exists with the same generator version is left alone (a stamp file records it).
//
// Besides the N modules every workspace holds the two things the LSP benchmark edits:
// - `monolith/index.nix`, one module of about 2,000 lines (80 containers);
// - `domains/server/shared/options.nix`, whose `mediaCategory` default 50 media modules
//   interpolate into their state paths (`"/opt/${shared.mediaCategory}/<name>"`), so an edit
//   of that one literal changes findings in 50 dependants.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planMessyModules } from './messy.mjs';

export const GENERATOR_VERSION = 8;
const USAGE = `usage: node bench/generate.mjs [--sizes 200,2000,20000] [--out DIR] [--force] [--messy]
  --sizes N,…   workspace sizes in container modules (default 200,2000,20000; 2000 with --messy)
  --out DIR     where ws-<n>/ (ws-<n>-messy/) go (default bench/workspaces)
  --force       regenerate even when the workspace exists with this generator version
  --messy       every module with several realistic mistakes (ws-<n>-messy, ~6 findings per module)
`;
const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = path.join(here, 'workspaces');
export const SHARED_DEPENDANTS = 50;
export const MONOLITH_CONTAINERS = 105;

/** mulberry32: small, seeded, good enough to vary templates reproducibly. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// name, image, container port, category, kind (lsio = linuxserver.io, db = database)
const CATALOGUE = [
  ['sonarr', 'lscr.io/linuxserver/sonarr:4.0.14', 8989, 'media', 'lsio'],
  ['radarr', 'lscr.io/linuxserver/radarr:5.21.1', 7878, 'media', 'lsio'],
  ['lidarr', 'lscr.io/linuxserver/lidarr:2.9.6', 8686, 'media', 'lsio'],
  ['readarr', 'lscr.io/linuxserver/readarr:0.4.13-develop', 8787, 'media', 'lsio'],
  ['bazarr', 'lscr.io/linuxserver/bazarr:1.5.1', 6767, 'media', 'lsio'],
  ['prowlarr', 'lscr.io/linuxserver/prowlarr:1.32.2', 9696, 'media', 'lsio'],
  ['tautulli', 'ghcr.io/linuxserver/tautulli:2.15.1', 8181, 'media', 'lsio'],
  ['overseerr', 'lscr.io/linuxserver/overseerr:1.33.2', 5055, 'media', 'lsio'],
  ['sabnzbd', 'lscr.io/linuxserver/sabnzbd:4.4.1', 8080, 'media', 'lsio'],
  ['navidrome', 'docker.io/deluan/navidrome:0.55.1', 4533, 'media', 'plain'],
  ['audiobookshelf', 'ghcr.io/advplyr/audiobookshelf:2.19.5', 80, 'media', 'plain'],
  ['n8n', 'docker.n8n.io/n8nio/n8n:1.85.4', 5678, 'services', 'plain'],
  ['vaultwarden', 'docker.io/vaultwarden/server:1.33.2', 80, 'services', 'plain'],
  ['gitea', 'docker.gitea.com/gitea:1.23.5', 3000, 'services', 'plain'],
  ['freshrss', 'lscr.io/linuxserver/freshrss:1.26.1', 80, 'services', 'lsio'],
  ['syncthing', 'lscr.io/linuxserver/syncthing:1.29.3', 8384, 'services', 'lsio'],
  ['code-server', 'lscr.io/linuxserver/code-server:4.98.2', 8443, 'services', 'lsio'],
  ['mealie', 'ghcr.io/mealie-recipes/mealie:v2.8.0', 9000, 'services', 'plain'],
  ['postgres', 'docker.io/library/postgres:16.8', 5432, 'databases', 'db'],
  ['mariadb', 'docker.io/library/mariadb:11.4.5', 3306, 'databases', 'db'],
  ['redis', 'docker.io/library/redis:7.4.2-alpine', 6379, 'databases', 'db'],
  ['mongo', 'docker.io/library/mongo:8.0.5', 27017, 'databases', 'db'],
  ['influxdb', 'docker.io/library/influxdb:2.7.11', 8086, 'databases', 'db'],
  ['grafana', 'docker.io/grafana/grafana:11.5.2', 3000, 'monitoring', 'plain'],
  ['prometheus', 'docker.io/prom/prometheus:v3.2.1', 9090, 'monitoring', 'plain'],
  ['uptime-kuma', 'docker.io/louislam/uptime-kuma:1.23.16', 3001, 'monitoring', 'plain'],
  ['loki', 'docker.io/grafana/loki:3.4.2', 3100, 'monitoring', 'plain'],
  ['paperless', 'ghcr.io/paperless-ngx/paperless-ngx:2.15.1', 8000, 'business', 'plain'],
  ['invoiceninja', 'docker.io/invoiceninja/invoiceninja:5.11.55', 80, 'business', 'plain'],
  ['kimai', 'docker.io/kimai/kimai2:apache-2.31.0', 8001, 'business', 'plain'],
];

// Mistakes, one per affected module, chosen by index so every size has each kind.
// Rates are per module; the rest of the module stays clean.
const MISTAKES = [
  ['latest', 0.02], // image-latest-tag (in options.nix default)
  ['exposed-port', 0.01], // database-port-exposed (port-all-interfaces for others)
  ['hardcoded-secret', 0.01], // hardcoded-secret
  ['writable-media', 0.01], // media-mount-writable
  ['bad-category', 0.01], // state-path-category
  ['no-tmpfiles', 0.01], // state-dir-missing-tmpfiles
  ['no-assertion', 0.01], // secret-missing-assertion
  ['not-enabled', 0.005], // module-not-enabled
  ['unknown-dep', 0.005], // depends-on-unknown
  ['root-user', 0.005], // container-runs-as-root
];

export function moduleName(i, n) {
  const [base] = CATALOGUE[i % CATALOGUE.length];
  return `${base}-${String(i).padStart(String(n).length, '0')}`;
}

/** What module i looks like: its template, its mistake (if any), its features. */
export function planModule(i, n, random) {
  const [base, image, containerPort, category, kind] = CATALOGUE[i % CATALOGUE.length];
  const name = moduleName(i, n);
  let mistake = null;
  let roll = random();
  for (const [id, rate] of MISTAKES) {
    if (roll < rate) {
      mistake = id;
      break;
    }
    roll -= rate;
  }
  // The first SHARED_DEPENDANTS media modules read the shared category option; they carry no mistake.
  const shape = kind === 'db' ? 'database' : ['attrs', 'attrs', 'helper', 'leaf', 'web'][Math.floor(random() * 5)];
  return {
    i, name, base, image, containerPort, category, kind, shape,
    mistakes: new Set(mistake ? [mistake] : []),
    hostPort: 10000 + i,
    secret: kind === 'db' || (shape === 'web' && random() < 0.5),
    domain: shape === 'web' || (shape === 'attrs' && random() < 0.3),
    extraVolumes: Math.floor(random() * 3),
    extraEnv: 1 + Math.floor(random() * 6),
    network: kind === 'db' || random() < 0.15,
    shared: false,
  };
}

const has = (m, id) => m.mistakes.has(id);
const envPrefix = (m) => m.base.toUpperCase().replace(/-/g, '_');

function optionsNix(m, ns) {
  // A messy module sometimes drops the tag altogether (implicit latest).
  const latest = m.messy && m.i % 3 === 0 ? m.image.replace(/:[^:/]+$/, '') : m.image.replace(/:[^:/]+$/, ':latest');
  const imageDefault = has(m, 'latest') ? latest : m.image;
  const lines = [
    '{ lib, ... }: {',
    `  options.${ns}.${m.name} = {`,
    `    enable = lib.mkEnableOption "${m.name} container";`,
    '    image = lib.mkOption {',
    '      type = lib.types.str;',
    `      default = "${imageDefault}";`,
    `      description = "Container image for ${m.name}";`,
    '    };',
    '    port = lib.mkOption {',
    '      type = lib.types.port;',
    `      default = ${m.conflictPort ?? m.hostPort};`,
    `      description = "Host port for ${m.name}";`,
    '    };',
  ];
  if (m.domain) {
    lines.push(
      '    domain = lib.mkOption {',
      '      type = lib.types.str;',
      `      default = "${m.name}.home.example.com";`,
      '      description = "Domain for the reverse proxy";',
      '    };',
    );
  }
  lines.push('  };', '}', '');
  return lines.join('\n');
}

/** The environment entries that carry a mistake (the helper shape writes only these). */
function mistakeEnvLines(m, pad) {
  const out = [];
  if (has(m, 'hardcoded-secret')) out.push(`${pad}${envPrefix(m)}_DB_PASSWORD = "hunter2-${m.i}";`);
  if (has(m, 'credential-url')) out.push(`${pad}DATABASE_URL = "postgres://${m.base}:Sup3r-s3cret-${m.i}@db.internal:5432/${m.base.replace(/-/g, '_')}";`);
  return out;
}

function envLines(m, indent) {
  const pad = ' '.repeat(indent);
  const out = [];
  if (m.kind === 'lsio' && !has(m, 'no-puid')) out.push(`${pad}PUID = "${has(m, 'root-user') ? '0' : '1000'}";`, `${pad}PGID = "1000";`);
  // Forgetting PUID/PGID, or writing GUID for PGID, is the same finding.
  if (m.kind === 'lsio' && has(m, 'no-puid') && m.i % 2) out.push(`${pad}PUID = "1000";`, `${pad}GUID = "1000";`);
  out.push(`${pad}TZ = "Europe/Berlin";`);
  for (let k = 0; k < m.extraEnv; k++) out.push(`${pad}${envPrefix(m)}_SETTING_${k} = "value-${k}";`);
  out.push(...mistakeEnvLines(m, pad));
  if (m.kind === 'plain' && has(m, 'root-user')) out.push(`${pad}RUN_AS = "root";`);
  return out;
}

/**
 * The helper shape's environment: mkContainer adds PUID/PGID and TZ, so only the mistakes.
 * Messy workspaces only: the clean one stays as it was (its helper modules drop the mistake).
 */
function helperEnvLines(m, indent) {
  if (!m.messy) return [];
  const pad = ' '.repeat(indent);
  const lines = [...(m.kind === 'lsio' && has(m, 'root-user') ? [`${pad}  PUID = "0";`] : []), ...mistakeEnvLines(m, `${pad}  `)];
  return lines.length ? [`${pad}environment = {`, ...lines, `${pad}};`] : [];
}

function volumeLines(m, stateExpr, indent, n) {
  const pad = ' '.repeat(indent);
  const out = [`${pad}"${stateExpr}:/config"`];
  for (let k = 0; k < m.extraVolumes; k++) out.push(`${pad}"${stateExpr}/data${k}:/data${k}"`);
  if (m.category === 'media') out.push(`${pad}"/mnt/storage/media/${m.base}:/library${has(m, 'writable-media') ? '' : ':ro'}"`);
  // The arr stack's shared downloads folder, mounted read-write by every media app that has it.
  if (has(m, 'shared-downloads')) out.push(`${pad}"/opt/media/downloads:/downloads"`);
  // Reading another container's state directly (module i + 30: the same image, another instance).
  if (has(m, 'foreign-state')) out.push(`${pad}"/opt/${m.category}/${moduleName(m.partner, n)}/export:/import"`);
  if (has(m, 'invalid-volume')) out.push(`${pad}"${stateExpr}/cache:/cache:rw,noexex"`);
  return out;
}

function portEntries(m) {
  const ports = [];
  if (has(m, 'exposed-port')) ports.push(m.messy ? `"\${toString cfg.port}:${m.containerPort}"` : `"${m.hostPort}:${m.containerPort}"`);
  else ports.push(`"127.0.0.1:\${toString cfg.port}:${m.containerPort}"`);
  if (has(m, 'invalid-port')) ports.push(`"127.0.0.1:9${m.hostPort}:${m.containerPort}"`); // a stray digit
  if (m.probePort) ports.push(`"127.0.0.1:${m.probePort}:9100"`); // metrics
  return ports;
}

/** `# hwc-lint:` comments put before the image line: one naming no rule, one suppressing nothing. */
function suppressionLines(m, indent) {
  const pad = ' '.repeat(indent);
  const out = [];
  if (has(m, 'bad-suppression')) out.push(`${pad}# hwc-lint: disable-next-line image-latest-tags -- upstream only publishes latest`);
  if (has(m, 'unused-suppression')) out.push(`${pad}# hwc-lint: disable-next-line hardcoded-secret -- vendor default, rotated on first start`);
  return out;
}

/** A one-off migration run imperatively next to the declared container. */
function podmanRunLines(m, indent) {
  if (!has(m, 'podman-run')) return [];
  const pad = ' '.repeat(indent);
  return [
    `${pad}systemd.services."${m.name}-migrate" = {`,
    `${pad}  wantedBy = [ "multi-user.target" ];`,
    `${pad}  script = "\${pkgs.podman}/bin/podman run --name ${m.name}-migrate -v ${'${stateDir}'}:/config \${cfg.image} migrate";`,
    `${pad}};`,
  ];
}

/**
 * A state category that is not a convention: `apps` in the clean workspace; in the messy one
 * spread over typos and legacy names, each too rare to be adopted as a house category by
 * convention discovery (which takes one used by 5% of the containers).
 */
const BAD_CATEGORIES = ['apps', 'service', 'medias', 'database', 'monitor', 'appdata', 'docker', 'data', 'containers', 'srv', 'config', 'stacks'];
const badCategory = (m) => (m.messy ? BAD_CATEGORIES[m.i % BAD_CATEGORIES.length] : 'apps');

function indexNix(m, ns, n) {
  const category = has(m, 'bad-category') ? badCategory(m) : m.category;
  const stateDir = m.shared ? `/opt/\${shared.mediaCategory}/${m.name}` : `/opt/${category}/${m.name}`;
  const ports = portEntries(m);
  const deps = [];
  if (m.network && m.kind !== 'db') deps.push(`"${moduleName(CATALOGUE.findIndex((c) => c[0] === 'postgres'), n)}"`);
  if (has(m, 'unknown-dep')) deps.splice(0, deps.length, `"no-such-container-${m.i}"`);
  const dep = deps.length ? deps.join(' ') : null;
  const networks = [...(m.network ? ['"--network=hwc-db"'] : [])];
  if (has(m, 'undefined-network')) networks.splice(0, networks.length, `"--network=${m.base}-net"`);
  const secretName = `${m.name}-env`;
  const secretUses = [...(m.secret ? [`config.age.secrets."${secretName}".path`] : []), ...(has(m, 'undeclared-secret') ? [`config.age.secrets."${m.name}-api".path`] : [])];
  const header = ['{ config, lib, pkgs, ... }:', 'let', `  cfg = config.${ns}.${m.name};`, `  stateDir = "${stateDir}";`];
  if (m.shared) header.push('  shared = config.hwc.server.shared;');
  if (m.shape === 'helper') header.push('  helpers = import ../../../../lib/helpers.nix { inherit lib; };');
  header.push('in {', ...(has(m, 'no-options-import') ? [] : ['  imports = [ ./options.nix ];']), '');
  const configOpen = has(m, 'no-guard') ? '  config = {' : '  config = lib.mkIf cfg.enable {';
  const tmpfiles = has(m, 'no-tmpfiles') ? [] : ['    systemd.tmpfiles.rules = [', '      "d ${stateDir} 0755 1000 1000 -"', '    ];'];
  const assertion = m.secret && !has(m, 'no-assertion')
    ? ['    assertions = [{', `      assertion = config.age.secrets ? "${secretName}";`, `      message = "${ns}.${m.name} requires secret '${secretName}'";`, '    }];']
    : [];
  const body = [];
  if (m.shape === 'helper') {
    body.push(
      '  # mkContainer adds PUID/PGID and TZ.',
      '  config = lib.mkIf cfg.enable (lib.mkMerge [',
      '    (helpers.mkContainer {',
      `      name = "${m.name}";`,
      ...suppressionLines(m, 6),
      '      image = cfg.image;',
      `      ports = [ ${ports.join(' ')} ];`,
      '      volumes = [',
      ...volumeLines(m, '${stateDir}', 8, n),
      '      ];',
      ...helperEnvLines(m, 6),
      ...(networks.length && m.messy ? [`      extraOptions = [ ${networks.join(' ')} ];`] : []),
      ...(dep ? [`      dependsOn = [ ${dep} ];`] : []),
      '    })',
      '    {',
      ...tmpfiles.map((l) => '  ' + l),
      ...podmanRunLines(m, 6),
      '    }',
      '  ]);',
      '}',
      '',
    );
    return [...header, ...body].join('\n');
  }
  if (m.shape === 'leaf') {
    const c = `virtualisation.oci-containers.containers.${m.name}`;
    body.push(
      configOpen,
      ...suppressionLines(m, 4),
      `    ${c}.image = cfg.image;`,
      `    ${c}.ports = [ ${ports.join(' ')} ];`,
      `    ${c}.volumes = [`,
      ...volumeLines(m, '${stateDir}', 6, n),
      '    ];',
      `    ${c}.environment = {`,
      ...envLines(m, 6),
      '    };',
      ...(has(m, 'root-user') && m.kind !== 'lsio' ? [`    ${c}.user = "root";`] : []),
      ...(networks.length && m.messy ? [`    ${c}.extraOptions = [ ${networks.join(' ')} ];`] : []),
      ...(dep ? [`    ${c}.dependsOn = [ ${dep} ];`] : []),
      '',
      ...tmpfiles,
      ...podmanRunLines(m, 4),
      '  };',
      '}',
      '',
    );
    return [...header, ...body].join('\n');
  }
  // attrs, web, database: the classic nested attrset
  body.push(
    configOpen,
    `    virtualisation.oci-containers.containers.${m.name} = {`,
    ...suppressionLines(m, 6),
    '      image = cfg.image;',
    '',
    '      ports = [',
    ...ports.map((p) => `        ${p}`),
    '      ];',
    '',
    '      volumes = [',
    ...volumeLines(m, '${stateDir}', 8, n),
    '      ];',
    '',
    '      environment = {',
    ...envLines(m, 8),
    '      };',
  );
  if (has(m, 'root-user') && m.kind !== 'lsio') body.push('      user = "root";');
  if (secretUses.length) body.push('', `      environmentFiles = [ ${secretUses.join(' ')} ];`);
  if (networks.length) body.push('', `      extraOptions = [ ${networks.join(' ')} ];`);
  if (dep) body.push('', `      dependsOn = [ ${dep} ];`);
  body.push('    };', '');
  body.push(...tmpfiles);
  body.push(...podmanRunLines(m, 4));
  if (assertion.length) body.push('', ...assertion);
  body.push('  };', '}', '');
  return [...header, ...body].join('\n');
}

function routeNix(m, ns) {
  return [
    '{ config, ... }:',
    'let',
    `  cfg = config.${ns}.${m.name};`,
    'in {',
    '  "${cfg.domain}" = {',
    '    reverse_proxy.to = "http://localhost:${toString cfg.port}";',
    '  };',
    '}',
    '',
  ].join('\n');
}

/** The ~2,000-line module the edit-latency benchmark types into. */
export function monolithNix(ns) {
  const lines = ['{ config, lib, pkgs, ... }:', 'let', `  cfg = config.${ns}.monolith;`, 'in {', '  imports = [ ./options.nix ];', '', '  config = lib.mkIf cfg.enable {'];
  for (let k = 0; k < MONOLITH_CONTAINERS; k++) {
    const port = 40000 + k;
    lines.push(
      `    # Worker ${k}: one of the queue consumers of the monolith.`,
      `    virtualisation.oci-containers.containers.monolith-worker-${k} = {`,
      `      image = "ghcr.io/example/monolith-worker:3.${k}.0";`,
      `      ports = [ "127.0.0.1:${port}:8080" ];`,
      '      volumes = [',
      `        "/opt/services/monolith-worker-${k}:/var/lib/worker"`,
      `        "/opt/services/monolith/shared:/shared:ro"`,
      '      ];',
      '      environment = {',
      `        WORKER_ID = "${k}";`,
      '        QUEUE = "default";',
      '        LOG_LEVEL = "info";',
      `        CONCURRENCY = "${(k % 8) + 1}";`,
      '        TZ = "Europe/Berlin";',
      '      };',
      '      extraOptions = [ "--network=hwc-db" ];',
      '    };',
      '',
    );
  }
  lines.push('    systemd.tmpfiles.rules = [', '      "d /opt/services/monolith 0755 1000 1000 -"');
  for (let k = 0; k < MONOLITH_CONTAINERS; k++) lines.push(`      "d /opt/services/monolith-worker-${k} 0755 1000 1000 -"`);
  lines.push('    ];', '  };', '}', '');
  return lines.join('\n');
}

/** The port line of worker k in monolith/index.nix (0-based line, column of the host port's last digit + 1). */
export function monolithPortSite(text, k = 40) {
  const lines = text.split('\n');
  const port = String(40000 + k);
  const line = lines.findIndex((l) => l.includes(`"127.0.0.1:${port}:8080"`));
  return { line, character: lines[line].indexOf(port) + port.length };
}

function write(root, relative, text, counters) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  counters.files++;
  counters.bytes += Buffer.byteLength(text);
  if (relative.endsWith('.nix')) counters.nixFiles.push(relative);
}

/**
 * Writes workspace `ws-<n>` (or `ws-<n>-messy` with `messy`: every module with several
 * mistakes, see messy.mjs) under `out`; returns its description (also kept in workspace.json).
 */
export function generateWorkspace(n, out = DEFAULT_OUT, { force = false, messy = false } = {}) {
  const root = path.join(out, messy ? `ws-${n}-messy` : `ws-${n}`);
  const stampFile = path.join(root, 'workspace.json');
  if (!force && fs.existsSync(stampFile)) {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (stamp.generatorVersion === GENERATOR_VERSION) return { ...stamp, root };
  }
  fs.rmSync(root, { recursive: true, force: true });
  const random = prng((messy ? 0x3e55 : 0x5eed) + n);
  const ns = 'hwc.server.containers';
  const dir = 'domains/server/containers';
  const counters = { files: 0, bytes: 0, nixFiles: [] };
  const modules = messy ? planMessyModules(n, random, planModule) : [];
  let sharedLeft = SHARED_DEPENDANTS;
  for (let i = 0; i < n && !messy; i++) {
    const m = planModule(i, n, random);
    if (sharedLeft > 0 && m.category === 'media' && m.mistakes.size === 0 && m.shape !== 'helper') {
      m.shared = true;
      sharedLeft--;
    }
    modules.push(m);
  }
  const mistakes = {};
  for (const m of modules) {
    for (const id of m.mistakes) mistakes[id] = (mistakes[id] ?? 0) + 1;
    write(root, `${dir}/${m.name}/options.nix`, optionsNix(m, ns), counters);
    write(root, `${dir}/${m.name}/index.nix`, indexNix(m, ns, n), counters);
    if (m.domain && !has(m, 'no-route')) write(root, `${dir}/caddy/routes/${m.name}.nix`, routeNix(m, ns), counters);
    if (m.secret && !has(m, 'secret-file-missing')) write(root, `domains/secrets/parts/server/${m.name}-env.age`, `age-encryption.org/v1\n-> X25519 synthetic${m.i}\n--- bench\n`, counters);
  }
  // The monolith (the 2,000-line module) and the shared options its neighbours read.
  const monolithOptions = ['{ lib, ... }: {', `  options.${ns}.monolith = {`, '    enable = lib.mkEnableOption "monolith workers";', '  };', '}', ''].join('\n');
  write(root, `${dir}/monolith/options.nix`, monolithOptions, counters);
  write(root, `${dir}/monolith/index.nix`, monolithNix(ns), counters);
  write(root, 'domains/server/shared/options.nix', [
    '{ lib, ... }: {',
    '  options.hwc.server.shared = {',
    '    mediaCategory = lib.mkOption {',
    '      type = lib.types.str;',
    '      default = "media";',
    '      description = "State category of the media stack (under /opt)";',
    '    };',
    '  };',
    '}',
    '',
  ].join('\n'), counters);
  write(root, `${dir}/caddy/options.nix`, ['{ lib, ... }: {', `  options.${ns}.caddy = {`, '    enable = lib.mkEnableOption "Caddy reverse proxy";', '    email = lib.mkOption {', '      type = lib.types.str;', '      default = "admin@example.com";', '      description = "ACME account e-mail";', '    };', '  };', '}', ''].join('\n'), counters);
  write(root, `${dir}/caddy/index.nix`, [
    '{ config, lib, ... }:',
    'let',
    `  cfg = config.${ns}.caddy;`,
    '  routeFiles = lib.mapAttrsToList (file: _: ./routes + "/${file}")',
    '    (lib.filterAttrs (file: type: type == "regular" && lib.hasSuffix ".nix" file) (builtins.readDir ./routes));',
    '  routes = lib.foldl\' (all: file: all // import file { inherit config; }) { } routeFiles;',
    'in {',
    '  imports = [ ./options.nix ];',
    '',
    '  config = lib.mkIf cfg.enable {',
    '    services.caddy = {',
    '      enable = true;',
    '      email = cfg.email;',
    '      virtualHosts = lib.mapAttrs (_: route: { extraConfig = "reverse_proxy ${route.reverse_proxy.to}"; }) routes;',
    '    };',
    '    networking.firewall.allowedTCPPorts = [ 80 443 ];',
    '  };',
    '}',
    '',
  ].join('\n'), counters);
  // The profile imports and enables every module but the `not-enabled` ones. Big fleets
  // split it into parts (a single 20,000-module profile would be over 2 MB, larger than
  // the default hwc.maxFileSizeKb, and nobody maintains one file like that).
  const enabled = modules.filter((m) => !has(m, 'not-enabled'));
  const PART = 1000;
  const parts = [];
  for (let start = 0; start < enabled.length; start += PART) {
    const chunk = enabled.slice(start, start + PART);
    const part = `profiles/server/part-${String(parts.length).padStart(2, '0')}.nix`;
    parts.push(part);
    write(root, part, [
      `# ${part} — container modules ${start + 1}–${start + chunk.length} (generated).`,
      '{ ... }:',
      '{',
      '  imports = [',
      ...chunk.map((m) => `    ../../${dir}/${m.name}/index.nix`),
      '  ];',
      '',
      ...chunk.map((m) => `  ${ns}.${m.name}.enable = true;`),
      '}',
      '',
    ].join('\n'), counters);
  }
  write(root, 'profiles/server.nix', [
    '# profiles/server.nix — generated for the benchmark.',
    '{ ... }:',
    '{',
    '  imports = [',
    '    ../domains/server/shared/options.nix',
    `    ../${dir}/caddy/index.nix`,
    `    ../${dir}/monolith/index.nix`,
    ...parts.map((p) => `    ./${p.slice('profiles/'.length)}`),
    '  ];',
    '',
    '  virtualisation.oci-containers.backend = "podman";',
    `  ${ns}.caddy.enable = true;`,
    `  ${ns}.monolith.enable = true;`,
    '}',
    '',
  ].join('\n'), counters);
  write(root, 'domains/secrets/index.nix', [
    '# Every age-encrypted file the server decrypts (generated).',
    '{ ... }:',
    '{',
    ...modules.filter((m) => m.secret).flatMap((m) => [`  age.secrets."${m.name}-env" = {`, `    file = ./parts/server/${m.name}-env.age;`, '    mode = "0400";', '  };']),
    '}',
    '',
  ].join('\n'), counters);
  // The network every database client joins, created the way examples/homelab does.
  write(root, 'domains/server/networks.nix', [
    '{ pkgs, ... }:',
    '{',
    '  systemd.services."podman-network-hwc-db" = {',
    '    wantedBy = [ "multi-user.target" ];',
    '    serviceConfig.Type = "oneshot";',
    '    script = "${pkgs.podman}/bin/podman network create hwc-db || true";',
    '  };',
    '}',
    '',
  ].join('\n'), counters);
  write(root, 'lib/helpers.nix', fs.readFileSync(path.join(here, '..', 'examples', 'homelab', 'lib', 'helpers.nix'), 'utf8'), counters);
  write(root, 'flake.nix', [
    '{',
    '  description = "Synthetic nixos-hwc workspace for the hwc benchmark";',
    '  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";',
    '  outputs = { self, nixpkgs, ... }: {',
    '    nixosConfigurations.server = nixpkgs.lib.nixosSystem {',
    '      system = "x86_64-linux";',
    '      modules = [ ./profiles/server.nix ./domains/secrets/index.nix ./domains/server/networks.nix ];',
    '    };',
    '  };',
    '}',
    '',
  ].join('\n'), counters);
  const description = {
    generatorVersion: GENERATOR_VERSION,
    modules: n,
    containers: n + MONOLITH_CONTAINERS,
    files: counters.files + 1,
    nixFiles: counters.nixFiles.sort(),
    bytes: counters.bytes,
    mistakes,
    monolith: `${dir}/monolith/index.nix`,
    sharedOptions: 'domains/server/shared/options.nix',
    sharedDependants: modules.filter((m) => m.shared).map((m) => `${dir}/${m.name}/index.nix`),
    messy,
    // The two modules whose metrics ports the cross-file edit makes conflict (messy only).
    probePortFiles: modules.filter((m) => m.probePort).map((m) => `${dir}/${m.name}/index.nix`),
  };
  fs.writeFileSync(stampFile, JSON.stringify(description, null, 1) + '\n');
  return { ...description, root };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  if (args.includes('--help')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const messy = args.includes('--messy');
  const sizes = value('--sizes', messy ? '2000' : '200,2000,20000').split(',').map(Number);
  const out = path.resolve(value('--out', DEFAULT_OUT));
  for (const n of sizes) {
    const started = Date.now();
    const ws = generateWorkspace(n, out, { force: args.includes('--force'), messy });
    console.log(`${ws.root}: ${n} modules, ${ws.files} files (${ws.nixFiles.length} .nix, ${(ws.bytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
  }
}
