// module-not-enabled → "Import in <file>": adds the module to the imports of the file that
// imports container modules (`modulesImportFile`, else the profile), next to its siblings
// and in their order, and `<namespace>.<folder>.enable = true;` next to the profile's other
// enable lines (unless the profile already sets it), the way New Container writes them
// (scaffold/edits.ts). Unsafe: the next switch starts a new container.
import * as path from 'path';
import { validVolumes, statePath } from '../rules/facts';
import { EditRefused, planEnableIn, planImportIn } from '../scaffold/edits';
import { str, withFile } from './common';
import type { Fix, FixContext, TextEdit } from './types';

/** The import as a Nix path literal, or null when it cannot be written as one. */
export function pathLiteral(importPath: string): string | null {
  const p = importPath.startsWith('.') || importPath.startsWith('/') ? importPath : `./${importPath}`;
  return /^[A-Za-z0-9._\-+/]+$/.test(p) && p.includes('/') && !p.endsWith('/') ? p : null;
}

/** The state category of each module folder's containers (from their `/opt/<category>/<name>` mounts). */
function categories(ctx: FixContext): Map<string, string> {
  const resolver = ctx.index.resolver();
  const out = new Map<string, string>();
  for (const container of ctx.index.containers()) {
    if (!container.moduleFolder || out.has(container.moduleFolder)) continue;
    for (const mount of validVolumes(container, resolver)) {
      const state = statePath(mount.volume.host, ctx.config.stateRoot);
      if (state?.owner) {
        out.set(container.moduleFolder, state.category);
        break;
      }
    }
  }
  return out;
}

/** Runs a placement; a file this tool cannot extend gives no edit (the fix is then not offered). */
function placed(fn: () => TextEdit): TextEdit | null {
  try {
    return fn();
  } catch (error) {
    if (error instanceof EditRefused) return null;
    throw error;
  }
}

export const importInProfile: Fix = {
  id: 'import-in-profile',
  rules: ['module-not-enabled'],
  safety: 'unsafe',
  summary: 'Add the module to the imports (modulesImportFile, else the profile) next to its siblings and set `<namespace>.<folder>.enable = true;` next to the profile\'s other enable lines.',
  actions(ctx) {
    const { data } = ctx.diagnostic;
    const folder = str(data, 'folder');
    const importPath = str(data, 'importPath');
    const profile = ctx.config.profile;
    if (!folder || !importPath || !pathLiteral(importPath)) return [];
    // The module's entry as the rule names it (relative to the profile), then as the import file sees it.
    const entry = path.posix.normalize(path.posix.join(path.posix.dirname(profile), importPath));
    const moduleDir = entry.endsWith('.nix') ? path.posix.dirname(entry) : entry;
    // Existence through the index (ctx.text may throw for a file that is not there).
    const importFile = ctx.config.modulesImportFile && ctx.index.get(ctx.config.modulesImportFile) ? ctx.config.modulesImportFile : profile;
    // Its group: the one a heading names after its category, else the one holding modules of that category.
    const byFolder = categories(ctx);
    const category = byFolder.get(folder) ?? '';
    const peers = [...byFolder].filter(([other, c]) => other !== folder && c === category && category !== '').map(([other]) => other);
    const enablePath = [...ctx.config.namespace.split('.'), folder, 'enable'];
    const alreadyEnabled = ctx.index.get(profile)?.enabled.some((p) => ctx.index.canonicalPath(p.split('.')).join('.') === enablePath.join('.')) ?? false;

    const edits = new Map<string, TextEdit[]>();
    const add = (file: string, edit: TextEdit | null | undefined) => {
      if (edit) edits.set(file, [...(edits.get(file) ?? []), edit]);
      return !!edit;
    };
    const entryFile = entry.endsWith('.nix') ? entry : `${entry}/default.nix`;
    const folderImportable = entryFile.endsWith('/default.nix') || !!ctx.index.get(`${moduleDir}/default.nix`);
    const imported = withFile(ctx, importFile, (text, tree) =>
      placed(() => planImportIn(text, tree, { file: importFile, moduleDir, containersFolder: ctx.config.containersFolder, category, entry: entryFile, folderImportable, peers, newGroup: false }).edit),
    );
    if (!add(importFile, imported)) return [];
    if (!alreadyEnabled) {
      const enable = withFile(ctx, profile, (text, tree) => placed(() => planEnableIn(text, tree, { file: profile, enablePath, category, namespaceAliases: ctx.config.namespaceAliases, peers, newGroup: false })));
      if (!enable) return [];
      // Both at one offset of one file (the end of the attrset): one insertion, the import first.
      const list = edits.get(profile);
      const same = list?.find((e) => e.start === enable.start && e.end === e.start && enable.end === enable.start);
      if (same) same.newText += enable.newText;
      else if (list?.some((e) => e.start < enable.end && enable.start < e.end)) return [];
      else add(profile, enable);
    }
    const title = importFile === profile ? `Import ${folder} in ${profile} and enable it` : `Import ${folder} in ${importFile} and enable it in ${profile}`;
    return [{ fix: this.id, title, safety: 'unsafe', autoApply: true, preferred: true, edits }];
  },
};
