// The Compose specification's service model, read from the interpolated data: every short
// and long syntax brought to one shape. Nothing here knows about Nix or the house layout;
// keys without a translation are collected in `unsupported` so nothing is dropped silently.
import { ComposeError } from './interpolate';
import type { ComposeMap, ComposeValue } from './load';

export interface PortPublish {
  hostIp: string | null;
  /** Host ports, one per container port; null when Compose would pick one. */
  hostPorts: number[] | null;
  containerPorts: number[];
  protocol: string;
  /** A host range for one container port (Compose picks a free one): the range as written. */
  hostRange?: string;
}

export type Mount =
  /** A named or anonymous volume, or a bind of a path relative to the project: it becomes state. */
  | { kind: 'state'; source: string; target: string; options: string[]; file: boolean; from: string }
  | { kind: 'bind'; source: string; target: string; options: string[] }
  /** A volume the user declared `external`: it exists in Podman already. */
  | { kind: 'external'; source: string; target: string; options: string[] }
  | { kind: 'tmpfs'; target: string; options: string[] };

export interface Healthcheck {
  disable: boolean;
  /** `CMD …` as an argument list, or `CMD-SHELL …` as one string. */
  test: string[] | string | null;
  interval?: string;
  timeout?: string;
  retries?: number;
  startPeriod?: string;
}

/** A service's use of a compose secret: the app reads it as a file at `target`. */
export interface SecretUse {
  source: string;
  /** Absolute path in the container (`/run/secrets/<source>` unless given). */
  target: string;
  /** As written (`uid`, `gid`: numeric strings in the specification; `mode`: octal). */
  uid: string | null;
  gid: string | null;
  mode: number | null;
}

/** A top-level `secrets:` entry: where its value comes from. */
export interface ComposeSecret {
  /** A file relative to the compose file (or absolute). */
  file: string | null;
  /** A variable of the env files / `.env` (never this process's environment). */
  environment: string | null;
  /** Exists on the platform already: no value here. */
  external: boolean;
  /** The name on the platform (`name:`), for external secrets. */
  name: string;
}

export interface ComposeService {
  name: string;
  image: string | null;
  build: boolean;
  containerName: string | null;
  profiles: string[];
  ports: PortPublish[];
  expose: string[];
  mounts: Mount[];
  /** In order: env_file entries first, then `environment` (which wins). Null: no value anywhere. */
  environment: Map<string, string | null>;
  envFiles: Array<{ path: string; required: boolean }>;
  dependsOn: Array<{ service: string; condition: string }>;
  /** Network names as the compose file writes them, with aliases. */
  networks: Array<{ name: string; aliases: string[] }>;
  networkMode: string | null;
  devices: string[];
  capAdd: string[];
  capDrop: string[];
  user: string | null;
  command: string[] | null;
  entrypoint: string[] | null;
  healthcheck: Healthcheck | null;
  restart: string | null;
  labels: Map<string, string>;
  shmSize: string | null;
  extraHosts: string[];
  secrets: SecretUse[];
  /** Other keys with a direct podman flag (`hostname`, `privileged`, …). */
  flags: string[];
  /** `key: why` for keys with no equivalent. */
  unsupported: string[];
}

export interface ComposeVolume {
  external: boolean;
  /** The name Podman knows it by (`name:` or the key). */
  name: string;
  /** A local volume whose driver options bind a host folder (`o: bind`, `device: /path`). */
  bindDevice: string | null;
  driver: string | null;
}

export interface ComposeProject {
  name: string | null;
  services: ComposeService[];
  volumes: Map<string, ComposeVolume>;
  networks: Map<string, { external: boolean; name: string }>;
  secrets: Map<string, ComposeSecret>;
  /** Top-level keys with no equivalent (`configs`). */
  unsupported: string[];
}

const isMap = (v: ComposeValue | undefined): v is ComposeMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: ComposeValue | undefined): string | null => (v === null || v === undefined || typeof v === 'object' ? null : String(v));

function strings(v: ComposeValue | undefined, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'object') return [String(v)];
  if (!Array.isArray(v)) throw new ComposeError(`${where}: expected a list`);
  return v.map((item, i) => {
    const text = scalar(item);
    if (text === null) throw new ComposeError(`${where}[${i}]: expected a string`);
    return text;
  });
}

