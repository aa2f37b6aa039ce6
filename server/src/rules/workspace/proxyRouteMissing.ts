import type { Rule } from '../types';
import { siteOf } from '../types';
import type { Route } from '../../model/summary';
import { knownText } from '../../model/values';
import { networks, validPorts } from '../facts';
import type { ResolvedString } from '../../workspace/resolve';
import { isRouteFile } from '../../model/extract';

interface Upstream {
  host: string;
  port: number | null;
}

/** `http://localhost:8989/x` → { host: 'localhost', port: 8989 } */
export function parseUpstream(text: string): Upstream | null {
  const m = /^(?:[a-z]+:\/\/)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?/.exec(text.trim());
  if (!m) return null;
  return { host: m[1], port: m[2] ? Number(m[2]) : null };
}

export const proxyRouteMissing: Rule = {
  id: 'proxy-route-missing',
  severity: 'warning',
  summary: 'A module declares a `domain` but no Caddy route serves it; or a route points at a port nothing publishes.',
  checkWorkspace(ctx) {
    const namespace = ctx.config.namespace.split('.');
    // What publishes a port on the host: mappings, and host-network containers, which
    // listen on their module's `port` option directly.
    const published = new Map<number, string>();
    for (const container of ctx.index.containers()) {
      for (const p of validPorts(container, ctx.resolver)) for (const hp of p.mapping.hostPorts) published.set(hp, container.name);
      if (container.moduleFolder && networks(container, ctx.resolver).some((n) => n.name === 'host')) {
        const port = ctx.index.optionDeclarations().get([...namespace, container.moduleFolder, 'port'].join('.'))?.default;
        if (port?.k === 'int') published.set(port.v, container.name);
      }
    }
    // Everything the routes serve, as sets: the check per module is then a few lookups.
    const servedRefs = new Set<string>();
    const servedDomains = new Set<string>();
    const servedPorts = new Set<number>();
    const servedHosts = new Set<string>();
    const routeFacts: Array<{ route: Route; upstreams: Array<{ value: ResolvedString; target: Upstream | null }> }> = [];
    for (const file of ctx.index.files()) {
      for (const route of file.routes) {
        const facts = ctx.resolver.cached(route, 'routeFacts', (resolver) => ({
          refs: (route.domain?.parts ?? []).flatMap((p) => (typeof p !== 'string' && 'ref' in p ? [ctx.index.canonicalPath(p.ref).join('.')] : [])),
          domain: route.domain ? resolver.strings([route.domain])[0]?.text ?? null : null,
          upstreams: resolver.strings(route.upstreams).map((u) => ({ value: u, target: u.text ? parseUpstream(u.text) : null })),
        }));
        facts.refs.forEach((r) => servedRefs.add(r));
        if (facts.domain !== null) servedDomains.add(facts.domain);
        for (const u of facts.upstreams) {
          if (u.target?.port != null) servedPorts.add(u.target.port);
          if (u.target) servedHosts.add(u.target.host);
        }
        routeFacts.push({ route, upstreams: facts.upstreams });
      }
    }
    for (const module of ctx.index.modules().values()) {
      const domainPath = [...namespace, module.folder, 'domain'].join('.');
      const option = ctx.index.optionDeclarations().get(domainPath);
      if (!option || module.containers.length === 0) continue;
      const domain = option.default?.k === 'str' ? knownText(ctx.resolver.strings([option.default])[0]?.parts ?? []) : null;
      const served =
        servedRefs.has(domainPath) ||
        (domain !== null && servedDomains.has(domain)) ||
        module.containers.some((c) => servedHosts.has(c.name) || validPorts(c, ctx.resolver).some((p) => p.mapping.hostPorts.some((hp) => servedPorts.has(hp))));
      if (served) continue;
      ctx.report({
        src: option.src,
        message: `\`${module.folder}\` declares domain${domain ? ` \`${domain}\`` : ''} but no Caddy route serves it; add ${ctx.config.routesFolder}/${module.folder}.nix with \`"\${cfg.domain}".reverse_proxy.to = "http://localhost:\${toString cfg.port}";\``,
      });
    }
    for (const r of routeFacts) {
      if (!isRouteFile(r.route.src.file, ctx.config)) continue;
      for (const u of r.upstreams) {
        if (!u.target || u.target.port === null) continue;
        const local = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(u.target.host);
        if (!local || published.has(u.target.port)) continue;
        ctx.report({
          ...siteOf(u.value),
          message: `this route proxies to port ${u.target.port}, which no container publishes; Caddy would answer 502. Check the port against the container's \`ports\``,
        });
      }
    }
  },
};
