import type { Rule } from '../types';
import { joinCheck, type JudgeContext } from '../types';
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
      const example = exampleDeclaration(declaredKeys, ctx);
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

/**
 * Where declarations are seen: the first in the secrets index, else the first of all (in key
 * order). Reading stops at the first in the index: a messy workspace judges hundreds of
 * undeclared secrets, each of which read every declaration. What it stops before cannot
 * change the answer, and every key read before it is recorded (a later pass re-judges when
 * one of those changes).
 */
function exampleDeclaration(declaredKeys: readonly string[], ctx: JudgeContext): Src {
  let first: Src | undefined;
  for (const key of declaredKeys) {
    for (const fact of ctx.lookup<Fact>(key)) {
      if (!('declared' in fact)) continue;
      if (fact.declared.file === ctx.config.secretsIndex) return fact.declared;
      first ??= fact.declared;
    }
  }
  // Every `declared:` key holds declarations, and the caller has at least one.
  return first!;
}
