import type { Rule } from '../types';
import { siteOf } from '../types';
import { validVolumes } from '../facts';

export const mediaMountWritable: Rule = {
  id: 'media-mount-writable',
  severity: 'warning',
  summary: 'The shared media library is mounted writable; mount it with `:ro`.',
  checkContainer(container, ctx) {
    for (const { value, volume } of validVolumes(container, ctx.resolver)) {
      const underMedia = ctx.config.mediaPrefixes.some((p) => volume.host === p || volume.host.startsWith(p.replace(/\/+$/, '') + '/'));
      // A partly known volume may still end in `:ro`: no guess.
      if (!underMedia || volume.options.includes('ro') || volume.partial) continue;
      ctx.report({
        ...siteOf(value),
        message: `${container.name} mounts the media library \`${volume.host}\` read-write; add \`:ro\` so a bug or a compromised container cannot delete your library`,
        data: { volume: value.text },
      });
    }
  },
};
