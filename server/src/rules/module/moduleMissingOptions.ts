import type { Rule } from '../types';
import type { ModuleInfo } from '../../workspace/index';

/** Module folders the module rules judge: an entry file that defines containers. */
export function isContainerModule(module: ModuleInfo): boolean {
  return !!module.entry && module.containers.length > 0;
}

export const moduleMissingOptions: Rule = {
  id: 'module-missing-options',
  severity: 'warning',
  summary: 'The container module has no `options.nix`, or its `index.nix` does not import `./options.nix`.',
  checkModule(module, ctx) {
    if (!isContainerModule(module)) return;
    const entry = module.entry!;
    if (!module.optionsFile) {
      ctx.report({ src: entry.firstLine, message: `module \`${module.folder}\` has no options.nix: declare \`${ctx.config.namespace}.${module.folder}\` (enable, port, domain) there, as the other modules do` });
      return;
    }
    const importsOptions = entry.imports.some((i) => i.target === module.optionsFile!.file);
    if (!importsOptions) {
      const indirect = ctx.index.importClosure(entry.file).has(module.optionsFile.file);
      const consequence = indirect ? 'it is only imported indirectly, which hides where the options come from' : 'without it the options are never declared';
      ctx.report({ src: entry.firstLine, message: `${entry.file.split('/').pop()} of module \`${module.folder}\` does not import \`./options.nix\`; add it to \`imports\` (${consequence})` });
    }
  },
};
