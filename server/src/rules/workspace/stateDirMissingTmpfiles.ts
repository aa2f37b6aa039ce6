import type { Rule } from '../types';
import { siteOf } from '../types';
import { statePath, validVolumes } from '../facts';

const CREATES = /^\s*([dDvqQ])\s+(\S+)/;

/** Paths created by tmpfiles rules anywhere in the workspace. */
export function tmpfilesCreated(ctx: Parameters<NonNullable<Rule['checkWorkspace']>>[0]): Set<string> {
  const created = new Set<string>();
  for (const file of ctx.index.files()) {
    for (const rule of ctx.resolver.strings(file.tmpfiles)) {
      const m = rule.text !== null ? CREATES.exec(rule.text) : null;
      if (m) created.add(m[2].replace(/\/+$/, ''));
    }
  }
  return created;
}

export const stateDirMissingTmpfiles: Rule = {
  id: 'state-dir-missing-tmpfiles',
  severity: 'warning',
  summary: 'A state directory under /opt has no `systemd.tmpfiles.rules` entry creating it.',
  checkWorkspace(ctx) {
    const created = tmpfilesCreated(ctx);
    const { mode, user, group } = ctx.config.tmpfiles;
    for (const container of ctx.index.containers()) {
      for (const { value, volume } of validVolumes(container, ctx.resolver)) {
        const state = statePath(volume.host, ctx.config.stateRoot);
        if (!state || state.owner === null) continue;
        if (created.has(state.dir) || created.has(volume.host.replace(/\/+$/, ''))) continue;
        ctx.report({
          ...siteOf(value),
          message: `${container.name}: nothing creates \`${state.dir}\`, so on a fresh host podman refuses to start the container (statfs: no such file or directory). Add \`"d ${state.dir} ${mode} ${user} ${group} -"\` to systemd.tmpfiles.rules`,
          data: { dir: state.dir, container: container.name, file: container.file },
        });
      }
    }
  },
};
