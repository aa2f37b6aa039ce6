import type { Rule } from '../types';
import { siteOf } from '../types';
import type { ResolvedString } from '../../workspace/resolve';

const ROOT_USER = /^(root|0)(:.*)?$/;

/** The user a value names: its whole text, or `root:`/`0:` when only the group is unknown. */
function userText(user: ResolvedString): string | null {
  if (user.text !== null) return user.text.trim();
  const first = user.parts[0];
  const known = typeof first === 'string' ? /^\s*(root|0):/.exec(first) : null;
  return known ? `${known[1]}:…` : null;
}

export const containerRunsAsRoot: Rule = {
  id: 'container-runs-as-root',
  severity: 'warning',
  summary: 'The container runs as root (`user = "root"`/`0`, or PUID/PGID 0); run it as 1000:1000.',
  checkContainer(container, ctx) {
    for (const user of ctx.resolver.strings(container.fields.user)) {
      const text = userText(user);
      if (text !== null && ROOT_USER.test(text)) {
        ctx.report({ ...siteOf(user), message: `${container.name} runs as \`${text}\`; a container escape then lands as root on the host. Use PUID/PGID 1000 (or \`user = "1000:1000"\`)`, data: { kind: 'user' } });
      }
    }
    for (const { key, value } of ctx.resolver.entries(container.fields.environment)) {
      if (key !== 'PUID' && key !== 'PGID') continue;
      for (const v of value) {
        if (v.text?.trim() === '0') ctx.report({ ...siteOf(v), message: `${container.name}: ${key} is 0 (root); use 1000`, data: { kind: key } });
      }
    }
  },
};
