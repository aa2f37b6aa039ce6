// Rename and remove as plans: text edits on the files as they are, then file and folder
// moves and deletions. Pure: the CLI turns a plan into one all-or-nothing write, the
// language server into one WorkspaceEdit, so both make the same change.
import * as path from 'path';
import { withTree } from '../parse/parser';
import { applyEdits, lineEndOf, lineStartOf } from '../fixes/text';
import type { FileEdits, TextEdit } from '../fixes/types';
import { nameProblem } from '../scaffold/validate';
import { networks } from '../rules/facts';
import { suggestedCommand } from '../suggestedCommand';
import { findContainerPlaces, type ContainerPlaces, type Mention, type Place, type PlaceSource } from './places';

export interface RefactorPlan {
  /** Edits on the files at their current paths, against `texts`. */
  edits: FileEdits;
  texts: Map<string, string>;
  /** Applied after the edits: the module folder, the route file, `.age` files. */
  moves: Array<{ from: string; to: string; folder: boolean }>;
  /** Files removed (remove only). */
  deletes: string[];
  /** What the user still has to do, or should know. */
  notes: string[];
  /** Mentions left as they are: the user decides. */
  unresolved: Mention[];
}

/** A refactor that cannot be done as asked; nothing is changed. */
export class RefactorRefused extends Error {}

export function placesOrRefuse(source: PlaceSource, name: string): ContainerPlaces {
  const places = findContainerPlaces(source, name);
  if (!places) throw new RefactorRefused(`no container named \`${name}\` in this workspace`);
  return places;
}

export interface RenameOptions {
  /** Rename the state directory (`/opt/<category>/<name>`) in Nix too; the data must then be moved on the host. */
  state?: boolean;
}

export function planRename(source: PlaceSource, oldName: string, newName: string, options: RenameOptions = {}): RefactorPlan {
  const problem = nameProblem(newName);
  if (problem) throw new RefactorRefused(`new name: ${problem}`);
  if (newName === oldName) throw new RefactorRefused(`the container is already called \`${oldName}\``);
  const places = placesOrRefuse(source, oldName);
  if (source.index.containersNamed(newName).length > 0) throw new RefactorRefused(`a container named \`${newName}\` already exists`);
  const renamed = (file: string) => {
    const base = path.posix.basename(file);
    return path.posix.join(path.posix.dirname(file), newName + base.slice(oldName.length));
  };
  const moves: RefactorPlan['moves'] = [];
  if (places.moduleFolder) moves.push({ from: places.moduleFolder, to: path.posix.join(path.posix.dirname(places.moduleFolder), newName), folder: true });
  if (places.routeFile) moves.push({ from: places.routeFile, to: renamed(places.routeFile), folder: false });
  for (const age of places.ageFiles) if (path.posix.basename(age).startsWith(`${oldName}-`)) moves.push({ from: age, to: renamed(age), folder: false });
  for (const move of moves) {
    const taken = source.files.some((f) => f === move.to || f.startsWith(`${move.to}/`));
    if (taken) throw new RefactorRefused(`${move.to} already exists`);
  }
  const declared = new Set([...source.index.files()].flatMap((f) => f.secretsDeclared.map((d) => d.name)));
  for (const secret of places.secrets) {
    const next = newName + secret.slice(oldName.length);
    if (declared.has(next)) throw new RefactorRefused(`a secret named \`${next}\` is already declared`);
  }

  const edits: FileEdits = new Map();
  const unresolved = [...places.unresolved];
  const notes: string[] = [];
  for (const place of places.places) {
    if (place.kind === 'state-dir' && !options.state) continue;
    push(edits, place.file, { start: place.start, end: place.end, newText: newName });
  }
  if (places.stateDirs.length > 0) {
    for (const dir of places.stateDirs) {
      const next = path.posix.join(path.posix.dirname(dir), newName);
      if (!options.state) {
        notes.push(`the state directory ${dir} keeps its name, so lint reports state-path-owner for it (rename it too with --state, then move the data on the host)`);
        continue;
      }
      const command = /^\/[a-z0-9/_-]+$/.test(dir) ? suggestedCommand(['mv', dir, next]) : undefined;
      notes.push(`the state directory is now ${next} in Nix: move the data on the host before the next switch${command ? `: ${command}` : ''}`);
    }
  }
  const plan: RefactorPlan = { edits, texts: places.texts, moves, deletes: [], notes, unresolved };
  checkParses(plan);
  return plan;
}

