// HWC: Import Docker Compose File… on the server side (`hwc.server.importCompose`): the
// server reads the compose file and its env files from disk itself, so secret values never
// travel over the connection in plaintext; they are encrypted here in memory, as `hwc import
// compose` does. The answer is one WorkspaceEdit whose changes all carry a change annotation
// that needs confirmation, so the editor shows every file in one refactoring preview before
// anything is applied. Needs a trusted workspace; refuses plans that would write outside the root.
import * as path from 'path';
import type { ChangeAnnotation, CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { ComposeError } from '../compose/interpolate';
import { secretFileReader } from '../compose/secretFileReader';
import { readBounded } from '../io/readBounded';
import { importCompose, type ComposeImportInput } from '../compose/importCompose';
import { textEdits } from '../fixes/diff';
import { positionAt } from '../fixes/text';
import type { Session } from '../lsp/session';
import { ServerCommands, type ImportComposeRequest, type ImportComposeResult } from '../protocol';
import { ScaffoldError, diskFileAccess, type PlannedFile, type WorkspaceView } from '../scaffold';
import { newFolders } from '../scaffold/generate';
import { WriteRefused, resolveWriteTarget } from '../workspace/rootPaths';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';
import { isWorkspaceTrusted } from './support/trust';

const ANNOTATION = 'hwc.importCompose';

/** A compose or env file is configuration: bigger than this, it is not one. */
const MAX_COMPOSE_BYTES = 1024 * 1024;

function readFile(file: string, what: string): string | undefined {
  const read = readBounded(file, MAX_COMPOSE_BYTES);
  if ('buffer' in read) return read.buffer.toString('utf8');
  if ('missing' in read) return undefined;
  const why = 'notRegular' in read ? `${read.notRegular}, not a file` : 'tooLarge' in read ? `more than ${MAX_COMPOSE_BYTES / 1024} KiB` : 'not readable';
  throw new ResponseError(LSPErrorCodes.RequestFailed, `HWC: ${what} ${file}: ${why}`);
}

function readRequired(uri: string, what: string): string {
  const file = URI.parse(uri).fsPath;
  const text = readFile(file, what);
  if (text === undefined) throw new ResponseError(LSPErrorCodes.RequestFailed, `HWC: ${what} ${file}: no such file`);
  return text;
}

function inputOf(request: ImportComposeRequest): ComposeImportInput {
  if (typeof request?.file !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, 'HWC: importCompose needs { file: uri }');
  const folder = path.dirname(URI.parse(request.file).fsPath);
  const dotEnv = path.join(folder, '.env');
  const map = (record: Record<string, string> | undefined) => new Map(Object.entries(record ?? {}).filter(([, v]) => typeof v === 'string'));
  return {
    file: path.basename(URI.parse(request.file).fsPath),
    text: readRequired(request.file, 'compose file'),
    envFiles: (request.envFiles ?? []).map((uri) => ({ name: path.basename(URI.parse(uri).fsPath), text: readRequired(uri, 'env file') })),
    dotEnv: readFile(dotEnv, 'env file'),
    readRelative: (relative) => readFile(path.resolve(folder, relative), 'env_file'),
    readSecretFile: secretFileReader(folder, (Array.isArray(request.allowRead) ? request.allowRead : []).filter((u) => typeof u === 'string').map((u) => URI.parse(u).fsPath)),
    folderName: path.basename(folder),
    category: request.category,
    pins: map(request.pins),
    publicDomains: map(request.publicDomains),
    profiles: Array.isArray(request.profiles) ? request.profiles.filter((p) => typeof p === 'string') : [],
  };
}

/**
 * Creates with their full text, edits as minimal changes of the text they were computed from;
 * every change annotated. As New Container does (scaffold/generate.ts), every file create comes
 * first, then a folder create for each outermost new folder, then the text: VS Code undoes that
 * in one step, folders included, so one undo leaves the workspace as it was.
 */
function toWorkspaceEdit(session: Session, workspace: Workspace, files: PlannedFile[], folders: string[]): WorkspaceEdit {
  const annotation: ChangeAnnotation = { label: 'Import Docker Compose file', needsConfirmation: true, description: 'HWC: one module per compose service' };
  const creates: CreateFile[] = [];
  const texts: TextDocumentEdit[] = [];
  const start = { line: 0, character: 0 };
  for (const file of files) {
    const uri = session.uriOf(workspace, file.path);
    if (file.action === 'create') {
      creates.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false }, annotationId: ANNOTATION });
      texts.push({ textDocument: { uri, version: null }, edits: [{ range: { start, end: start }, newText: file.text, annotationId: ANNOTATION }] });
    } else {
      const before = file.before!;
      const edits = textEdits(before, file.text).map((e) => ({ range: { start: positionAt(before, e.start), end: positionAt(before, e.end) }, newText: e.newText, annotationId: ANNOTATION }));
      texts.push({ textDocument: { uri: session.uriOf(workspace, file.path), version: session.documents.get(uri)?.document.version ?? null }, edits });
    }
  }
  const folderCreates: CreateFile[] = folders.map((folder) => ({
    kind: 'create',
    uri: session.uriOf(workspace, folder),
    // `folder` and `recursive` are VS Code's extension of CreateFile (see generate.ts).
    options: { overwrite: false, ignoreIfExists: false, folder: true, recursive: true } as CreateFile['options'],
    annotationId: ANNOTATION,
  }));
  return { documentChanges: [...creates, ...folderCreates, ...texts], changeAnnotations: { [ANNOTATION]: annotation } };
}

