// Parsers for the strings containers are configured with: image references, port
// mappings (podman's `-p` syntax) and volume specs.
import { isIPv4, isIPv6 } from 'net';

export interface ImageRef {
  /** Registry host, if any (`lscr.io`, `registry.local:5000`). */
  registry: string | null;
  /** Repository path without registry, e.g. `linuxserver/sonarr`. */
  repository: string;
  /** Last path segment, e.g. `sonarr`. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** Offset of the tag within the image string (for edits), or -1. */
  tagStart: number;
}

export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  let registry: string | null = null;
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  let tagStart = -1;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    tagStart = (registry ? registry.length + 1 : 0) + colon + 1;
    rest = rest.slice(0, colon);
  }
  const segments = rest.split('/');
  return { registry, repository: rest, name: segments[segments.length - 1], tag, digest, tagStart };
}

export interface PortMapping {
  hostIp: string | null;
  hostPort: string | null;
  containerPort: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** Host ports as numbers (a range expands), empty when the host port is left to podman. */
  hostPorts: number[];
}

const PORT_RANGE = /^(\d+)(?:-(\d+))?$/;

function expand(range: string): number[] | null {
  const m = PORT_RANGE.exec(range);
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : from;
  if (from < 1 || to > 65535 || to < from || to - from > 65535) return null;
  const out: number[] = [];
  for (let p = from; p <= to; p++) out.push(p);
  return out;
}

/** Parses `[ip:][hostPort[-range]:]containerPort[-range][/proto]`; null when malformed. */
export function parsePortMapping(text: string): PortMapping | { error: string } {
  let rest = text.trim();
  let protocol: PortMapping['protocol'] = 'tcp';
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1);
    if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return { error: `unknown protocol \`${proto}\` (use tcp or udp)` };
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  let hostIp: string | null = null;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') return { error: 'an IPv6 host address must be written `[addr]:hostPort:containerPort`' };
    hostIp = rest.slice(0, close + 1);
    rest = rest.slice(close + 2);
  }
  const pieces = rest.split(':');
  // `ip:host:container`; an unbracketed IPv6 address (`::1:6379:6379`) is everything before the last two pieces.
  if (hostIp === null && pieces.length >= 3) hostIp = pieces.splice(0, pieces.length - 2).join(':');
  if (pieces.length > 2 || pieces.length === 0) return { error: 'expected `[ip:][hostPort:]containerPort[/tcp|/udp]`' };
  const containerPort = pieces[pieces.length - 1];
  const hostPort = pieces.length === 2 ? pieces[0] : null;
  if (!expand(containerPort)) return { error: `container port \`${containerPort}\` is not a port or range within 1–65535` };
  let hostPorts: number[] = [];
  if (hostPort !== null && hostPort !== '') {
    const expanded = expand(hostPort);
    if (!expanded) return { error: `host port \`${hostPort}\` is not a port or range within 1–65535` };
    hostPorts = expanded;
  }
  if (hostIp !== null && hostIp !== '' && !isIp(hostIp)) return { error: `\`${hostIp}\` is not an IP address` };
  return { hostIp: hostIp === '' ? null : hostIp, hostPort, containerPort, protocol, hostPorts };
}

function isIp(ip: string): boolean {
  if (ip.startsWith('[') && ip.endsWith(']')) return isIPv6(ip.slice(1, -1));
  return isIPv4(ip) || isIPv6(ip);
}

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function bindsAllInterfaces(mapping: PortMapping): boolean {
  return mapping.hostIp === null || ALL_INTERFACES.has(mapping.hostIp);
}

export function isLoopback(ip: string | null): boolean {
  return ip !== null && (LOOPBACK.has(ip) || ip.startsWith('127.'));
}

export const KNOWN_VOLUME_OPTIONS = new Set([
  'ro', 'rw', 'z', 'Z', 'U', 'O', 'shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate', 'nocopy', 'noexec', 'exec', 'nosuid', 'suid', 'nodev', 'dev', 'idmap',
]);

export interface VolumeSpec {
  host: string;
  target: string;
  options: string[];
  /** A named volume (no `/`), not a host path. */
  named: boolean;
  /** Only the host side is known: the rest (and so the options) holds an unknown interpolation. */
  partial?: boolean;
}

export function parseVolume(text: string): VolumeSpec | { error: string } {
  if (text.trim() === '') return { error: 'the volume is empty' };
  const pieces = text.split(':');
  if (pieces.length < 2) return { error: 'expected `hostPath:containerPath[:options]`' };
  if (pieces.length > 3) return { error: 'too many `:` (expected `hostPath:containerPath[:options]`)' };
  const [host, target, optionText] = pieces;
  if (host === '') return { error: 'the host side is empty' };
  if (target === '') return { error: 'the container side is empty' };
  const named = !host.includes('/') && /^[A-Za-z0-9][\w.-]*$/.test(host);
  if (!named && !host.startsWith('/')) return { error: `\`${host}\` is a relative host path; use an absolute path or a named volume` };
  if (!target.startsWith('/')) return { error: `the container path \`${target}\` must be absolute` };
  const options = optionText === undefined ? [] : optionText.split(',');
  const unknownOptions = options.filter((o) => !KNOWN_VOLUME_OPTIONS.has(o) && !/^idmap=/.test(o));
  if (unknownOptions.length) return { error: `unknown mount option${unknownOptions.length > 1 ? 's' : ''} \`${unknownOptions.join(',')}\`` };
  return { host, target, options, named };
}

export const DATABASE_IMAGES = [
  'postgres', 'postgresql', 'postgis', 'mysql', 'mariadb', 'mongo', 'mongodb', 'redis', 'valkey', 'keydb', 'memcached', 'influxdb', 'clickhouse',
  'clickhouse-server', 'cassandra', 'couchdb', 'elasticsearch', 'opensearch', 'timescaledb', 'timescaledb-ha', 'neo4j', 'cockroach', 'scylla', 'dragonfly', 'questdb', 'surrealdb',
];

const DATABASE_NAMES = new Set(DATABASE_IMAGES);

export function isDatabaseImage(image: ImageRef, extra: string[]): boolean {
  const known = (name: string) => DATABASE_NAMES.has(name) || extra.includes(name);
  return known(image.name) || known(image.repository) || known(image.name.replace(/-(alpine|server)$/, ''));
}

export function isLinuxserverImage(image: ImageRef): boolean {
  return image.repository.startsWith('linuxserver/') && (image.registry === null || image.registry === 'lscr.io' || image.registry === 'ghcr.io' || image.registry === 'docker.io');
}

/** Device/discovery services: they find their devices (DLNA, mDNS, SSDP, cameras, radios) on the host's LAN. */
export const DEVICE_SERVICES = ['jellyfin', 'frigate', 'home-assistant', 'homeassistant', 'plex', 'pms-docker', 'emby', 'embyserver', 'scrypted', 'zigbee2mqtt'];

/** Whether an image is a device/discovery service: the built-in list plus `discoveryImages` (names or repositories). */
export function isDiscoveryImage(image: ImageRef, extra: readonly string[]): boolean {
  return DEVICE_SERVICES.includes(image.name) || extra.includes(image.name) || extra.includes(image.repository);
}
export const BUILTIN_NETWORKS = new Set(['host', 'bridge', 'none', 'slirp4netns', 'pasta', 'private']);
