// Caddy routes as the engine knows them after resolution (domain, upstream hosts and
// ports), and which route serves a container. Shared by `hwc containers` and the editor.
import type { ContainerModel, Route } from '../model/summary';
import { parseUpstream } from '../rules/workspace/proxyRouteMissing';
import type { WorkspaceIndex } from './index';
import type { Resolver } from './resolve';

export interface RouteFacts {
  route: Route;
  /** The route's domain after resolution. */
  domain: string | null;
  /** Canonical option paths the domain is built from (`hwc.server.containers.sonarr.domain`). */
  domainOptions: string[];
  upstreams: Array<{ host: string; port: number | null }>;
}

/** Every route of the workspace (route files, `services.caddy.virtualHosts`), resolved. */
export function resolveRoutes(index: WorkspaceIndex, resolver: Resolver): RouteFacts[] {
  const out: RouteFacts[] = [];
  for (const file of index.files()) {
    for (const route of file.routes) {
      const domain = route.domain ? resolver.strings([route.domain])[0]?.text ?? null : null;
      const domainOptions: string[] = [];
      for (const part of route.domain?.parts ?? []) if (typeof part !== 'string' && 'ref' in part) domainOptions.push(index.canonicalPath(part.ref).join('.'));
      const upstreams: RouteFacts['upstreams'] = [];
      for (const upstream of resolver.strings(route.upstreams)) {
        const target = upstream.text ? parseUpstream(upstream.text) : null;
        if (target) upstreams.push(target);
      }
      out.push({ route, domain, domainOptions, upstreams });
    }
  }
  return out;
}

/**
 * The routes serving a container: those whose domain is its module's `domain` option (when
 * the module defines several containers, only those proxying to this one's name or ports),
 * else those that proxy to its name or to one of its published host ports on this host.
 */
export function routesServing(container: ContainerModel, hostPorts: readonly number[], routes: readonly RouteFacts[], namespace: string): RouteFacts[] {
  if (routes.length === 0) return [];
  const owners = new Set([container.name, container.moduleFolder ?? container.name]);
  const ports = new Set(hostPorts);
  const proxiesHere = (r: RouteFacts) => r.upstreams.some((u) => u.host === container.name || (u.port !== null && isLocal(u.host) && ports.has(u.port)));
  const domainOptions = new Set([...owners].map((o) => `${namespace}.${o}.domain`));
  const byOption = routes.filter((r) => r.domainOptions.some((o) => domainOptions.has(o)));
  const moduleMain = container.moduleFolder === null || container.moduleFolder === container.name;
  const mine = moduleMain ? byOption : byOption.filter(proxiesHere);
  if (mine.length > 0) return mine;
  return routes.filter((r) => r.upstreams.some((u) => owners.has(u.host)) || proxiesHere(r));
}

function isLocal(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '0.0.0.0';
}
