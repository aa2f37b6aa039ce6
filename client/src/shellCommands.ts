// The exact command lines the validation commands type into a terminal. No VS Code
// imports: unit tests check quoting and port handling directly.

/** Quotes a word for POSIX shells unless it is plainly safe. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A flake output name we are willing to put on a command line unquoted (`.#server`). */
export function isValidFlakeHost(host: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(host);
}

export function nixosRebuildCommand(action: 'dry-build' | 'switch', host: string): string {
  if (!isValidFlakeHost(host)) throw new Error(`"${host}" is not a valid flake host name (setting hwc.flakeHost).`);
  return `nixos-rebuild ${action} --flake .#${host}`;
}

/** `sudo podman ps` for one container (exact name, stopped ones included) or for all. */
export function podmanStatusCommand(name?: string): string {
  return name === undefined ? 'sudo podman ps --all' : `sudo podman ps --all --filter ${shellQuote(`name=^${name}$`)}`;
}

export function podmanLogsCommand(name: string): string {
  return `sudo podman logs -f ${shellQuote(name)}`;
}

/**
 * The host side of a published port ("127.0.0.1:5432:5432", "8080:80", "8000-8010:8000-8010/tcp")
 * as a URL authority, or undefined when it cannot be reached with HTTP from this
 * machine at a known port (UDP, a random host port, an unresolved `${…}`).
 */
export function hostEndpoint(mapping: string): string | undefined {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d+)(?:-\d+)?:\d+(?:-\d+)?(?:\/(tcp|udp|sctp))?$/.exec(mapping.trim());
  if (!match || (match[3] !== undefined && match[3] !== 'tcp')) return undefined;
  const [, ip, port] = match;
  const anyAddress = ip === undefined || ip === '0.0.0.0' || ip === '[::]' || ip === '127.0.0.1' || ip === '[::1]';
  return `${anyAddress ? 'localhost' : ip}:${port}`;
}

const httpStatusOnly = `curl -sS -o /dev/null -w '%{http_code}\\n'`;

/** One curl per distinct published HTTP-reachable port, then one for the route's domain. */
export function endpointTestCommands(ports: readonly string[], domain: string | null): string[] {
  const endpoints = [...new Set(ports.map(hostEndpoint).filter((e): e is string => e !== undefined))];
  const commands = endpoints.map((endpoint) => `${httpStatusOnly} ${shellQuote(`http://${endpoint}`)}`);
  if (domain !== null && /^[A-Za-z0-9.-]+(?::\d+)?$/.test(domain)) commands.push(`${httpStatusOnly} ${shellQuote(`http://${domain}`)}`);
  return commands;
}
