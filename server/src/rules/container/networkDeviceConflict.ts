import type { Rule } from '../types';
import { siteOf } from '../types';
import { BUILTIN_NETWORKS, DEVICE_SERVICES } from '../docker';
import { extraOptions, images, networks } from '../facts';

export function isCustomNetwork(name: string): boolean {
  return !BUILTIN_NETWORKS.has(name) && !name.startsWith('container:') && !name.startsWith('ns:');
}

export const networkDeviceConflict: Rule = {
  id: 'network-device-conflict',
  severity: 'warning',
  summary: 'A container on a custom network needs devices or device discovery; use the host network or a native service.',
  checkContainer(container, ctx) {
    const custom = networks(container, ctx.resolver).filter((n) => isCustomNetwork(n.name));
    if (custom.length === 0) return;
    const hasDevices =
      ctx.resolver.strings(container.fields.devices).length > 0 || extraOptions(container, ctx.resolver).some((o) => o.text?.startsWith('--device'));
    const deviceImage = images(container, ctx.resolver).find((i) => DEVICE_SERVICES.includes(i.ref.name));
    if (!hasDevices && !deviceImage) return;
    const why = hasDevices ? 'takes host devices' : `runs ${deviceImage!.ref.name}, which discovers devices on the LAN`;
    for (const { name, value } of custom) {
      ctx.report({
        ...siteOf(value),
        message: `${container.name} ${why} but sits on the custom network \`${name}\`, where devices and discovery do not reach it; use \`--network=host\` or a native NixOS service`,
      });
    }
  },
};
