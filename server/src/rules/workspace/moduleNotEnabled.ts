import * as path from 'path';
import type { Rule } from '../types';
import { isContainerModule } from '../module/moduleMissingOptions';

// A module rule: it reads its module and the profile's import closure (the lint state
// judges modules again whenever some file's imports change).
export const moduleNotEnabled: Rule = {
  id: 'module-not-enabled',
  severity: 'info',
  summary: 'A container module is not imported by the profile, directly or through its imports.',
  checkModule(module, ctx) {
    const profile = ctx.config.profile;
    if (!ctx.index.get(profile) || !isContainerModule(module)) return;
    const closure = ctx.index.importClosure(profile);
    if (module.files.some((f) => closure.has(f.file))) return;
    // `./dir` only works with a default.nix; otherwise the profile must name index.nix.
    const entryPath = module.entry!.file.endsWith('/default.nix') ? module.dir : module.entry!.file;
    const importPath = path.posix.relative(path.posix.dirname(profile), entryPath);
    ctx.report({
      src: module.entry!.firstLine,
      message: `container module \`${module.folder}\` is not imported by ${profile} (directly or through its imports), so it is never built; add \`${importPath}\` to its imports and \`${ctx.config.namespace}.${module.folder}.enable = true;\``,
      data: { folder: module.folder, dir: module.dir, importPath },
    });
  },
};