/** A map, or a list of `KEY=VALUE` (or `KEY:VALUE` for extra_hosts) entries. */
function keyValues(v: ComposeValue | undefined, where: string, separator: RegExp = /=/): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (v === undefined || v === null) return out;
  if (isMap(v)) {
    for (const [key, value] of Object.entries(v)) {
      if (typeof value === 'object' && value !== null) throw new ComposeError(`${where}.${key}: expected a string`);
      out.set(key, value === null ? null : String(value));
    }
    return out;
  }
  for (const entry of strings(v, where)) {
    const at = separator.exec(entry)?.index ?? -1;
    if (at < 0) out.set(entry, null);
    else out.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return out;
}

/** POSIX-shell-like word splitting, as Compose applies to string `command`/`entrypoint`. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ComposeError(`\`${text}\`: unclosed single quote`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      word ??= '';
      for (i++; i < text.length && text[i] !== '"'; i++) word += text[i] === '\\' && /["\\$`]/.test(text[i + 1] ?? '') ? text[++i] : text[i];
      if (i >= text.length) throw new ComposeError(`\`${text}\`: unclosed double quote`);
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function portNumbers(text: string, where: string): number[] {
  const range = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!range) throw new ComposeError(`${where}: \`${text}\` is not a port or a port range`);
  const first = Number(range[1]);
  const last = range[2] === undefined ? first : Number(range[2]);
  if (first < 1 || last > 65535 || last < first) throw new ComposeError(`${where}: \`${text}\` is outside 1–65535`);
  if (last - first >= 1000) throw new ComposeError(`${where}: \`${text}\` spans more than 1000 ports`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function publish(hostIp: string | null, published: string | null, target: string, protocol: string, where: string): PortPublish {
  const containerPorts = portNumbers(target, where);
  let hostPorts: number[] | null = null;
  let hostRange: string | undefined;
  if (published !== null && published !== '') {
    hostPorts = portNumbers(published, where);
    if (hostPorts.length === 1 && containerPorts.length > 1) throw new ComposeError(`${where}: one host port for a range of container ports`);
    if (hostPorts.length > 1 && containerPorts.length === 1) {
      hostRange = published;
      hostPorts = hostPorts.slice(0, 1);
    }
    if (hostPorts.length !== containerPorts.length) throw new ComposeError(`${where}: the host and container ranges differ in length`);
  }
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new ComposeError(`${where}: unknown protocol \`${protocol}\``);
  return { hostIp: hostIp === '' ? null : hostIp, hostPorts, containerPorts, protocol, ...(hostRange ? { hostRange } : {}) };
}

function readPorts(value: ComposeValue | undefined, where: string): PortPublish[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ComposeError(`${where}: expected a list`);
  return value.map((entry, i) => {
    const at = `${where}[${i}]`;
    if (isMap(entry)) {
      const target = scalar(entry.target);
      if (target === null) throw new ComposeError(`${at}: a long-syntax port needs \`target\``);
      return publish(scalar(entry.host_ip), scalar(entry.published), target, scalar(entry.protocol) ?? 'tcp', at);
    }
    const text = scalar(entry);
    if (text === null) throw new ComposeError(`${at}: expected a port`);
    const [mapping, protocol = 'tcp'] = text.split('/');
    // `[::1]:8080:80`, `127.0.0.1:8080:80`, `8080:80`, `80`, `127.0.0.1::80`
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(mapping);
    const parts = ipv6 ? [`[${ipv6[1]}]`, ...ipv6[2].split(':')] : mapping.split(':');
    if (parts.length === 1) return publish(null, null, parts[0], protocol, at);
    if (parts.length === 2) return publish(null, parts[0], parts[1], protocol, at);
    if (parts.length === 3) return publish(parts[0], parts[1], parts[2], protocol, at);
    throw new ComposeError(`${at}: \`${text}\` is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`);
  });
}

const FILE_LIKE = /\.(conf|cfg|ini|json|ya?ml|toml|xml|env|sh|py|js|txt|properties|php|lua|rules|crt|pem|key|db|sqlite3?)$/i;

function readMounts(service: ComposeMap, volumes: Map<string, ComposeVolume>, where: string): Mount[] {
  const mounts: Mount[] = [];
  const value = service.volumes;
  if (value !== undefined && value !== null && !Array.isArray(value)) throw new ComposeError(`${where}.volumes: expected a list`);
  for (const [i, entry] of (Array.isArray(value) ? value : []).entries()) {
    const at = `${where}.volumes[${i}]`;
    let type: string;
    let source: string | null;
    let target: string | null;
    const options: string[] = [];
    if (isMap(entry)) {
      type = scalar(entry.type) ?? 'volume';
      source = scalar(entry.source);
      target = scalar(entry.target);
      if (entry.read_only === true) options.push('ro');
      const bind = isMap(entry.bind) ? entry.bind : {};
      const selinux = scalar(bind.selinux);
      if (selinux === 'z' || selinux === 'Z') options.push(selinux);
      const propagation = scalar(bind.propagation);
      if (propagation) options.push(propagation);
      if (isMap(entry.volume) && entry.volume.nocopy === true) options.push('nocopy');
      if (type === 'tmpfs') {
        const tmpfs = isMap(entry.tmpfs) ? entry.tmpfs : {};
        const size = scalar(tmpfs.size);
        const mode = scalar(tmpfs.mode);
        if (size) options.push(`size=${size}`);
        if (mode) options.push(`mode=${mode}`);
      }
    } else {
      const text = scalar(entry);
      if (text === null) throw new ComposeError(`${at}: expected a volume`);
      const parts = text.split(':');
      if (parts.length > 3) throw new ComposeError(`${at}: \`${text}\` is not SOURCE:TARGET[:MODE]`);
      [source, target] = parts.length === 1 ? [null, parts[0]] : [parts[0], parts[1]];
      if (parts[2]) options.push(...parts[2].split(',').filter((o) => o !== 'rw'));
      type = source === null || !/^[./~]/.test(source) ? 'volume' : 'bind';
    }
    if (!target || !target.startsWith('/')) throw new ComposeError(`${at}: the target \`${target ?? ''}\` is not an absolute path in the container`);
    if (type === 'tmpfs') {
      mounts.push({ kind: 'tmpfs', target, options });
    } else if (type === 'bind') {
      if (!source) throw new ComposeError(`${at}: a bind mount needs a source`);
      if (source.startsWith('/')) mounts.push({ kind: 'bind', source, target, options });
      else {
        if (source.startsWith('~')) throw new ComposeError(`${at}: \`${source}\` is relative to a home folder that the server does not share; write an absolute path`);
        const relative = source.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
        const clean = relative.split('/').filter((p) => p !== '.' && p !== '..' && p !== '').join('/');
        mounts.push({ kind: 'state', source: clean || 'data', target, options, file: FILE_LIKE.test(clean), from: source });
      }
    } else if (type === 'volume') {
      if (source === null || source === '') {
        // Anonymous: Compose keeps it across restarts, so it is state.
        mounts.push({ kind: 'state', source: target.split('/').filter(Boolean).pop() ?? 'data', target, options, file: false, from: `anonymous volume at ${target}` });
        continue;
      }
      const declared = volumes.get(source);
      if (declared?.bindDevice) mounts.push({ kind: 'bind', source: declared.bindDevice, target, options });
      else if (declared?.external) mounts.push({ kind: 'external', source: declared.name, target, options });
      else mounts.push({ kind: 'state', source, target, options, file: false, from: `volume ${source}` });
    } else {
      throw new ComposeError(`${at}: volume type \`${type}\` has no Podman equivalent here`);
    }
  }
  for (const [i, entry] of strings(service.tmpfs, `${where}.tmpfs`).entries()) {
    const [target, ...opts] = entry.split(':');
    if (!target.startsWith('/')) throw new ComposeError(`${where}.tmpfs[${i}]: \`${entry}\` is not an absolute path`);
    mounts.push({ kind: 'tmpfs', target, options: opts.join(':').split(',').filter(Boolean) });
  }
  return mounts;
}

function readCommand(value: ComposeValue | undefined, where: string): string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return splitWords(value);
  return strings(value, where);
}

function readHealthcheck(value: ComposeValue | undefined, where: string, unsupported: string[]): Healthcheck | null {
  if (value === undefined || value === null) return null;
  if (!isMap(value)) throw new ComposeError(`${where}: expected a mapping`);
  const check: Healthcheck = { disable: value.disable === true, test: null };
  if (typeof value.test === 'string') check.test = value.test;
  else if (Array.isArray(value.test)) {
    const [kind, ...rest] = strings(value.test, `${where}.test`);
    if (kind === 'NONE') check.disable = true;
    else if (kind === 'CMD') check.test = rest;
    else if (kind === 'CMD-SHELL') check.test = rest.join(' ');
    else throw new ComposeError(`${where}.test: the first item is CMD, CMD-SHELL or NONE, not \`${kind}\``);
  }
  for (const [key, field] of [['interval', 'interval'], ['timeout', 'timeout'], ['start_period', 'startPeriod']] as const) {
    const text = scalar(value[key]);
    if (text !== null) check[field] = text;
  }
  if (value.start_interval !== undefined) unsupported.push('healthcheck.start_interval: Podman 4 has no such flag; the start period applies');
  const retries = scalar(value.retries);
  if (retries !== null) {
    if (!/^\d+$/.test(retries)) throw new ComposeError(`${where}.retries: \`${retries}\` is not a whole number`);
    check.retries = Number(retries);
  }
  return check;
}

/** Keys Podman has a plain flag for: `--<flag>=<value>` (or the bare flag for booleans). */
const FLAG_KEYS: Record<string, string> = {
  hostname: 'hostname', domainname: 'domainname', working_dir: 'workdir', privileged: 'privileged', init: 'init', read_only: 'read-only',
  stop_signal: 'stop-signal', mem_limit: 'memory', memswap_limit: 'memory-swap', cpus: 'cpus', pids_limit: 'pids-limit', dns: 'dns', dns_search: 'dns-search',
  security_opt: 'security-opt', group_add: 'group-add', sysctls: 'sysctl', ulimits: 'ulimit', pid: 'pid', ipc: 'ipc', tty: 'tty', stdin_open: 'interactive',
};

