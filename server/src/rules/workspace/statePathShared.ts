import type { Rule, RelatedSite } from '../types';
import { joinCheck } from '../types';
import { statePath, validVolumes, ResolvedVolume } from '../facts';
import { MAX_RELATED, boundedMatches, listNames } from '../related';

/** A host path without trailing slashes. */
function trimmed(host: string): string {
  return host.endsWith('/') ? host.replace(/\/+$/, '') : host;
}

/** Two host paths (trimmed) overlap when one is the other or lies below it. */
function overlap(x: string, y: string): boolean {
  return x === y || below(x, y) || below(y, x);
}

/** `inner` starts with `outer + '/'` (without building that string: every pair of mounts of a key is compared). */
function below(inner: string, outer: string): boolean {
  return inner.length > outer.length && inner.charCodeAt(outer.length) === 47 /* / */ && inner.startsWith(outer);
}

interface Mount {
  container: string;
  mount: ResolvedVolume;
}

// Facts: each read-write mount under the state directory it is in (`/opt/<category>/<owner>`).
export const statePathShared: Rule = {
  id: 'state-path-shared',
  severity: 'error',
  summary: 'Two containers mount the same state directory under /opt read-write.',
  join: joinCheck<Mount>({
    *containerFacts(container, ctx) {
      for (const mount of validVolumes(container, ctx.resolver)) {
        if (mount.volume.options.includes('ro') || mount.volume.partial) continue;
        const state = statePath(mount.volume.host, ctx.config.stateRoot);
        if (!state || state.owner === null) continue;
        yield [state.dir, { container: container.name, mount }];
      }
    },
    judge(_dir, mounts, ctx) {
      if (mounts.length < 2) return;
      // Each pair is compared: trim each path once, not once per comparison (a shared
      // downloads folder in a messy workspace is mounted by hundreds of containers).
      const entries = mounts.map((m) => ({ m, host: trimmed(m.mount.volume.host) }));
      for (const { m, host } of entries) {
        // Sub-folders of one module folder (`/opt/services/immich/upload`, `…/model-cache`) do not overlap.
        const bounded = boundedMatches(entries, (o) => o.m.container !== m.container && overlap(o.host, host));
        const others = bounded.found.map((o) => o.m);
        const more = bounded.more;
        if (others.length === 0) continue;
        const related: RelatedSite[] = others.slice(0, MAX_RELATED).map((o) => ({ src: o.mount.value.src, message: `${o.container} mounts \`${o.mount.volume.host}\` here` }));
        const names = listNames([...new Set(others.map((o) => o.container))], more ? 1 : 0);
        ctx.report({
          src: m.mount.value.src,
          related,
          message: `${m.container} mounts \`${m.mount.volume.host}\` read-write, and ${names} also write${others.length === 1 && !more ? 's' : ''} there: two containers writing one state directory corrupt each other's data; give each container its own \`${ctx.config.stateRoot}/<category>/<name>\`, or mount the other's data \`:ro\``,
        });
      }
    },
  }),
};
