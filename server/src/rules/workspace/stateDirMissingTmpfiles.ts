import type { Rule } from '../types';
import { joinCheck, siteOf } from '../types';
import { statePath, validVolumes, ResolvedVolume } from '../facts';
import type { StrPart } from '../../model/values';

const CREATES = /^\s*([dDvqQ])\s+(\S+)/;

type Fact = { created: string } | { couldCreate: string } | { container: string; containerFile: string; volume: ResolvedVolume; dir: string };

/** The key of the entries that are not fully known (v2 §6): every state directory's judgement reads them. */
const PARTIAL = 'tmpfiles-partial';

/**
 * What a tmpfiles entry with unknown parts (`"d /opt/media/${cfg.server} 0755 …"`) could
 * create, as a regular expression source over paths: its literal text, and anything without
 * whitespace for each unknown part. Null when it surely creates no directory (another type).
 */
function couldCreatePattern(parts: StrPart[]): string | null {
  const HOLE = '\u0000';
  const template = parts.map((p) => (typeof p === 'string' ? p : HOLE)).join('');
  const fields = template.trim().split(/\s+/);
  const [type, path] = fields;
  if (!type || !path || !(type.includes(HOLE) || /^[dDvqQ]$/.test(type))) return null;
  const source = path
    .replace(/\/+$/, '')
    .split(HOLE)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\S*');
  return `^${source}$`;
}

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
        if (rule.text === null) {
          const pattern = couldCreatePattern(rule.parts);
          if (pattern) yield [PARTIAL, { couldCreate: pattern }];
          continue;
        }
        const m = CREATES.exec(rule.text);
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
    judge(dir, facts, ctx) {
      if (dir === PARTIAL) return;
      const created = new Set(facts.flatMap((f) => ('created' in f ? [f.created] : [])));
      // An entry the engine cannot fully resolve may create this directory: say nothing then.
      // Read only when something is missing (most directories are created: no read to record).
      let partial: RegExp[] | undefined;
      const couldBeCreated = (path: string) => {
        partial ??= ctx.lookup<Fact>(PARTIAL).flatMap((f) => ('couldCreate' in f ? [new RegExp(f.couldCreate)] : []));
        return partial.some((p) => p.test(path));
      };
      const { mode, user, group } = ctx.config.tmpfiles;
      for (const fact of facts) {
        if (!('container' in fact)) continue;
        const { value, volume } = fact.volume;
        const host = volume.host.replace(/\/+$/, '');
        if (created.has(fact.dir) || created.has(host)) continue;
        if (couldBeCreated(fact.dir) || couldBeCreated(host)) continue;
        ctx.report({
          ...siteOf(value),
          message: `${fact.container}: nothing creates \`${fact.dir}\`, so on a fresh host podman refuses to start the container (statfs: no such file or directory). Add \`"d ${fact.dir} ${mode} ${user} ${group} -"\` to systemd.tmpfiles.rules`,
          data: { dir: fact.dir, container: fact.container, file: fact.containerFile },
        });
      }
    },
  }),
};
