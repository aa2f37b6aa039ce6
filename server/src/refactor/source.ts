// The workspace as the lifecycle refactors read it: the index, its config, the files that
// may matter (every indexed Nix file, plus what lies on disk in the module folders and the
// `.age` files involved, which the index does not hold) and their current texts.
import * as fs from 'fs';
import * as path from 'path';
import type { Workspace } from '../workspace/workspace';
import { isInside } from '../workspace/rootPaths';
import type { PlaceSource } from './places';

const MAX_FOLDER_FILES = 2000;
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Files under a workspace folder (relative paths), without following links out of it. */
function filesUnder(root: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (out.length >= MAX_FOLDER_FILES) return;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk(folder);
  return out;
}

/**
 * `names`: the container names involved (the old and the new name of a rename), whose
 * module folders are listed from disk. `openText` gives an editor's unsaved text.
 */
export function placeSourceFor(workspace: Workspace, names: string[], openText: (file: string) => string | undefined = () => undefined): PlaceSource {
  const { index, config, root } = workspace;
  const files = new Set<string>();
  for (const summary of index.files()) files.add(summary.file);
  const containersFolder = config.containersFolder.replace(/\/+$/, '');
  for (const name of names) {
    // Names come from the command line or the cursor: only a plain name is a folder to list.
    if (!SAFE_NAME.test(name) || name.includes('..')) continue;
    const folder = `${containersFolder}/${name}`;
    if (!isInside(root, path.join(root, folder))) continue;
    for (const file of filesUnder(root, folder)) files.add(file);
  }
  for (const summary of index.files()) {
    for (const declaration of summary.secretsDeclared) {
      const file = declaration.file;
      if (file && isInside(root, path.join(root, file)) && fs.existsSync(path.join(root, file))) files.add(file);
    }
  }
  return {
    index,
    config,
    files: [...files].sort(),
    read: (file) => {
      const open = openText(file);
      if (open !== undefined) return open;
      try {
        return fs.readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
