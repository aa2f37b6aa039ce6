import type { Rule } from '../types';
import { siteOf } from '../types';
import { bindsAllInterfaces, isDatabaseImage } from '../docker';
import { images, validPorts } from '../facts';

export const portAllInterfaces: Rule = {
  id: 'port-all-interfaces',
  severity: 'info',
  summary: 'A port is published on every interface; bind it to an address if only the proxy or this host needs it.',
  checkContainer(container, ctx) {
    // Database images have their own, stricter rule.
    if (images(container, ctx.resolver).some((i) => isDatabaseImage(i.ref, ctx.config.databaseImages))) return;
    for (const { value, mapping } of validPorts(container, ctx.resolver)) {
      if (!bindsAllInterfaces(mapping) || mapping.hostPort === null) continue;
      ctx.report({
        ...siteOf(value),
        message: `${container.name} publishes ${mapping.hostPort} on every interface (reachable from the network, past the NixOS firewall); if only Caddy or this host needs it, use \`127.0.0.1:${mapping.hostPort}:${mapping.containerPort}\``,
        data: { mapping: value.text },
      });
    }
  },
};