function readFlags(service: ComposeMap, where: string): string[] {
  const flags: string[] = [];
  for (const [key, flagName] of Object.entries(FLAG_KEYS)) {
    const value = service[key];
    if (value === undefined || value === null || value === false) continue;
    if (value === true) flags.push(`--${flagName}`);
    else if (key === 'sysctls') for (const [k, v] of keyValues(value, `${where}.${key}`)) flags.push(`--sysctl=${k}=${v ?? ''}`);
    else if (key === 'ulimits' && isMap(value)) {
      for (const [k, v] of Object.entries(value)) flags.push(`--ulimit=${k}=${isMap(v) ? `${scalar(v.soft)}:${scalar(v.hard)}` : scalar(v)}`);
    } else for (const item of strings(value, `${where}.${key}`)) flags.push(`--${flagName}=${item}`);
  }
  return flags;
}

/** Keys read above; every other key of a service is reported. */
const HANDLED = new Set([
  'image', 'build', 'container_name', 'profiles', 'ports', 'expose', 'volumes', 'tmpfs', 'environment', 'env_file', 'depends_on', 'networks', 'network_mode', 'devices',
  'cap_add', 'cap_drop', 'user', 'command', 'entrypoint', 'healthcheck', 'restart', 'labels', 'shm_size', 'extra_hosts', 'secrets', ...Object.keys(FLAG_KEYS),
]);