export interface RemoveOptions {
  /** Remove even while other containers depend on it (their `dependsOn` entries go too). */
  force?: boolean;
  /** Keep the secret declaration, its agenix rule and its `.age` file. */
  keepSecret?: boolean;
}

export function planRemove(source: PlaceSource, name: string, options: RemoveOptions = {}): RefactorPlan {
  const places = placesOrRefuse(source, name);
  if (places.dependents.length > 0 && !options.force) {
    const list = places.dependents.map((d) => `${d.name} (${d.file}:${d.line})`).join(', ');
    throw new RefactorRefused(`${name} is still in the dependsOn of ${list}; remove those entries first, or pass --force to remove them too`);
  }
  const shared = source.index.containers().filter((c) => c.name !== name && places.moduleFiles.includes(c.file));
  if (shared.length > 0) {
    throw new RefactorRefused(`${places.moduleFolder} also defines ${[...new Set(shared.map((c) => c.name))].join(', ')}; deleting the folder would remove them too, so remove ${name} by hand`);
  }
  const deletes = new Set<string>([...places.moduleFiles, ...(places.routeFile ? [places.routeFile] : [])]);
  if (!options.keepSecret) for (const age of places.ageFiles) deletes.add(age);
  const stranded = strandedNetworks(source, name, deletes);
  if (stranded.length > 0 && !options.force) {
    const list = stranded.map((s) => `${s.network} (joined by ${s.joiners.join(', ')})`).join('; ');
    throw new RefactorRefused(`${name}'s module creates the network ${list}; create it elsewhere first, or pass --force to remove it anyway`);
  }
  const edits: FileEdits = new Map();
  const unresolved = places.unresolved.filter((m) => !deletes.has(m.file));
  const removals = new Map<string, Array<{ start: number; end: number }>>();
  for (const place of places.places) {
    if (deletes.has(place.file)) continue;
    const owner = removalOf(place, options);
    if (owner === 'keep') continue;
    if (!owner) {
      unresolved.push({ file: place.file, line: place.line + 1, text: (places.texts.get(place.file) ?? '').split('\n')[place.line]?.trim() ?? '', reason: `still refers to ${name} (${place.kind}); remove it by hand` });
      continue;
    }
    const list = removals.get(place.file) ?? [];
    list.push(owner);
    removals.set(place.file, list);
  }
  for (const [file, ranges] of removals) {
    const text = places.texts.get(file)!;
    // Keep only the outermost of nested ranges (a declaration binding holds its `.age` path).
    const outer = ranges
      .sort((a, b) => a.start - b.start || b.end - a.end)
      .filter((r, i, all) => !all.some((o, j) => j !== i && o.start <= r.start && r.end <= o.end && (o.start !== r.start || o.end !== r.end || j < i)));
    for (const range of outer) push(edits, file, removal(text, range));
  }
  const notes: string[] = [];
  for (const s of stranded) notes.push(`nothing creates the network ${s.network} any more, and ${s.joiners.join(', ')} join${s.joiners.length === 1 ? 's' : ''} it: create it in another module`);
  if (options.keepSecret && places.secrets.length > 0) notes.push(`kept the secret ${places.secrets.join(', ')} (declaration and .age file)`);
  for (const dir of places.stateDirs) notes.push(`the data in ${dir} on the host is left as it is`);
  const plan: RefactorPlan = { edits, texts: places.texts, moves: [], deletes: [...deletes].sort(), notes, unresolved };
  checkParses(plan);
  return plan;
}

