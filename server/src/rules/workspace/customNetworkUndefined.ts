import type { Rule } from '../types';
import { siteOf } from '../types';
import { networks } from '../facts';
import { isCustomNetwork } from '../container/networkDeviceConflict';

export const customNetworkUndefined: Rule = {
  id: 'custom-network-undefined',
  severity: 'warning',
  summary: '`--network=<x>` names a custom network that nothing in the workspace creates.',
  checkWorkspace(ctx) {
    const created = new Set<string>();
    for (const file of ctx.index.files()) {
      for (const n of file.networksCreated) created.add(n.name);
      for (const name of ctx.resolver.strings(file.networkNames)) if (name.text) created.add(name.text);
    }
    for (const container of ctx.index.containers()) {
      for (const { name, value } of networks(container, ctx.resolver)) {
        if (!isCustomNetwork(name) || created.has(name)) continue;
        ctx.report({
          ...siteOf(value),
          message: `${container.name} joins network \`${name}\`, which nothing creates; add a \`systemd.services.podman-network-${name}\` that runs \`podman network create ${name}\``,
        });
      }
    }
  },
};
