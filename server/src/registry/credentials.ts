// Registry credentials from the files Podman and Docker already use: `$REGISTRY_AUTH_FILE`,
// `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.config/containers/auth.json`, then
// `~/.docker/config.json` (their `auths.<host>.auth`, base64 of `user:password`). Only the
// first readable file counts, as Podman does. Credentials are handed to a token service
// over HTTPS and never printed; credential helpers (`credsStore`) are not run.
import * as os from 'os';
import * as path from 'path';
import { readBounded } from '../io/readBounded';

export interface RegistryCredentials {
  /** `base64(user:password)` for a registry host, if the auth file has one. */
  basicFor(host: string): string | undefined;
  /** Where they came from (a path; never the secret). */
  source: string | null;
}

const MAX_AUTH_FILE_BYTES = 1024 * 1024;

export function authFileCandidates(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string[] {
  const candidates: string[] = [];
  if (env.REGISTRY_AUTH_FILE) candidates.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) candidates.push(path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  candidates.push(path.join(home, '.config', 'containers', 'auth.json'), path.join(home, '.docker', 'config.json'));
  return candidates;
}

export function loadCredentials(candidates: readonly string[] = authFileCandidates()): RegistryCredentials {
  for (const file of candidates) {
    const auths = readAuths(file);
    if (auths) {
      return {
        source: file,
        basicFor: (host) => auths.get(host) ?? auths.get(`https://${host}`) ?? (host === 'docker.io' ? auths.get('https://index.docker.io/v1') ?? auths.get('index.docker.io') : undefined),
      };
    }
  }
  return { source: null, basicFor: () => undefined };
}

function readAuths(file: string): Map<string, string> | null {
  try {
    // Bounded like every other read: a FIFO or a device named by $REGISTRY_AUTH_FILE is no auth file, never a hang.
    const read = readBounded(file, MAX_AUTH_FILE_BYTES);
    if (!('buffer' in read)) return null;
    const parsed = JSON.parse(read.buffer.toString('utf8')) as { auths?: unknown };
    if (!parsed || typeof parsed.auths !== 'object' || parsed.auths === null) return null;
    const auths = new Map<string, string>();
    for (const [host, entry] of Object.entries(parsed.auths as Record<string, unknown>)) {
      const auth = (entry as { auth?: unknown } | null)?.auth;
      if (typeof auth === 'string' && /^[A-Za-z0-9+/=]+$/.test(auth)) auths.set(host.replace(/\/+$/, ''), auth);
    }
    return auths;
  } catch {
    return null;
  }
}
