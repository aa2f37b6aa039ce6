import type { Rule } from '../types';
import { joinCheck, siteOf } from '../types';
import type { ResolvedString } from '../../workspace/resolve';
import { networks } from '../facts';
import { isCustomNetwork } from '../container/networkDeviceConflict';

type Fact = { created: true } | { container: string; value: ResolvedString };
const CREATED: Fact = { created: true };

// Facts: `created:<network>` for what creates a network, `joins:<network>` for each
// container's `--network=<x>` naming a custom network.
export const customNetworkUndefined: Rule = {
  id: 'custom-network-undefined',
  severity: 'warning',
  summary: '`--network=<x>` names a custom network that nothing in the workspace creates.',
  join: joinCheck<Fact>({
    *fileFacts(file, ctx) {
      for (const n of file.networksCreated) yield [`created:${n.name}`, CREATED];
      for (const name of ctx.resolver.strings(file.networkNames)) if (name.text) yield [`created:${name.text}`, CREATED];
    },
    *containerFacts(container, ctx) {
      for (const { name, value } of networks(container, ctx.resolver)) {
        if (isCustomNetwork(name)) yield [`joins:${name}`, { container: container.name, value }];
      }
    },
    judge(key, facts, ctx) {
      if (!key.startsWith('joins:')) return;
      const name = key.slice('joins:'.length);
      if (ctx.lookup(`created:${name}`).length > 0) return;
      for (const fact of facts) {
        if (!('container' in fact)) continue;
        ctx.report({
          ...siteOf(fact.value),
          message: `${fact.container} joins network \`${name}\`, which nothing creates; add a \`systemd.services.podman-network-${name}\` that runs \`podman network create ${name}\``,
        });
      }
    },
  }),
};
