import type { Rule } from '../types';

export const secretUndeclared: Rule = {
  id: 'secret-undeclared',
  severity: 'error',
  summary: '`config.age.secrets.<n>` is used but no `age.secrets.<n>` is declared anywhere.',
  checkWorkspace(ctx) {
    const declared = new Map<string, { src: import('../../model/source').Src }>();
    for (const file of ctx.index.files()) for (const d of file.secretsDeclared) declared.set(d.name, d);
    if (declared.size === 0) return;
    // Point at the secrets index when it declares any, else at some declaration.
    const example = [...declared.values()].find((d) => d.src.file === ctx.config.secretsIndex) ?? [...declared.values()][0];
    for (const file of ctx.index.files()) {
      for (const use of file.secretsUsed) {
        if (declared.has(use.name)) continue;
        const declarationFile = ctx.config.secretsIndex;
        ctx.report({
          src: use.src,
          message: `secret \`${use.name}\` is not declared: add \`age.secrets."${use.name}".file = …/${use.name}.age;\` to ${declarationFile} (reading the path of an undeclared secret fails the evaluation)`,
          related: [{ src: example.src, message: 'secrets are declared here' }],
          data: { secret: use.name },
        });
      }
    }
  },
};