const WHY_NOT: Record<string, string> = {
  configs: 'Compose configs are files; mount them from /opt or the Nix store',
  deploy: 'Swarm/resource settings; oci-containers runs one container per service',
  logging: 'journald collects the container logs (podman --log-driver is set by NixOS)',
  platform: 'Podman pulls the host platform',
  scale: 'one container per module',
  links: 'containers on the project network reach each other by name',
  pull_policy: 'NixOS pulls the image when the unit starts',
  stop_grace_period: 'set systemd.services.podman-<name>.serviceConfig.TimeoutStopSec',
};

/** `mode` in octal notation, as the specification writes it (`0440`; load.ts reads a leading-zero number as octal, as Compose does). */
function readMode(value: ComposeValue | undefined, where: string): number | null {
  if (value === undefined || value === null) return null;
  const mode = typeof value === 'number' ? value : typeof value === 'string' && /^(0o?)?[0-7]{1,4}$/.test(value) ? parseInt(value.replace(/^0o/, ''), 8) : NaN;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new ComposeError(`${where}: ${typeof value === 'object' ? 'a list or mapping' : `\`${String(value)}\``} is not a file mode (octal, such as 0440)`);
  return mode;
}

/** A service's `secrets:` (short syntax: a name; long: source, target, uid, gid, mode). */
function readSecretUses(value: ComposeValue | undefined, where: string, unsupported: string[]): SecretUse[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ComposeError(`${where}: expected a list`);
  return value.map((entry, i) => {
    const at = `${where}[${i}]`;
    const long = isMap(entry) ? entry : null;
    const source = long ? scalar(long.source) : scalar(entry);
    if (!source) throw new ComposeError(`${at}: ${long ? 'a long-syntax secret needs `source`' : 'expected a secret name'}`);
    const target = (long && scalar(long.target)) || source;
    for (const key of Object.keys(long ?? {})) if (!['source', 'target', 'uid', 'gid', 'mode'].includes(key)) unsupported.push(`secrets[${i}].${key}: no agenix equivalent`);
    return {
      source,
      // A relative target is a file name under /run/secrets, where Compose mounts secrets.
      target: target.startsWith('/') ? target : `/run/secrets/${target}`,
      uid: long ? scalar(long.uid) : null,
      gid: long ? scalar(long.gid) : null,
      mode: long ? readMode(long.mode, `${at}.mode`) : null,
    };
  });
}

function readSecrets(value: ComposeValue | undefined, unsupported: string[]): Map<string, ComposeSecret> {
  const secrets = new Map<string, ComposeSecret>();
  if (value === undefined || value === null) return secrets;
  if (!isMap(value)) throw new ComposeError('secrets: expected a mapping');
  for (const [key, v] of Object.entries(value)) {
    const where = `secrets.${key}`;
    if (!isMap(v)) throw new ComposeError(`${where}: expected a mapping with \`file\`, \`environment\` or \`external\``);
    const external = v.external === true || isMap(v.external);
    const file = scalar(v.file);
    const environment = scalar(v.environment);
    const sources = [file !== null, environment !== null, external].filter(Boolean).length;
    if (sources !== 1) throw new ComposeError(`${where}: give exactly one of \`file\`, \`environment\` or \`external: true\``);
    for (const k of Object.keys(v)) if (!['file', 'environment', 'external', 'name'].includes(k)) unsupported.push(`${where}.${k}: a Swarm secret setting; agenix has no equivalent`);
    secrets.set(key, { file, environment, external, name: scalar(v.name) ?? (isMap(v.external) ? scalar(v.external.name) : null) ?? key });
  }
  return secrets;
}

