import type { Rule } from '../types';
import { isLinuxserverImage } from '../docker';
import { images } from '../facts';
import { closest } from '../suggest';

/** Misspellings seen in real configurations that edit distance alone ranks too far (`GUID` for `PGID`). */
const KNOWN_TYPOS: Record<string, string[]> = { PUID: ['UID', 'PIUD', 'PUUID', 'USER_ID'], PGID: ['GID', 'GUID', 'PGUID', 'GROUP_ID'] };

/** The environment key that was most likely meant to be `missing`, if any. */
function likelyTypo(missing: string, keys: string[]): string | null {
  const known = keys.find((k) => KNOWN_TYPOS[missing].includes(k.toUpperCase()) || k.toUpperCase() === missing);
  return known ?? closest(missing, keys.filter((k) => k.length >= 3 && k.length <= 6), 2);
}

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
    const entries = ctx.resolver.entries(env);
    const keys = new Set(entries.map((e) => e.key));
    if (keys.has('PUID') && keys.has('PGID')) return;
    const absent = ['PUID', 'PGID'].filter((k) => !keys.has(k));
    const add = `Add \`${absent.map((k) => `${k} = "1000";`).join(' ')}\` to environment`;
    let message: string;
    let data: Record<string, unknown> | undefined;
    if (absent.length === 2) {
      message = `${container.name} uses a linuxserver.io image but sets no PUID and PGID; its files under /opt will be owned by the image's default user. ${add}`;
    } else {
      // rules.md v2 §14: only one of the pair is set, typically because the other is misspelt.
      const [missing] = absent;
      const present = missing === 'PUID' ? 'PGID' : 'PUID';
      const typo = likelyTypo(missing, [...keys].filter((k) => k !== present));
      const owner = missing === 'PUID' ? 'user' : 'group';
      const typoKey = typo ? entries.find((e) => e.key === typo)?.keySrc : undefined;
      // Where the misspelt key is written, for the "Rename" quick fix.
      if (typo && typoKey) data = { typo, missing, typoAt: { file: typoKey.file, range: typoKey.range } };
      message = typo
        ? `${container.name} sets ${present} but not ${missing}: \`${typo}\` looks like a misspelt \`${missing}\`, which the image ignores, so the files it writes to its volumes get the image's default ${owner}. Rename \`${typo}\` to \`${missing}\``
        : `${container.name} sets ${present} but not ${missing}, so the files it writes to its volumes get the image's default ${owner}. ${add}`;
    }
    ctx.report({ src: container.fields.image![0].src, message, data });
  },
};
