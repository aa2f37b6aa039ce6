// Rename a container from any place its name lives (`textDocument/prepareRename` and
// `textDocument/rename`): the same plan as `hwc rename` (refactor/plan.ts), as one
// WorkspaceEdit — the module folder, route file and `.age` files renamed, then versioned
// text edits on the files where they now are. The state directory keeps its name here (moving data
// needs the user's consent: `hwc rename --state`); that and the mentions left alone are
// shown as a message.
import { LSPErrorCodes, RenameFile, ResponseError, TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Position } from '../model/source';
import type { Session } from '../lsp/session';
import { lineStarts, offsetAt, toRange } from '../fixes/text';
import { findContainerPlaces, type PlaceSource } from '../refactor/places';
import { movedPath, planRename, RefactorRefused, type RefactorPlan } from '../refactor/plan';
import { placeSourceFor } from '../refactor/source';
import { writableInRoot } from '../workspace/rootPaths';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';

interface NameAt {
  workspace: Workspace;
  source: PlaceSource;
  name: string;
  range: { start: Position; end: Position };
}

/** The container whose name (or `<name>-env` secret) is under the cursor, at a place the refactor understands. */
export function containerNameAt(session: Session, uri: string, position: Position): NameAt | null {
  const located = session.locate(uri);
  if (!located || !located.relative.endsWith('.nix')) return null;
  const { workspace, relative } = located;
  const openText = (file: string) => session.documents.get(session.uriOf(workspace, file))?.document.getText();
  const text = openText(relative) ?? placeSourceFor(workspace, []).read(relative);
  if (text === undefined) return null;
  const starts = lineStarts(text);
  const offset = offsetAt(text, position, starts);
  let from = offset;
  let to = offset;
  while (from > 0 && /[A-Za-z0-9_-]/.test(text[from - 1])) from--;
  while (to < text.length && /[A-Za-z0-9_-]/.test(text[to])) to++;
  const token = text.slice(from, to);
  if (token === '') return null;
  const names = new Set(workspace.index.containers().map((c) => c.name));
  // The longest container name the token is, or starts (a secret `sonarr-env`, a unit `podman-…` is not).
  const candidates = [...names].filter((n) => token === n || token.startsWith(`${n}-`)).sort((a, b) => b.length - a.length);
  for (const name of candidates) {
    const source = placeSourceFor(workspace, [name], openText);
    const places = findContainerPlaces(source, name);
    const place = places?.places.find((p) => p.file === relative && from <= p.start && p.end <= to && p.kind !== 'state-dir');
    if (place) return { workspace, source, name, range: toRange(text, { start: place.start, end: place.end, newText: '' }, starts) };
  }
  return null;
}

/**
 * The plan as one WorkspaceEdit: the renames first (module folder, route file, `.age` files),
 * then the text edits on the files where they now are. In that order VS Code saves what it
 * edited (`files.refactoring.autoSave`); with the text edits on the old URIs first and the
 * folder's rename after them, the moved files were left edited but unsaved (seen in
 * code-server, test/e2e/lifecycleUndo.test.mjs). One undo still reverts it all.
 */
export function renameEdit(session: Session, workspace: Workspace, plan: RefactorPlan): WorkspaceEdit {
  const documentChanges: Array<TextDocumentEdit | RenameFile> = [];
  for (const move of plan.moves) documentChanges.push(RenameFile.create(session.uriOf(workspace, move.from), session.uriOf(workspace, move.to), { overwrite: false, ignoreIfExists: false }));
  for (const [file, edits] of [...plan.edits].sort(([a], [b]) => a.localeCompare(b))) {
    const text = plan.texts.get(file)!;
    const starts = lineStarts(text);
    const target = movedPath(plan, file);
    const uri = session.uriOf(workspace, target);
    // A moved file is a new document for the client: no version to check it against.
    const version = target === file ? session.documents.get(uri)?.document.version ?? null : null;
    const lsp = [...edits].sort((a, b) => a.start - b.start).map((e) => ({ range: toRange(text, e, starts), newText: e.newText }));
    documentChanges.push(TextDocumentEdit.create({ uri, version }, lsp));
  }
  return { documentChanges };
}

export const renameFeature: Feature = {
  capabilities: { renameProvider: { prepareProvider: true } },
  register({ connection, session }) {
    connection.onPrepareRename(async ({ textDocument, position }) => {
      await session.idle();
      const at = containerNameAt(session, textDocument.uri, position);
      if (!at) return null;
      return { range: at.range, placeholder: at.name };
    });
    connection.onRenameRequest(async ({ textDocument, position, newName }) => {
      await session.idle();
      const at = containerNameAt(session, textDocument.uri, position);
      if (!at) throw new ResponseError(LSPErrorCodes.RequestFailed, 'not a container name that hwc can rename here');
      let plan: RefactorPlan;
      try {
        plan = planRename(at.source, at.name, newName);
      } catch (error) {
        if (error instanceof RefactorRefused) throw new ResponseError(LSPErrorCodes.RequestFailed, `Rename ${at.name}: ${error.message}`);
        throw error;
      }
      // Every file the edit writes or moves, at both ends (a folder move is checked file by file).
      const moved = at.source.files.filter((f) => movedPath(plan, f) !== f);
      const touched = [...plan.edits.keys(), ...moved, ...moved.map((f) => movedPath(plan, f))];
      if (!writableInRoot(at.workspace.root, touched)) throw new ResponseError(LSPErrorCodes.RequestFailed, `Rename ${at.name}: a file it changes lies outside the workspace`);
      const left = plan.unresolved.length;
      const message = [...plan.notes, ...(left > 0 ? [`${left} mention${left === 1 ? '' : 's'} of ${at.name} left as they are (values, scripts, other modules' text); \`hwc rename --dry-run\` lists them`] : [])];
      if (message.length > 0) void connection.window.showInformationMessage(`Renamed ${at.name} to ${newName}: ${message.join('; ')}`);
      return renameEdit(session, at.workspace, plan);
    });
  },
};
