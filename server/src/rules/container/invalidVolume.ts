import type { Rule } from '../types';
import { siteOf } from '../types';
import { volumes } from '../facts';

export const invalidVolume: Rule = {
  id: 'invalid-volume',
  severity: 'error',
  summary: 'A `volumes` entry is empty, has an empty side, a relative host path, or unknown mount options.',
  checkContainer(container, ctx) {
    for (const volume of volumes(container, ctx.resolver)) {
      if (!('error' in volume)) continue;
      ctx.report({ ...siteOf(volume.value), message: `${container.name}: volume \`${volume.value.text}\` is invalid: ${volume.error}` });
    }
  },
};
