import type { Rule } from '../types';
import { siteOf } from '../types';
import { bindsAllInterfaces, isDatabaseImage } from '../docker';
import { images, validPorts } from '../facts';

export const portAllInterfaces: Rule = {
  id: 'port-all-interfaces',
  severity: 'info',
  summary: 'A port is published with no host address (so on every interface); bind it to an address if only the proxy or this host needs it.',
  checkContainer(container, ctx) {
    // Database images have their own, stricter rule; with no known image we cannot tell which rule applies.
    const known = images(container, ctx.resolver);
    if (known.length === 0 || known.some((i) => isDatabaseImage(i.ref, ctx.config.databaseImages))) return;
    for (const { value, mapping } of validPorts(container, ctx.resolver)) {
      // An explicit `0.0.0.0:`/`[::]:` is a deliberate choice (rules.md v2 §9); only a missing address is an oversight.
      if (mapping.hostIp !== null || !bindsAllInterfaces(mapping)) continue;
      const protocol = mapping.protocol === 'tcp' ? '' : `/${mapping.protocol}`;
      const what = mapping.hostPort === null ? `container port ${mapping.containerPort}${protocol} on a random host port` : `${mapping.hostPort}${protocol}`;
      const suggestion = `127.0.0.1:${mapping.hostPort ?? mapping.containerPort}:${mapping.containerPort}${protocol}`;
      ctx.report({
        ...siteOf(value),
        message: `${container.name} publishes ${what} on every interface (reachable from the network, past the NixOS firewall); if only Caddy or this host needs it, use \`${suggestion}\``,
        data: { mapping: value.text },
      });
    }
  },
};
