import type { Rule } from '../types';

const INVOCATION = /\b(podman|docker)\s+(?:container\s+)?(run|create)\b/g;

/**
 * Whether every `podman run`/`docker create` in the command is a throw-away `run --rm`: a
 * one-shot job (a backup dump, a migration) rather than a container that should be declared.
 * Each invocation is read up to the end of its shell line (backslash continuations joined).
 */
function onlyRunRm(command: string): boolean {
  const joined = command.replace(/\\\r?\n/g, ' ');
  let invocations = 0;
  for (const m of joined.matchAll(INVOCATION)) {
    invocations++;
    if (m[2] !== 'run') return false;
    const rest = joined.slice(m.index! + m[0].length).split(/\r?\n|;|&&|\|\|?/)[0];
    if (!/(?:^|\s)--rm(?:\s|=true|$)/.test(rest)) return false;
  }
  return invocations > 0;
}

export const imperativePodmanRun: Rule = {
  id: 'imperative-podman-run',
  severity: 'warning',
  summary: 'A script or command runs `podman run`/`docker create` by hand instead of declaring the container.',
  checkFile(file, ctx) {
    for (const command of file.imperativeCommands) {
      // rules.md v2 §10: `podman run --rm` in a unit that runs once (Type = "oneshot", startAt) is a job.
      if (command.oneShotUnit && onlyRunRm(command.text)) continue;
      const verb = /\b(podman|docker)\s+(?:container\s+)?(run|create)\b/.exec(command.text);
      ctx.report({
        src: command.src,
        message: `this string runs \`${verb ? `${verb[1]} ${verb[2]}` : 'podman run'}\` imperatively: the container is invisible to NixOS (no rollback, no restart, no review). Declare it in \`virtualisation.oci-containers.containers\` instead`,
      });
    }
  },
};
