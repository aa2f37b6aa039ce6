import type { Rule } from '../types';
import { secretUses } from '../facts';

export const secretMissingAssertion: Rule = {
  id: 'secret-missing-assertion',
  severity: 'warning',
  summary: 'The module uses `config.age.secrets.<n>` without an assertion that names the secret.',
  checkModule(module, ctx) {
    const asserted = new Set(module.files.flatMap((f) => f.assertionSecrets));
    for (const file of module.files) {
      for (const use of secretUses(file, ctx.resolver)) {
        if (asserted.has(use.name)) continue;
        ctx.report({
          src: use.src,
          message: `\`${module.folder}\` uses secret \`${use.name}\` without an assertion; add \`{ assertion = config.age.secrets ? "${use.name}"; message = "…requires secret '${use.name}'"; }\` so a missing secret fails the build with a clear message`,
          data: { secret: use.name, module: module.folder },
        });
      }
    }
  },
};
