import type { Rule } from '../types';

export const secretFileMissing: Rule = {
  id: 'secret-file-missing',
  severity: 'error',
  summary: 'An `age.secrets.<n>.file` points at a file that does not exist.',
  checkWorkspace(ctx) {
    for (const file of ctx.index.files()) {
      for (const declaration of file.secretsDeclared) {
        if (!declaration.file || !declaration.fileSrc || declaration.file.startsWith('/') || declaration.file.startsWith('..')) continue;
        if (ctx.index.exists(declaration.file)) continue;
        ctx.report({
          src: declaration.fileSrc,
          message: `secret \`${declaration.name}\`: \`${declaration.file}\` does not exist; create it with \`age -r <recipient> -o ${declaration.file}\` and type the KEY=value lines at its prompt (Ctrl-D ends), so no plaintext file is ever written`,
          related: [{ src: declaration.src, message: 'declared here' }],
        });
      }
    }
  },
};
