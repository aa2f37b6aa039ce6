import type { Rule } from '../types';
import { siteOf } from '../types';
import { ports } from '../facts';

export const invalidPortMapping: Rule = {
  id: 'invalid-port-mapping',
  severity: 'error',
  summary: 'A `ports` entry is not `[ip:][hostPort:]containerPort[/tcp|/udp]` or a port is outside 1–65535.',
  checkContainer(container, ctx) {
    for (const port of ports(container, ctx.resolver)) {
      if (!('error' in port)) continue;
      ctx.report({ ...siteOf(port.value), message: `${container.name}: port mapping \`${port.value.text}\` is invalid: ${port.error}` });
    }
  },
};
