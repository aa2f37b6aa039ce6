import type { Rule } from '../types';
import { isLinuxserverImage } from '../docker';
import { images } from '../facts';

export const missingPuidPgid: Rule = {
  id: 'missing-puid-pgid',
  severity: 'info',
  summary: 'A linuxserver.io image without PUID/PGID (or `user`): its files will be owned by the image default.',
  checkContainer(container, ctx) {
    const image = images(container, ctx.resolver).find((i) => isLinuxserverImage(i.ref));
    if (!image) return;
    if (container.helper && ctx.config.containerHelpers[container.helper]?.injectsPuidPgid !== false) return;
    if (container.fields.user) return;
    const env = container.fields.environment ?? [];
    if (env.some((v) => v.k !== 'attrs' && v.k !== 'guard' && v.k !== 'merge')) return; // environment built in a way we cannot see
    const keys = new Set(ctx.resolver.entries(env).map((e) => e.key));
    if (keys.has('PUID') && keys.has('PGID')) return;
    const absent = ['PUID', 'PGID'].filter((k) => !keys.has(k));
    const missing = absent.join(' and ');
    ctx.report({
      src: container.fields.image![0].src,
      message: `${container.name} uses a linuxserver.io image but sets no ${missing}; its files under /opt will be owned by the image's default user. Add \`${absent.map((k) => `${k} = "1000";`).join(' ')}\` to environment`,
    });
  },
};
