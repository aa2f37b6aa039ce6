import type { Rule } from '../types';

export const imperativePodmanRun: Rule = {
  id: 'imperative-podman-run',
  severity: 'warning',
  summary: 'A script or command runs `podman run`/`docker create` by hand instead of declaring the container.',
  checkFile(file, ctx) {
    for (const command of file.imperativeCommands) {
      const verb = /\b(podman|docker)\s+(?:container\s+)?(run|create)\b/.exec(command.text);
      ctx.report({
        src: command.src,
        message: `this string runs \`${verb ? `${verb[1]} ${verb[2]}` : 'podman run'}\` imperatively: the container is invisible to NixOS (no rollback, no restart, no review). Declare it in \`virtualisation.oci-containers.containers\` instead`,
      });
    }
  },
};
