// The validation commands (dry-build, switch, podman status and logs, curl the endpoint)
// as programs with argument arrays. Container names, host addresses and domains come from
// repository files, so they are untrusted: they are validated strictly here and then passed
// to the program as separate arguments, never typed into a shell, where a control byte
// (Ctrl-U erases the typed line), a quote a shell reads differently (fish's `\'`,
// PowerShell's U+2018) or a `$(…)` would turn them into commands of their own.
// No VS Code imports: unit and security tests run these functions directly.

/** One program run without a shell. `display` is for people: each word quoted so it reads the same in any shell. */
export interface HostCommand {
  program: string;
  args: string[];
  display: string;
}

export class RefusedInputError extends Error {}

/** Podman's rule for container names. */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const FLAKE_HOST = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** A DNS name: labels of letters, digits and inner hyphens. */
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

export function isValidContainerName(name: string): boolean {
  return name.length <= 253 && CONTAINER_NAME.test(name);
}

export function isValidFlakeHost(host: string): boolean {
  return host.length <= 253 && FLAKE_HOST.test(host);
}

/** Text from the repository, shown in a message: quoted, control and invisible characters as escapes. */
export function showUntrusted(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `"${shown.replace(/["\\]/g, '\\$&').replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)}"`;
}

function requireContainerName(name: string): void {
  if (!isValidContainerName(name)) {
    throw new RefusedInputError(
      `refusing to run a command for the container ${showUntrusted(name)}: a Podman container name is a letter or digit followed by letters, digits, '_', '.' or '-'.`,
    );
  }
}

/** Quotes a word for display only; the program gets the word itself. Safe words stay bare. */
function displayWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) && !word.startsWith('=')) return word;
  // Validated names never hold a quote; our own constants (the curl format) neither. Single quotes keep
  // every other character literal in POSIX shells and fish alike.
  if (/['\p{Cc}\p{Cf}]/u.test(word)) throw new RefusedInputError(`refusing to show ${showUntrusted(word)} as a command word.`);
  return `'${word}'`;
}

function command(program: string, args: string[]): HostCommand {
  return { program, args, display: [program, ...args].map(displayWord).join(' ') };
}

export function nixosRebuildCommand(action: 'dry-build' | 'switch', host: string): HostCommand {
  if (!isValidFlakeHost(host)) throw new RefusedInputError(`${showUntrusted(host)} is not a valid flake host name (setting hwc.flakeHost).`);
  return command('nixos-rebuild', [action, '--flake', `.#${host}`]);
}

/** `sudo podman ps` for one container (exact name, stopped ones included) or for all. */
export function podmanStatusCommand(name?: string): HostCommand {
  if (name === undefined) return command('sudo', ['podman', 'ps', '--all']);
  requireContainerName(name);
  // The name is a regular expression to podman's filter; a valid name's only special character is '.'.
  return command('sudo', ['podman', 'ps', '--all', '--filter', `name=^${name.replace(/\./g, '\\.')}$`]);
}

export function podmanLogsCommand(name: string): HostCommand {
  requireContainerName(name);
  return command('sudo', ['podman', 'logs', '--follow', '--', name]);
}

/** A host address of a port mapping, validated: IPv4 dotted quad or bracketed IPv6. */
function hostAddress(ip: string): string | undefined {
  if (IPV4.test(ip)) return ip;
  if (ip.startsWith('[') && ip.endsWith(']') && IPV6.test(ip.slice(1, -1)) && ip.includes(':')) return ip.toLowerCase();
  return undefined;
}

/**
 * The host side of a published port ("127.0.0.1:5432:5432", "8080:80", "8000-8010:8000-8010/tcp")
 * as a URL authority; undefined when it cannot be reached with HTTP from this machine at a
 * known port (UDP, a random host port, an unresolved `${…}`); `null` when the text does not
 * validate as a port mapping at all (refused).
 */
export function hostEndpoint(mapping: string): string | undefined | null {
  // Unresolved interpolation, a container port only ("8080/tcp"), or a random host port ("127.0.0.1::80").
  if (mapping.includes('${') || /^\d{1,5}(?:-\d{1,5})?(?:\/[a-z]+)?$/.test(mapping) || /^(?:\[[^\]]*\]|[^:[\]]*)::\d/.test(mapping)) return undefined;
  const match = /^(?:(\[[^\]]*\]|[^:[\]]*):)?(\d{1,5})(?:-\d{1,5})?:\d{1,5}(?:-\d{1,5})?(?:\/(tcp|udp|sctp))?$/.exec(mapping);
  if (!match) return null;
  const [, ip, port, protocol] = match;
  if (Number(port) < 1 || Number(port) > 65535) return null;
  const address = ip === undefined || ip === '0.0.0.0' || ip === '[::]' || ip === '127.0.0.1' || ip === '[::1]' ? 'localhost' : hostAddress(ip);
  if (address === undefined) return null;
  return protocol !== undefined && protocol !== 'tcp' ? undefined : `${address}:${port}`;
}

export interface EndpointTest {
  command: HostCommand | undefined;
  /** Entries that did not validate, for the user to see (never run). */
  refused: string[];
}

/** One curl for every distinct published HTTP-reachable port, then the route's domain. */
export function endpointTestCommand(ports: readonly string[], domain: string | null): EndpointTest {
  const refused: string[] = [];
  const urls: string[] = [];
  for (const mapping of ports) {
    const endpoint = hostEndpoint(mapping);
    if (endpoint === null) refused.push(mapping);
    else if (endpoint !== undefined && !urls.includes(`http://${endpoint}`)) urls.push(`http://${endpoint}`);
  }
  if (domain !== null && !domain.includes('${')) {
    const [name, port, ...rest] = domain.split(':');
    if (DOMAIN.test(name) && rest.length === 0 && (port === undefined || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))) urls.push(`http://${domain}`);
    else refused.push(domain);
  }
  if (urls.length === 0) return { command: undefined, refused };
  const args = ['--silent', '--show-error', '--write-out', '%{url_effective} %{http_code}\\n'];
  for (const url of urls) args.push('--output', '/dev/null', url);
  return { command: command('curl', args), refused };
}
