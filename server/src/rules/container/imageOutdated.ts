import type { Rule } from '../types';
import { siteOf } from '../types';
import { images } from '../facts';

/**
 * A pinned tag behind the newest stable release on its track (same shape, variant and major
 * version). Needs the registry: only `hwc lint` with `registry.lookups` asks it, so the rule
 * is silent everywhere else (the editor's hover shows the same news).
 */
export const imageOutdated: Rule = {
  id: 'image-outdated',
  severity: 'info',
  summary: 'A newer stable release of the pinned image exists on the same track (asks the registry: hwc lint with registry.lookups).',
  checkContainer(container, ctx) {
    if (!ctx.registry) return;
    for (const { value, ref } of images(container, ctx.resolver)) {
      if (ref.digest || ref.tag === null || ref.tag === 'latest') continue;
      const newer = ctx.registry.newerTag(value.text!);
      if (!newer) continue;
      ctx.report({
        ...siteOf(value),
        message: `${container.name}: image \`${value.text}\` is behind: \`${newer}\` is the newest stable release on its track; read its release notes, then \`hwc pin ${container.name} --to ${newer}\``,
        data: { newer },
      });
    }
  },
};
