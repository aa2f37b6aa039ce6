import type { Rule } from '../types';
import { siteOf } from '../types';
import { BUILTIN_NETWORKS, isDiscoveryImage } from '../docker';
import { images, networks } from '../facts';

export function isCustomNetwork(name: string): boolean {
  return !BUILTIN_NETWORKS.has(name) && !name.startsWith('container:') && !name.startsWith('ns:');
}

// Devices alone (`--device=/dev/dri`, `/dev/net/tun`, CDI GPUs, USB radios) work on any network
// (rules.md v2 §8): only a service that discovers devices on the LAN needs the host network.
export const networkDeviceConflict: Rule = {
  id: 'network-device-conflict',
  severity: 'warning',
  summary: 'A device/discovery service sits on a custom network, where LAN discovery does not reach it; use the host network or a native service.',
  checkContainer(container, ctx) {
    const custom = networks(container, ctx.resolver).filter((n) => isCustomNetwork(n.name));
    if (custom.length === 0) return;
    const service = images(container, ctx.resolver).find((i) => isDiscoveryImage(i.ref, ctx.config.discoveryImages));
    if (!service) return;
    for (const { name, value } of custom) {
      ctx.report({
        ...siteOf(value),
        message: `${container.name} runs ${service.ref.name}, which discovers devices and clients on the LAN (mDNS, SSDP, DLNA, broadcasts), but sits on the custom network \`${name}\`, where that traffic does not reach it; use \`--network=host\` or a native NixOS service`,
      });
    }
  },
};
