import type { Rule } from '../types';
import { siteOf } from '../types';
import { bindsAllInterfaces, isDatabaseImage } from '../docker';
import { images, validPorts } from '../facts';

export const databasePortExposed: Rule = {
  id: 'database-port-exposed',
  severity: 'error',
  summary: 'A database container publishes a port on every interface; bind it to 127.0.0.1.',
  checkContainer(container, ctx) {
    const image = images(container, ctx.resolver).find((i) => isDatabaseImage(i.ref, ctx.config.databaseImages));
    if (!image) return;
    for (const { value, mapping } of validPorts(container, ctx.resolver)) {
      if (!bindsAllInterfaces(mapping)) continue;
      const port = mapping.hostPort ?? mapping.containerPort;
      const where = mapping.hostIp ? `on ${mapping.hostIp} (every interface)` : 'on every interface';
      const loopback = mapping.hostIp === '::' || mapping.hostIp === '[::]' ? '[::1]' : '127.0.0.1';
      const protocol = mapping.protocol === 'tcp' ? '' : `/${mapping.protocol}`;
      ctx.report({
        ...siteOf(value),
        message: `${container.name} (${image.ref.name}) publishes ${port}${protocol} ${where}, and published ports bypass the NixOS firewall; bind it to ${loopback} (\`${loopback}:${port}:${mapping.containerPort}${protocol}\`)`,
        data: { mapping: value.text },
      });
    }
  },
};
