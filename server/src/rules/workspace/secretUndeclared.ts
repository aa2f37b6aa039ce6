import type { Rule } from '../types';
import { joinCheck } from '../types';
import { secretUses } from '../facts';
import type { Src } from '../../model/source';

type Fact = { declared: Src } | { used: Src };

// Facts: `declared:<secret>` for each `age.secrets.<n>` declaration, `used:<secret>` for
// each `config.age.secrets.<n>` read.
export const secretUndeclared: Rule = {
  id: 'secret-undeclared',
  severity: 'error',
  summary: '`config.age.secrets.<n>` is used but no `age.secrets.<n>` is declared anywhere.',
  join: joinCheck<Fact>({
    *fileFacts(file, ctx) {
      for (const d of file.secretsDeclared) yield [`declared:${d.name}`, { declared: d.src }];
      for (const use of secretUses(file, ctx.resolver)) yield [`used:${use.name}`, { used: use.src }];
    },
    judge(key, facts, ctx) {
      if (!key.startsWith('used:')) return;
      const name = key.slice('used:'.length);
      if (ctx.lookup(`declared:${name}`).length > 0) return;
      // A workspace that declares no secret at all keeps them elsewhere: say nothing.
      const declaredKeys = ctx.keys('declared:');
      if (declaredKeys.length === 0) return;
      // Point at the secrets index when it declares any, else at some declaration.
      const declarations = declaredKeys.flatMap((k) => ctx.lookup<Fact>(k).flatMap((f) => ('declared' in f ? [f.declared] : [])));
      const example = declarations.find((src) => src.file === ctx.config.secretsIndex) ?? declarations[0];
      for (const fact of facts) {
        if (!('used' in fact)) continue;
        ctx.report({
          src: fact.used,
          message: `secret \`${name}\` is not declared: add \`age.secrets."${name}".file = …/${name}.age;\` to ${ctx.config.secretsIndex} (reading the path of an undeclared secret fails the evaluation)`,
          related: [{ src: example, message: 'secrets are declared here' }],
          data: { secret: name },
        });
      }
    },
  }),
};