function readService(name: string, value: ComposeValue, volumes: Map<string, ComposeVolume>): ComposeService {
  const where = `services.${name}`;
  if (!isMap(value)) throw new ComposeError(`${where}: expected a mapping`);
  const environment = new Map<string, string | null>();
  const envFiles: ComposeService['envFiles'] = [];
  const envFileValue = value.env_file;
  for (const entry of Array.isArray(envFileValue) ? envFileValue : envFileValue === undefined || envFileValue === null ? [] : [envFileValue]) {
    if (isMap(entry)) envFiles.push({ path: scalar(entry.path) ?? '', required: entry.required !== false });
    else envFiles.push({ path: scalar(entry) ?? '', required: true });
  }
  for (const [key, v] of keyValues(value.environment, `${where}.environment`)) environment.set(key, v);

  const dependsOn: ComposeService['dependsOn'] = [];
  if (isMap(value.depends_on)) {
    for (const [service, options] of Object.entries(value.depends_on)) dependsOn.push({ service, condition: (isMap(options) && scalar(options.condition)) || 'service_started' });
  } else for (const service of strings(value.depends_on, `${where}.depends_on`)) dependsOn.push({ service, condition: 'service_started' });

  const networks: ComposeService['networks'] = [];
  if (isMap(value.networks)) {
    for (const [net, options] of Object.entries(value.networks)) networks.push({ name: net, aliases: isMap(options) ? strings(options.aliases, `${where}.networks.${net}.aliases`) : [] });
  } else for (const net of strings(value.networks, `${where}.networks`)) networks.push({ name: net, aliases: [] });

  const devices = (Array.isArray(value.devices) ? value.devices : []).map((d, i) => {
    if (isMap(d)) return [scalar(d.source), scalar(d.target) ?? scalar(d.source), scalar(d.permissions)].filter(Boolean).join(':');
    const text = scalar(d);
    if (text === null) throw new ComposeError(`${where}.devices[${i}]: expected a device`);
    return text;
  });

  const extraHosts: string[] = [];
  for (const [host, ip] of keyValues(value.extra_hosts, `${where}.extra_hosts`, isMap(value.extra_hosts) ? /=/ : /[=:]/)) {
    if (ip === null) throw new ComposeError(`${where}.extra_hosts: \`${host}\` has no address`);
    extraHosts.push(`${host}:${ip.replace(/^\[(.*)\]$/, '$1')}`);
  }

  const labels = new Map<string, string>();
  for (const [key, v] of keyValues(value.labels, `${where}.labels`)) labels.set(key, v ?? '');

  const unsupported: string[] = [];
  for (const key of Object.keys(value)) if (!HANDLED.has(key)) unsupported.push(`${key}: ${WHY_NOT[key] ?? 'no Podman/oci-containers equivalent is translated'}`);
  if (value.build !== undefined && value.build !== null && value.image !== undefined) unsupported.push('build: the image is pulled, not built; build and push it yourself');
  if (isMap(value.networks)) {
    for (const [net, options] of Object.entries(value.networks)) {
      if (!isMap(options)) continue;
      for (const key of Object.keys(options)) if (key !== 'aliases') unsupported.push(`networks.${net}.${key}: addresses and priorities on the network are not translated`);
    }
  }

  return {
    name,
    image: scalar(value.image),
    build: value.build !== undefined && value.build !== null,
    containerName: scalar(value.container_name),
    profiles: strings(value.profiles, `${where}.profiles`),
    ports: readPorts(value.ports, `${where}.ports`),
    expose: strings(value.expose, `${where}.expose`),
    mounts: readMounts(value, volumes, where),
    environment,
    envFiles,
    dependsOn,
    networks,
    networkMode: scalar(value.network_mode),
    devices,
    capAdd: strings(value.cap_add, `${where}.cap_add`),
    capDrop: strings(value.cap_drop, `${where}.cap_drop`),
    user: scalar(value.user),
    command: readCommand(value.command, `${where}.command`),
    entrypoint: readCommand(value.entrypoint, `${where}.entrypoint`),
    healthcheck: readHealthcheck(value.healthcheck, `${where}.healthcheck`, unsupported),
    restart: scalar(value.restart),
    labels,
    shmSize: scalar(value.shm_size),
    extraHosts,
    secrets: readSecretUses(value.secrets, `${where}.secrets`, unsupported),
    flags: readFlags(value, where),
    unsupported,
  };
}

