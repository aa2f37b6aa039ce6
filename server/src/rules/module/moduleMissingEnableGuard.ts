import type { Rule } from '../types';
import { comparePositions, type Src } from '../../model/source';

/** The definition that comes first in the file (containers, tmpfiles and secrets are collected in that order, not by position). */
function firstInFile(definitions: readonly Src[]): Src | undefined {
  let first: Src | undefined;
  for (const src of definitions) if (!first || comparePositions(src.range.start, first.range.start) < 0) first = src;
  return first;
}

export const moduleMissingEnableGuard: Rule = {
  id: 'module-missing-enable-guard',
  severity: 'warning',
  summary: 'The module defines containers, tmpfiles or secrets without a `lib.mkIf cfg.enable` guard.',
  checkModule(module, ctx) {
    for (const file of module.files) {
      const first = firstInFile(file.unguardedDefinitions);
      if (!first) continue;
      ctx.report({
        src: first,
        message: `\`${module.folder}\` defines this even when \`${ctx.config.namespace}.${module.folder}.enable\` is false; wrap the module's \`config\` (or this definition's value) in \`lib.mkIf cfg.enable\``,
        data: { file: file.file },
      });
    }
  },
};
