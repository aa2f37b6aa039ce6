import type { Rule } from '../types';

export const moduleMissingEnableGuard: Rule = {
  id: 'module-missing-enable-guard',
  severity: 'warning',
  summary: 'The module defines containers, tmpfiles or secrets without a `lib.mkIf cfg.enable` guard.',
  checkModule(module, ctx) {
    for (const file of module.files) {
      const first = file.unguardedDefinitions[0];
      if (!first) continue;
      ctx.report({
        src: first,
        message: `\`${module.folder}\` defines this even when \`${ctx.config.namespace}.${module.folder}.enable\` is false; wrap the module's \`config\` in \`lib.mkIf cfg.enable { … }\``,
        data: { file: file.file },
      });
    }
  },
};