export const importComposeFeature: Feature = {
  register({ session, commands }) {
    commands.set(ServerCommands.importCompose, async (args): Promise<ImportComposeResult> => {
      await session.idle();
      if (!isWorkspaceTrusted()) throw new ResponseError(LSPErrorCodes.RequestFailed, 'HWC: importing a compose file writes files, so it needs a trusted workspace; trust the folder first');
      const target = args[1] as { folder?: string } | undefined;
      const workspace = target?.folder ? session.workspaces.find((w) => path.resolve(w.root) === path.resolve(URI.parse(target.folder!).fsPath)) : session.workspaces[0];
      if (!workspace) throw new ResponseError(LSPErrorCodes.RequestFailed, 'HWC: no such workspace folder is open');
      const overlay = (relative: string) => {
        const open = session.documents.get(session.uriOf(workspace, relative));
        return open ? { text: open.document.getText(), version: open.document.version } : undefined;
      };
      const view: WorkspaceView = { root: workspace.root, config: workspace.config, index: workspace.index, files: diskFileAccess(workspace.root, overlay) };
      try {
        const result = await importCompose(inputOf(args[0] as ImportComposeRequest), view, {});
        if (result.status === 'needs-pin' || result.status === 'needs-consent') return result;
        for (const file of result.files) {
          const real = resolveWriteTarget(workspace.root, file.path);
          if (file.action === 'create' && real.stat) throw new ScaffoldError([{ field: 'workspace', message: `${file.path} already exists; existing files are never overwritten` }]);
        }
        const entry = result.files.find((f) => f.path.endsWith('/index.nix') && f.action === 'create');
        return {
          status: 'planned',
          edit: toWorkspaceEdit(session, workspace, result.files, newFolders(view, result.files.filter((f) => f.action === 'create').map((f) => f.path))),
          files: result.files.map((f) => session.uriOf(workspace, f.path)),
          services: result.services.map(({ service, name, image, notes }) => ({ service, name, image, notes })),
          skipped: result.skipped,
          untranslated: result.untranslated,
          notes: result.notes,
          entry: entry ? session.uriOf(workspace, entry.path) : null,
        };
      } catch (error) {
        if (error instanceof ComposeError || error instanceof WriteRefused) throw new ResponseError(LSPErrorCodes.RequestFailed, `HWC: ${error.message}`);
        if (error instanceof ScaffoldError) throw new ResponseError(LSPErrorCodes.RequestFailed, error.message, { problems: error.problems });
        throw error;
      }
    });
  },
};
