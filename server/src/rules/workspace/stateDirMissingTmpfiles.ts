import type { Rule } from '../types';
import { joinCheck, siteOf } from '../types';
import { statePath, validVolumes, ResolvedVolume } from '../facts';

const CREATES = /^\s*([dDvqQ])\s+(\S+)/;

type Fact = { created: string } | { container: string; containerFile: string; volume: ResolvedVolume; dir: string };

// Facts, both under the state directory (`/opt/<category>/<owner>`) they concern: each
// path a tmpfiles rule creates, and each container's mount of a state directory. A mount
// is fine when its directory, or the mounted path itself, is created.
export const stateDirMissingTmpfiles: Rule = {
  id: 'state-dir-missing-tmpfiles',
  severity: 'warning',
  summary: 'A state directory under /opt has no `systemd.tmpfiles.rules` entry creating it.',
  join: joinCheck<Fact>({
    *fileFacts(file, ctx) {
      for (const rule of ctx.resolver.strings(file.tmpfiles)) {
        const m = rule.text !== null ? CREATES.exec(rule.text) : null;
        if (!m) continue;
        const created = m[2].replace(/\/+$/, '');
        const state = statePath(created, ctx.config.stateRoot);
        if (state) yield [state.dir, { created }];
      }
    },
    *containerFacts(container, ctx) {
      for (const volume of validVolumes(container, ctx.resolver)) {
        const state = statePath(volume.volume.host, ctx.config.stateRoot);
        if (!state || state.owner === null) continue;
        yield [state.dir, { container: container.name, containerFile: container.file, volume, dir: state.dir }];
      }
    },
    judge(_dir, facts, ctx) {
      const created = new Set(facts.flatMap((f) => ('created' in f ? [f.created] : [])));
      const { mode, user, group } = ctx.config.tmpfiles;
      for (const fact of facts) {
        if ('created' in fact) continue;
        const { value, volume } = fact.volume;
        if (created.has(fact.dir) || created.has(volume.host.replace(/\/+$/, ''))) continue;
        ctx.report({
          ...siteOf(value),
          message: `${fact.container}: nothing creates \`${fact.dir}\`, so on a fresh host podman refuses to start the container (statfs: no such file or directory). Add \`"d ${fact.dir} ${mode} ${user} ${group} -"\` to systemd.tmpfiles.rules`,
          data: { dir: fact.dir, container: fact.container, file: fact.containerFile },
        });
      }
    },
  }),
};
