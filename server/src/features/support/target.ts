// What a position in a file refers to, read from the file's summary (no tree needed, so
// it works for files the editor has not opened): an option, a container, a secret, the
// `.age` file of a secret declaration, or an imported file.
import type { Position, Src } from '../../model/source';
import type { FileSummary, SecretDeclaration } from '../../model/summary';
import type { Session } from '../../lsp/session';
import type { Workspace } from '../../workspace/workspace';
import { WorkspaceFacts, factsOf } from './facts';
import { compareExtent, containsPosition } from './ranges';

export type Target =
  | { kind: 'option'; path: string[]; src: Src }
  | { kind: 'container'; name: string; src: Src }
  | { kind: 'secret'; name: string; src: Src }
  | { kind: 'secretFile'; declaration: SecretDeclaration; src: Src }
  | { kind: 'import'; target: string; src: Src };

/** On equal extents the more specific kind wins (a secret reference is also a config read). */
const PRIORITY: Record<Target['kind'], number> = { secretFile: 0, secret: 1, container: 2, import: 3, option: 4 };

export interface Located {
  workspace: Workspace;
  relative: string;
  summary: FileSummary;
  facts: WorkspaceFacts;
}

/** The workspace, summary and facts of a document, if it is an indexed Nix file. */
export function locateDocument(session: Session, uri: string): Located | undefined {
  const located = session.locate(uri);
  if (!located) return undefined;
  const summary = located.workspace.index.get(located.relative);
  if (!summary) return undefined;
  return { ...located, summary, facts: factsOf(located.workspace) };
}

export function targetAt(at: Located, position: Position): Target | undefined {
  const { summary, facts } = at;
  const found: Target[] = [];
  const consider = (target: Target) => {
    if (target.src.file === summary.file && containsPosition(target.src.range, position)) found.push(target);
  };
  for (const container of summary.containers) {
    consider({ kind: 'container', name: container.name, src: container.nameSrc });
    for (const entry of facts.container(container).dependsOn) if (entry.text !== null) consider({ kind: 'container', name: entry.text, src: entry.src });
  }
  const isOption = (path: string[]) => facts.index.option(path) !== undefined;
  for (const read of summary.optionReads ?? []) if (isOption(read.path)) consider({ kind: 'option', path: facts.index.canonicalPath(read.path), src: read.src });
  for (const definition of summary.optionDefinitions ?? []) if (isOption(definition.path)) consider({ kind: 'option', path: facts.index.canonicalPath(definition.path), src: definition.src });
  for (const decl of summary.options) consider({ kind: 'option', path: facts.index.canonicalPath(decl.path), src: decl.src });
  for (const use of summary.secretsUsed) consider({ kind: 'secret', name: use.name, src: use.src });
  for (const declaration of summary.secretsDeclared) {
    consider({ kind: 'secret', name: declaration.name, src: declaration.src });
    if (declaration.fileSrc) consider({ kind: 'secretFile', declaration, src: declaration.fileSrc });
  }
  for (const imported of summary.imports) consider({ kind: 'import', target: imported.target, src: imported.src });
  found.sort((a, b) => compareExtent(a.src.range, b.src.range) || PRIORITY[a.kind] - PRIORITY[b.kind]);
  return found[0];
}
