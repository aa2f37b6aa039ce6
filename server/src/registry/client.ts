// A small client for the OCI Distribution API: the tags of a repository
// (`/v2/<name>/tags/list`, following `Link` pagination) and the digest of a tag (`HEAD` on
// the manifest, `Docker-Content-Digest`, multi-arch indexes included). Registries answer
// 401 with a `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge: the client
// fetches an anonymous token there (or one with the credentials of the usual auth file) and
// retries. 429 is honoured once when `Retry-After` is short, else reported. Every request
// has a timeout; answers are cached (tags for an hour, digests for a day). Plain HTTP only
// for loopback hosts listed as insecure. No VS Code import: the CLI, the server and the
// tests share it.
import { isIP } from 'net';
import type { RegistryCredentials } from './credentials';

export interface RegistryOptions {
  /** Hosts (`127.0.0.1:5000`) reached over plain HTTP; only loopback addresses are accepted. */
  insecureHosts?: readonly string[];
  timeoutMs?: number;
  credentials?: RegistryCredentials;
  /** Longest `Retry-After` (seconds) worth waiting for once. */
  maxRetryAfterSeconds?: number;
  /** Tags asked per page (`n`); registries may send fewer and a `Link` to the rest. */
  pageSize?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'timeout' | 'rate-limited' | 'unauthorized' | 'not-found' | 'protocol' | 'refused',
  ) {
    super(message);
  }
}

/** Where an image lives on the network: `docker.io/sonarr` → registry-1.docker.io, `library/sonarr`. */
export interface RemoteRepository {
  /** Host as written in the image (for messages and insecure-host matching). */
  host: string;
  /** Host to contact. */
  endpoint: string;
  repository: string;
}

export function remoteRepository(registry: string | null, repository: string): RemoteRepository {
  const host = registry ?? 'docker.io';
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') {
    return { host: 'docker.io', endpoint: 'registry-1.docker.io', repository: repository.includes('/') ? repository : `library/${repository}` };
  }
  return { host, endpoint: host, repository };
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const TAGS_TTL_MS = 60 * 60 * 1000;
const DIGEST_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_PAGES = 50;

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return isIP(name) === 6 && (name === '::1' || name === '0:0:0:0:0:0:0:1');
}

export class RegistryClient {
  private readonly tagsCache = new Map<string, { at: number; tags: string[] }>();
  private readonly digestCache = new Map<string, { at: number; digest: string }>();
  private readonly tokens = new Map<string, string>();
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly insecure: Set<string>;

  constructor(private readonly options: RegistryOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    for (const host of options.insecureHosts ?? []) {
      if (!isLoopbackHost(host)) throw new RegistryError(`plain HTTP is allowed only for loopback registries, not ${host}`, 'refused');
    }
    this.insecure = new Set(options.insecureHosts ?? []);
  }

