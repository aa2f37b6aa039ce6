// Field validators for a new container, shared by the generator, `hwc new` and the
// wizard (which imports this file into the client bundle: no VS Code, no engine state).
// Each returns a reason a person can act on, or undefined when the value is fine.
import { isDatabaseImage, parseImage, parsePortMapping } from '../rules/docker';

/** Words Nix parses as keywords: not usable as a bare attribute name. */
const NIX_KEYWORDS = new Set(['if', 'then', 'else', 'let', 'in', 'rec', 'with', 'inherit', 'assert', 'or']);
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Why a service name is unusable on its own (uniqueness is checked against the workspace elsewhere). */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a name is required';
  if (/[/\\]/.test(name) || name.includes('..')) return `\`${name}\` contains path characters; the name becomes a folder, so use kebab-case only (e.g. \`my-service\`)`;
  if (/\s/.test(name)) return `\`${name}\` contains spaces; use kebab-case (e.g. \`${name.trim().toLowerCase().replace(/\s+/g, '-')}\`)`;
  if (/[A-Z]/.test(name)) return `\`${name}\` has upper-case letters; use kebab-case (\`${name.toLowerCase()}\`)`;
  if (name.length > 63) return 'at most 63 characters (it names a systemd unit and a host on Podman networks)';
  if (!KEBAB.test(name)) return `\`${name}\` is not kebab-case: lower-case letters and digits in words joined by single hyphens, starting with a letter`;
  if (NIX_KEYWORDS.has(name)) return `\`${name}\` is a Nix keyword; pick another name`;
  return undefined;
}

/** Characters a value may not contain because it is written inside a Nix string. */
const NIX_STRING_UNSAFE = /["\\$`]/;

export interface ImageCheck {
  error?: string;
  /** True for images the linter treats as databases (ports bound to localhost). */
  database: boolean;
}

export function checkImage(image: string, extraDatabaseImages: string[] = []): ImageCheck {
  const text = image.trim();
  if (text.length === 0) return { error: 'an image is required, with a tag (e.g. `lscr.io/linuxserver/sonarr:4.0.14`)', database: false };
  if (text !== image || /\s/.test(text)) return { error: 'the image may not contain spaces', database: false };
  if (NIX_STRING_UNSAFE.test(text) || !/^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(text)) return { error: `\`${text}\` is not an image reference (registry/name:tag)`, database: false };
  const ref = parseImage(text);
  const database = isDatabaseImage(ref, extraDatabaseImages);
  if (ref.digest !== null) {
    if (!/^sha256:[0-9a-f]{64}$/.test(ref.digest)) return { error: 'a digest is `@sha256:` followed by 64 hex digits', database };
    return { database };
  }
  if (ref.tag === null || ref.tag === '') return { error: `\`${text}\` has no tag, which means \`latest\`; pin a version (e.g. \`${text}:1.2.3\`) or a digest`, database };
  if (ref.tag === 'latest') return { error: `the \`latest\` tag changes under you on every pull; pin a version (e.g. \`${text.slice(0, -':latest'.length)}:1.2.3\`) or a digest`, database };
  return { database };
}

export interface PortRequest {
  /** Host address as written (`127.0.0.1`, `0.0.0.0`, `[::1]`), null when none was given. */
  hostIp: string | null;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** `8080`, `8080:80`, `127.0.0.1:8080:80`, `…/udp`: one published port (no ranges). */
export function parsePortRequest(text: string): PortRequest | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'empty port mapping' };
  const full = /^\d+(\/(tcp|udp))?$/.test(trimmed) ? `${trimmed.split('/')[0]}:${trimmed}` : trimmed;
  const parsed = parsePortMapping(full);
  if ('error' in parsed) return { error: `\`${trimmed}\`: ${parsed.error}` };
  if (parsed.protocol === 'sctp') return { error: `\`${trimmed}\`: only tcp and udp ports are supported here` };
  if (parsed.hostPort === null || parsed.hostPort === '') return { error: `\`${trimmed}\`: give the host port too (\`host:container\`)` };
  if (parsed.hostPorts.length !== 1 || parsed.containerPort.includes('-')) return { error: `\`${trimmed}\`: one port per mapping (no ranges)` };
  return { hostIp: parsed.hostIp, hostPort: parsed.hostPorts[0], containerPort: Number(parsed.containerPort), protocol: parsed.protocol };
}

/** Splits a ports field typed as `8080:80, 127.0.0.1:9000:9000 53:53/udp`. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function isAllInterfaces(ip: string | null): boolean {
  return ip === null || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}

export function formatPort(p: PortRequest): string {
  return `${p.hostIp ? `${p.hostIp}:` : ''}${p.hostPort}:${p.containerPort}${p.protocol === 'udp' ? '/udp' : ''}`;
}

export function domainProblem(domain: string): string | undefined {
  if (domain.length === 0) return 'a domain is required';
  if (domain.length > 253 || !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(domain)) {
    return `\`${domain}\` is not a host name (lower-case labels separated by dots, e.g. \`sonarr.local\`)`;
  }
  return undefined;
}

export function emailProblem(email: string): string | undefined {
  if (!/^[^\s@"\\$`]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(email)) return `\`${email}\` is not an email address`;
  return undefined;
}

export function basicAuthUserProblem(user: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(user) || NIX_KEYWORDS.has(user)) return 'a user name of letters, digits, `_` and `-`, starting with a letter';
  return undefined;
}

/** Caddy's basicauth takes a bcrypt hash (`caddy hash-password`), never the password itself. */
export function bcryptProblem(hash: string): string | undefined {
  if (!/^\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) return 'not a bcrypt hash; paste the output of `caddy hash-password` (it starts with `$2a$14$`)';
  return undefined;
}

export function envNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `\`${name}\` is not an environment variable name (letters, digits and \`_\`, not starting with a digit)`;
  return undefined;
}

export function secretValueProblem(value: string): string | undefined {
  if (value.length === 0) return 'the value is empty';
  if (/[\r\n\0]/.test(value)) return 'an environment file holds one line per variable: the value may not contain line breaks';
  return undefined;
}

/** Podman's network-name rule; `host`/`bridge`/… are modes, not networks to create. */
export function networkNameProblem(name: string): string | undefined {
  if (['bridge', 'none', 'slirp4netns', 'pasta', 'private', 'podman'].includes(name)) return `\`${name}\` is a built-in Podman network mode, not a custom network`;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name) || name.length > 63) return `\`${name}\` is not a Podman network name (letters, digits, \`_\`, \`.\`, \`-\`)`;
  return undefined;
}

export { isDatabaseImage, parseImage };
