import type { Rule } from '../types';
import { siteOf } from '../types';
import type { Route } from '../../model/summary';
import { knownText } from '../../model/values';
import { validPorts } from '../facts';
import { isRouteFile } from '../../model/extract';

/** `http://localhost:8989/x` → { host: 'localhost', port: 8989 } */
export function parseUpstream(text: string): { host: string; port: number | null } | null {
  const m = /^(?:[a-z]+:\/\/)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?/.exec(text.trim());
  if (!m) return null;
  return { host: m[1], port: m[2] ? Number(m[2]) : null };
}

export const proxyRouteMissing: Rule = {
  id: 'proxy-route-missing',
  severity: 'warning',
  summary: 'A module declares a `domain` but no Caddy route serves it; or a route points at a port nothing publishes.',
  checkWorkspace(ctx) {
    const routes: Route[] = [];
    for (const file of ctx.index.files()) routes.push(...file.routes);
    const namespace = ctx.config.namespace.split('.');
    const published = new Map<number, string>();
    const containerNames = new Set<string>();
    for (const container of ctx.index.containers()) {
      containerNames.add(container.name);
      for (const p of validPorts(container, ctx.resolver)) for (const hp of p.mapping.hostPorts) published.set(hp, container.name);
    }
    const routeFacts = routes.map((route) => {
      const refs = (route.domain?.parts ?? []).filter((p): p is { ref: string[]; src: import('../../model/source').Src } => typeof p !== 'string' && 'ref' in p);
      const resolvedDomain = route.domain ? ctx.resolver.strings([route.domain])[0]?.text ?? null : null;
      const upstreams = ctx.resolver.strings(route.upstreams).map((u) => ({ value: u, target: u.text ? parseUpstream(u.text) : null }));
      return { route, refs: refs.map((r) => ctx.index.canonicalPath(r.ref).join('.')), resolvedDomain, upstreams };
    });
    for (const module of ctx.index.modules().values()) {
      const domainPath = [...namespace, module.folder, 'domain'].join('.');
      const option = ctx.index.optionDeclarations().get(domainPath);
      if (!option || module.containers.length === 0) continue;
      const domain = option.default?.k === 'str' ? knownText(ctx.resolver.strings([option.default])[0]?.parts ?? []) : null;
      const ports = new Set<number>();
      for (const container of module.containers) for (const p of validPorts(container, ctx.resolver)) p.mapping.hostPorts.forEach((hp) => ports.add(hp));
      const served = routeFacts.some(
        (r) =>
          r.refs.includes(domainPath) ||
          (domain !== null && r.resolvedDomain === domain) ||
          r.upstreams.some((u) => u.target && ((u.target.port !== null && ports.has(u.target.port)) || module.containers.some((c) => c.name === u.target!.host))),
      );
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
        if (!local) continue;
        if (published.has(u.target.port)) continue;
        ctx.report({
          ...siteOf(u.value),
          message: `this route proxies to port ${u.target.port}, which no container publishes; Caddy would answer 502. Check the port against the container's \`ports\``,
        });
      }
    }
  },
};