export function readProject(data: ComposeMap): ComposeProject {
  if (!isMap(data.services)) throw new ComposeError('the file has no `services:` mapping');
  const volumes = new Map<string, ComposeVolume>();
  for (const [key, v] of Object.entries(isMap(data.volumes) ? data.volumes : {})) {
    const options = isMap(v) ? v : {};
    const driverOpts = isMap(options.driver_opts) ? options.driver_opts : {};
    const device = scalar(driverOpts.device);
    const bindDevice = device && /(^|,)bind(,|$)/.test(scalar(driverOpts.o) ?? '') && device.startsWith('/') ? device : null;
    const external = options.external === true || isMap(options.external);
    volumes.set(key, { external, name: scalar(options.name) ?? (isMap(options.external) ? scalar(options.external.name) : null) ?? key, bindDevice, driver: scalar(options.driver) });
  }
  const networks = new Map<string, { external: boolean; name: string }>();
  for (const [key, v] of Object.entries(isMap(data.networks) ? data.networks : {})) {
    const options = isMap(v) ? v : {};
    networks.set(key, { external: options.external === true || isMap(options.external), name: scalar(options.name) ?? key });
  }
  const unsupported: string[] = [];
  for (const key of Object.keys(data)) {
    if (!['services', 'volumes', 'networks', 'secrets', 'name', 'version'].includes(key)) unsupported.push(`${key}: ${WHY_NOT[key] ?? 'no equivalent'}`);
  }
  for (const [key, volume] of volumes) if (volume.driver && volume.driver !== 'local' && !volume.bindDevice) unsupported.push(`volumes.${key}: the ${volume.driver} driver; the volume becomes a state folder`);
  const secrets = readSecrets(data.secrets, unsupported);
  const services = Object.entries(data.services).map(([name, value]) => readService(name, value, volumes));
  for (const service of services) {
    service.secrets.forEach((use, i) => {
      if (!secrets.has(use.source)) throw new ComposeError(`services.${service.name}.secrets[${i}]: \`${use.source}\` is not declared under the top-level \`secrets:\``);
    });
  }
  return { name: scalar(data.name), services, volumes, networks, secrets, unsupported };
}