/** Networks only the deleted files create, with the other containers that join them. */
function strandedNetworks(source: PlaceSource, name: string, deletes: Set<string>): Array<{ network: string; joiners: string[] }> {
  const { index } = source;
  const resolver = index.resolver();
  const createdIn = (deletedFiles: boolean) => {
    const names = new Set<string>();
    for (const summary of index.files()) {
      if (deletes.has(summary.file) !== deletedFiles) continue;
      for (const n of summary.networksCreated) names.add(n.name);
      for (const n of resolver.strings(summary.networkNames)) if (n.text) names.add(n.text);
    }
    return names;
  };
  const remaining = createdIn(false);
  const out: Array<{ network: string; joiners: string[] }> = [];
  for (const network of createdIn(true)) {
    if (remaining.has(network)) continue;
    const joiners = index.containers().filter((c) => c.name !== name && !deletes.has(c.file) && networks(c, resolver).some((n) => n.name === network)).map((c) => c.name);
    if (joiners.length > 0) out.push({ network, joiners: [...new Set(joiners)].sort() });
  }
  return out;
}

function removalOf(place: Place, options: RemoveOptions): { start: number; end: number } | 'keep' | null {
  switch (place.kind) {
    case 'secret':
    case 'secret-file':
      if (options.keepSecret) return 'keep';
      // A use of the secret in another container is not ours to delete.
      return place.owner?.kind === 'binding' ? place.owner : place.kind === 'secret-file' ? 'keep' : null;
    case 'comment':
    case 'text':
      return 'keep';
    case 'state-dir':
      return place.owner ?? null;
    default:
      return place.owner ?? null;
  }
}

/** Takes a node out; its whole lines when nothing else is on them. */
function removal(text: string, range: { start: number; end: number }): TextEdit {
  const start = lineStartOf(text, range.start);
  const end = lineEndOf(text, range.end);
  const before = text.slice(start, range.start);
  const after = text.slice(range.end, end).trim();
  if (before.trim() === '' && (after === '' || after.startsWith('#'))) {
    let to = Math.min(end + 1, text.length);
    // Between two blank lines, take one of them too, so no double gap is left behind.
    const blankBefore = start === 0 || /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, start - 200), start));
    const nextLine = /^[ \t]*\r?\n/.exec(text.slice(to));
    if (blankBefore && nextLine) to += nextLine[0].length;
    return { start, end: to, newText: '' };
  }
  let to = range.end;
  while (text[to] === ' ' || text[to] === '\t') to++;
  return { start: range.start, end: to, newText: '' };
}

function push(edits: FileEdits, file: string, edit: TextEdit): void {
  const list = edits.get(file) ?? [];
  if (!list.some((e) => e.start === edit.start && e.end === edit.end)) list.push(edit);
  edits.set(file, list);
}

/** The new text of every edited file, by current path. */
export function editedTexts(plan: RefactorPlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, list] of plan.edits) out.set(file, applyEdits(plan.texts.get(file)!, list));
  return out;
}

/** Where a file lands after the plan's moves. */
export function movedPath(plan: RefactorPlan, file: string): string {
  for (const move of plan.moves) {
    if (move.folder && file.startsWith(`${move.from}/`)) return move.to + file.slice(move.from.length);
    if (!move.folder && file === move.from) return move.to;
  }
  return file;
}

/** Refuses a plan whose edits would break a file that parses (a file already broken is the user's to fix). */
export function checkParses(plan: RefactorPlan): void {
  const broken = (text: string) => withTree(text, (tree) => tree.rootNode.hasError);
  for (const [file, text] of editedTexts(plan)) {
    if (broken(text) && !broken(plan.texts.get(file)!)) throw new RefactorRefused(`the change would leave ${file} unparsable; nothing was changed (edit it by hand)`);
  }
}
