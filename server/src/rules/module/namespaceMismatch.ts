import type { ModuleInfo } from '../../workspace/index';
import type { Rule } from '../types';

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/** The namespaces the folder's options files declare (`hwc.apps.foo`), for the message. */
function declaredRoots(module: ModuleInfo): string[] {
  return [...new Set(module.files.flatMap((f) => f.optionRoots.map((r) => r.path.join('.'))))];
}

/**
 * Says what `cfg` reads and where the options are. It never suggests the path that was read
 * (v2 §1): when the read already is `<namespace>.<folder>`, the options are declared elsewhere.
 */
function cfgMessage(read: string[], expected: string[], declared: string[], folder: string): string {
  const readText = `config.${read.join('.')}`;
  const elsewhere = declared.length > 0 ? `; its options are declared under \`${declared.join('`, `')}\`` : '';
  if (read.join('.') === expected.join('.')) return `\`cfg\` reads \`${readText}\`, which no options file in \`${folder}\` declares${elsewhere}: declare them under \`${expected.join('.')}\` or add a rename (\`lib.mkRenamedOptionModule\`) between the two`;
  return `\`cfg\` reads \`${readText}\`, which no options file in \`${folder}\` declares${elsewhere}; expected \`config.${expected.join('.')}\``;
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
    // A read through a rename or alias (either direction, chained) reads the option it names.
    const declares = (p: string[]) => declared.some((d) => startsWith(d, p) || startsWith(p, d));
    const isDeclared = (path: string[]) => declares(path) || ctx.index.aliasEquivalents(path).some(declares);
    const expects = (p: string[]) => startsWith(p, expected) || startsWith(expected, p);
    const underExpected = (path: string[]) => expects(path) || ctx.index.aliasEquivalents(path).some(expects);
    const aliases = ctx.config.namespaceAliases.map((a) => a.split('.'));
    for (const root of module.optionsFile.optionRoots) {
      const full = ['options', ...root.path].slice(1);
      const ok = underExpected(full) || aliases.some((a) => startsWith(full, [...a, module.folder]));
      if (!ok) {
        ctx.report({ src: root.src, message: `options.nix of \`${module.folder}\` declares \`${full.join('.')}\`; container modules declare their options under \`${expected.join('.')}\`` });
      }
    }
    for (const file of module.files) {
      for (const binding of file.cfgBindings) {
        if (isDeclared(binding.path)) continue;
        ctx.report({ src: binding.src, message: cfgMessage(binding.path, expected, declaredRoots(module), module.folder) });
      }
      for (const read of file.configReads) {
        const canonical = ctx.index.canonicalPath(read.path);
        if (!startsWith(canonical, expected) || canonical.length <= expected.length) continue;
        if (isDeclared(read.path)) continue;
        ctx.report({ src: read.src, message: `\`config.${read.path.join('.')}\` is not declared in \`${module.folder}\`'s options` });
      }
    }
  },
};
