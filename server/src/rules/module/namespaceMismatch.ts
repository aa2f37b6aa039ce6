import type { Rule } from '../types';

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

export const namespaceMismatch: Rule = {
  id: 'namespace-mismatch',
  severity: 'error',
  summary: 'The module reads or declares options outside `<namespace>.<folder>`.',
  checkModule(module, ctx) {
    if (!module.optionsFile) return;
    const namespace = ctx.config.namespace.split('.');
    const expected = [...namespace, module.folder];
    const declared = module.files.flatMap((f) => f.options.map((o) => o.path));
    const isDeclared = (path: string[]) => declared.some((d) => startsWith(d, path) || startsWith(path, d));
    const aliases = ctx.config.namespaceAliases.map((a) => a.split('.'));
    for (const root of module.optionsFile.optionRoots) {
      const full = ['options', ...root.path].slice(1);
      const ok = startsWith(full, expected) || startsWith(expected, full) || aliases.some((a) => startsWith(full, [...a, module.folder]));
      if (!ok) {
        ctx.report({ src: root.src, message: `options.nix of \`${module.folder}\` declares \`${full.join('.')}\`; container modules declare their options under \`${expected.join('.')}\`` });
      }
    }
    for (const file of module.files) {
      for (const binding of file.cfgBindings) {
        const canonical = ctx.index.canonicalPath(binding.path);
        if (isDeclared(canonical)) continue;
        ctx.report({ src: binding.src, message: `\`cfg\` reads \`config.${binding.path.join('.')}\`, which no options file in \`${module.folder}\` declares; expected \`config.${expected.join('.')}\`` });
      }
      for (const read of file.configReads) {
        const canonical = ctx.index.canonicalPath(read.path);
        if (!startsWith(canonical, expected) || canonical.length <= expected.length) continue;
        if (isDeclared(canonical)) continue;
        ctx.report({ src: read.src, message: `\`config.${read.path.join('.')}\` is not declared in \`${module.folder}\`'s options` });
      }
    }
  },
};
