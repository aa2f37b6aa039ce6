import type { Rule, RelatedSite } from '../types';
import { statePath, validVolumes, ResolvedVolume } from '../facts';

export const statePathShared: Rule = {
  id: 'state-path-shared',
  severity: 'error',
  summary: 'Two containers mount the same state directory under /opt read-write.',
  checkWorkspace(ctx) {
    const byDir = new Map<string, Array<{ container: string; mount: ResolvedVolume }>>();
    for (const container of ctx.index.containers()) {
      for (const mount of validVolumes(container, ctx.resolver)) {
        if (mount.volume.options.includes('ro')) continue;
        const state = statePath(mount.volume.host, ctx.config.stateRoot);
        if (!state || state.owner === null) continue;
        const list = byDir.get(state.dir) ?? [];
        list.push({ container: container.name, mount });
        byDir.set(state.dir, list);
      }
    }
    for (const [dir, mounts] of byDir) {
      const owners = new Set(mounts.map((m) => m.container));
      if (owners.size < 2) continue;
      for (const m of mounts) {
        const others = mounts.filter((o) => o.container !== m.container);
        const related: RelatedSite[] = others.map((o) => ({ src: o.mount.value.src, message: `${o.container} mounts it here` }));
        ctx.report({
          src: m.mount.value.src,
          related,
          message: `${m.container} shares its state directory \`${dir}\` read-write with ${[...new Set(others.map((o) => o.container))].join(', ')}; give each container its own \`${ctx.config.stateRoot}/<category>/<name>\` (or mount the other's data \`:ro\`)`,
        });
      }
    }
  },
};