  /** Every tag of the repository, following pagination. */
  async listTags(remote: RemoteRepository): Promise<string[]> {
    const key = `${remote.endpoint}/${remote.repository}`;
    const cached = this.tagsCache.get(key);
    if (cached && this.now() - cached.at < TAGS_TTL_MS) return cached.tags;
    const tags: string[] = [];
    let url: string | null = `${this.base(remote)}/v2/${remote.repository}/tags/list?n=${this.options.pageSize ?? 1000}`;
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const response = await this.request(remote, url, { method: 'GET', headers: { Accept: 'application/json' } }, 'pull');
      const body = (await response.json().catch(() => null)) as { tags?: unknown } | null;
      if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))) throw new RegistryError(`${remote.host}: the tag list of ${remote.repository} is not JSON the Distribution API describes`, 'protocol');
      for (const tag of (body.tags as unknown[] | null | undefined) ?? []) if (typeof tag === 'string') tags.push(tag);
      url = nextPage(response.headers.get('link'), url);
    }
    this.tagsCache.set(key, { at: this.now(), tags });
    return tags;
  }

  /** The manifest digest of a tag (of the index, for a multi-arch image). */
  async digest(remote: RemoteRepository, tag: string): Promise<string> {
    const key = `${remote.endpoint}/${remote.repository}:${tag}`;
    const cached = this.digestCache.get(key);
    if (cached && this.now() - cached.at < DIGEST_TTL_MS) return cached.digest;
    const url = `${this.base(remote)}/v2/${remote.repository}/manifests/${encodeURIComponent(tag)}`;
    const response = await this.request(remote, url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } }, 'pull');
    const digest = response.headers.get('docker-content-digest');
    if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new RegistryError(`${remote.host}: no digest for ${remote.repository}:${tag}`, 'protocol');
    this.digestCache.set(key, { at: this.now(), digest });
    return digest;
  }

  private base(remote: RemoteRepository): string {
    return `${this.insecure.has(remote.endpoint) || this.insecure.has(remote.host) ? 'http' : 'https'}://${remote.endpoint}`;
  }

  private async request(remote: RemoteRepository, url: string, init: RequestInit, action: string, retried = { auth: false, rate: false }): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = this.tokens.get(`${remote.endpoint}/${remote.repository}`);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await this.send(remote, url, { ...init, headers });
    if (response.status === 401 && !retried.auth) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      if (!challenge) throw new RegistryError(`${remote.host}: authentication required and no token service was named`, 'unauthorized');
      await this.fetchToken(remote, challenge, action);
      return this.request(remote, url, init, action, { ...retried, auth: true });
    }
    if (response.status === 429) {
      const wait = Number(response.headers.get('retry-after'));
      const limit = this.options.maxRetryAfterSeconds ?? 5;
      if (!retried.rate && Number.isFinite(wait) && wait >= 0 && wait <= limit) {
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        return this.request(remote, url, init, action, { ...retried, rate: true });
      }
      throw new RegistryError(`${remote.host}: rate limited (HTTP 429${Number.isFinite(wait) ? `, retry after ${wait} s` : ''}); try again later`, 'rate-limited');
    }
    if (response.status === 401 || response.status === 403) throw new RegistryError(`${remote.host}: access to ${remote.repository} denied (HTTP ${response.status}); set credentials in ~/.docker/config.json or $REGISTRY_AUTH_FILE`, 'unauthorized');
    if (response.status === 404) throw new RegistryError(`${remote.host}: ${remote.repository} not found (HTTP 404)`, 'not-found');
    if (!response.ok) throw new RegistryError(`${remote.host}: HTTP ${response.status} for ${remote.repository}`, 'protocol');
    return response;
  }

  private async fetchToken(remote: RemoteRepository, challenge: Challenge, action: string): Promise<void> {
    let realm: URL;
    try {
      realm = new URL(challenge.realm);
    } catch {
      throw new RegistryError(`${remote.host}: the token service \`${challenge.realm}\` is not a URL`, 'protocol');
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackHost(realm.host) && this.insecure.size > 0)) {
      throw new RegistryError(`${remote.host}: refusing a token service over plain HTTP (${realm.host})`, 'refused');
    }
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    realm.searchParams.set('scope', challenge.scope ?? `repository:${remote.repository}:${action}`);
    const headers = new Headers();
    const basic = this.options.credentials?.basicFor(remote.host) ?? this.options.credentials?.basicFor(remote.endpoint);
    if (basic) headers.set('Authorization', `Basic ${basic}`);
    const response = await this.send(remote, realm.toString(), { method: 'GET', headers });
    if (!response.ok) throw new RegistryError(`${remote.host}: the token service answered HTTP ${response.status}`, response.status === 429 ? 'rate-limited' : 'unauthorized');
    const body = (await response.json().catch(() => null)) as { token?: unknown; access_token?: unknown } | null;
    const token = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : null;
    if (!token) throw new RegistryError(`${remote.host}: the token service sent no token`, 'protocol');
    this.tokens.set(`${remote.endpoint}/${remote.repository}`, token);
  }

  private async send(remote: RemoteRepository, url: string, init: RequestInit): Promise<Response> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    try {
      return await this.fetchImpl(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new RegistryError(`${remote.host}: no answer within ${timeoutMs / 1000} s`, 'timeout');
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new RegistryError(`${remote.host}: cannot reach the registry${cause ? ` (${cause})` : ''}`, 'unreachable');
    }
  }
}

interface Challenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="…"`. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header || !/^bearer\s/i.test(header)) return null;
  const params: Record<string, string> = Object.create(null);
  for (const m of header.slice(7).matchAll(/([a-z]+)="([^"]*)"/gi)) params[m[1].toLowerCase()] = m[2];
  return params.realm ? { realm: params.realm, service: params.service, scope: params.scope } : null;
}

/** The next page from a `Link: </v2/x/tags/list?last=a&n=100>; rel="next"` header, resolved against the current URL. */
function nextPage(link: string | null, current: string): string | null {
  const match = link && /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link);
  if (!match) return null;
  const next = new URL(match[1], current);
  // A registry may only page within itself.
  return next.host === new URL(current).host ? next.toString() : null;
}
