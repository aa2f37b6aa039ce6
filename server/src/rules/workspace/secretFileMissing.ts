import { suggestedCommand } from '../../suggestedCommand';
import type { Rule } from '../types';
import { joinCheck } from '../types';
import type { SecretDeclaration } from '../../model/summary';

// Facts: each declaration with a relative `.age` path, under that path.
export const secretFileMissing: Rule = {
  id: 'secret-file-missing',
  severity: 'error',
  summary: 'An `age.secrets.<n>.file` points at a file that does not exist.',
  join: joinCheck<SecretDeclaration>({
    *fileFacts(file) {
      for (const declaration of file.secretsDeclared) {
        if (!declaration.file || !declaration.fileSrc || declaration.file.startsWith('/') || declaration.file.startsWith('..')) continue;
        yield [declaration.file, declaration];
      }
    },
    judge(path, declarations, ctx) {
      if (ctx.exists(path)) return;
      for (const declaration of declarations) {
        const target = suggestedCommand([declaration.file!]) ?? '<file>';
        ctx.report({
          src: declaration.fileSrc!,
          message: `secret \`${declaration.name}\`: \`${declaration.file}\` does not exist; create it with \`age -r <recipient> -o ${target}\` and type the KEY=value lines at its prompt (Ctrl-D ends), so no plaintext file is ever written`,
          related: [{ src: declaration.src, message: 'declared here' }],
        });
      }
    },
  }),
};
