import type { Rule } from '../types';
import { joinCheck, siteOf } from '../types';
import type { OptionDecl } from '../../model/summary';
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

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'];
// Facts whose presence is all a judgement reads: one shared object each.
const SERVED = { served: true } as const;
const PUBLISHED = { published: true } as const;

type Fact =
  | { served: true }
  | { published: true }
  | { container: string; hostPorts: number[] }
  | { domainOption: OptionDecl; domainPath: string; domain: string | null }
  | { upstream: ResolvedString; port: number };

// Facts:
// - what routes serve: `served:ref:<option path>`, `served:domain:<text>`, `served:port:<n>`,
//   `served:host:<name>`;
// - what publishes a host port: `published:<n>` (mappings, and host-network containers,
//   which listen on their module's `port` option directly);
// - per module folder (`module:<folder>`): its `domain` option and its containers;
// - per local upstream of a route file (`upstream:<n>`), judged against `published:<n>`.
export const proxyRouteMissing: Rule = {
  id: 'proxy-route-missing',
  severity: 'warning',
  summary: 'A module declares a `domain` but no Caddy route serves it; or a route points at a port nothing publishes.',
  join: joinCheck<Fact>({
    *containerFacts(container, ctx) {
      const hostPorts = validPorts(container, ctx.resolver).flatMap((p) => p.mapping.hostPorts);
      for (const hp of hostPorts) yield [`published:${hp}`, PUBLISHED];
      if (!container.moduleFolder) return;
      yield [`module:${container.moduleFolder}`, { container: container.name, hostPorts }];
      if (networks(container, ctx.resolver).some((n) => n.name === 'host')) {
        const namespace = ctx.config.namespace.split('.');
        const port = ctx.index.optionDeclarations().get([...namespace, container.moduleFolder, 'port'].join('.'));
        if (port) ctx.resolver.dependencies.add(port.src.file);
        if (port?.default?.k === 'int') yield [`published:${port.default.v}`, PUBLISHED];
      }
    },
    *fileFacts(file, ctx) {
      const namespace = ctx.config.namespace.split('.');
      for (const option of file.options) {
        const path = option.path;
        if (path.length !== namespace.length + 2 || path[path.length - 1] !== 'domain' || !namespace.every((seg, i) => path[i] === seg)) continue;
        const domain = option.default?.k === 'str' ? knownText(ctx.resolver.strings([option.default])[0]?.parts ?? []) : null;
        yield [`module:${path[namespace.length]}`, { domainOption: option, domainPath: path.join('.'), domain }];
      }
      for (const route of file.routes) {
        for (const part of route.domain?.parts ?? []) if (typeof part !== 'string' && 'ref' in part) yield [`served:ref:${ctx.index.canonicalPath(part.ref).join('.')}`, SERVED];
        const domain = route.domain ? ctx.resolver.strings([route.domain])[0]?.text ?? null : null;
        if (domain !== null) yield [`served:domain:${domain}`, SERVED];
        const checked = isRouteFile(route.src.file, ctx.config);
        for (const upstream of ctx.resolver.strings(route.upstreams)) {
          const target = upstream.text ? parseUpstream(upstream.text) : null;
          if (!target) continue;
          // Container names are what hosts are checked against; localhost is none.
          if (!LOCAL_HOSTS.includes(target.host)) yield [`served:host:${target.host}`, SERVED];
          if (target.port === null) continue;
          yield [`served:port:${target.port}`, SERVED];
          if (checked && LOCAL_HOSTS.includes(target.host)) yield [`upstream:${target.port}`, { upstream, port: target.port }];
        }
      }
    },
    judge(key, facts, ctx) {
      const served = (k: string) => ctx.lookup(`served:${k}`).length > 0;
      if (key.startsWith('module:')) {
        const folder = key.slice('module:'.length);
        const declaration = facts.find((f): f is Extract<Fact, { domainOption: OptionDecl }> => 'domainOption' in f);
        const containers = facts.filter((f): f is Extract<Fact, { container: string }> => 'container' in f);
        if (!declaration || containers.length === 0) return;
        const { domainOption, domainPath, domain } = declaration;
        if (served(`ref:${domainPath}`) || (domain !== null && served(`domain:${domain}`))) return;
        if (containers.some((c) => served(`host:${c.container}`) || c.hostPorts.some((hp) => served(`port:${hp}`)))) return;
        ctx.report({
          src: domainOption.src,
          message: `\`${folder}\` declares domain${domain ? ` \`${domain}\`` : ''} but no Caddy route serves it; ${ctx.config.routesFile ? `add an entry to ${ctx.config.routesFile}` : `add ${ctx.config.routesFolder}/${folder}.nix`} with \`"\${cfg.domain}".reverse_proxy.to = "http://localhost:\${toString cfg.port}";\``,
        });
      } else if (key.startsWith('upstream:')) {
        if (ctx.lookup(`published:${key.slice('upstream:'.length)}`).length > 0) return;
        for (const fact of facts) {
          if (!('upstream' in fact)) continue;
          ctx.report({
            ...siteOf(fact.upstream),
            message: `this route proxies to port ${fact.port}, which no container publishes; Caddy would answer 502. Check the port against the container's \`ports\``,
          });
        }
      }
    },
  }),
};
