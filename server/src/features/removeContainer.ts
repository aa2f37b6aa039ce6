// `hwc.server.removeContainer`: the plan of `hwc remove` (refactor/plan.ts) as one
// WorkspaceEdit — the container's files deleted, versioned text edits, then its emptied
// module folder (removeEdit says why in that order). The client asks first (dependents,
// each secret, a final confirmation) and applies it as one undoable step. Only in a trusted
// workspace: it deletes files.
import { DeleteFile, LSPErrorCodes, ResponseError, TextDocumentEdit, type DeleteFileOptions } from 'vscode-languageserver/node';
import type { Session } from '../lsp/session';
import type { Workspace } from '../workspace/workspace';
import { lineStarts, toRange } from '../fixes/text';
import { ServerCommands, type RemoveContainerParams, type RemoveContainerResult } from '../protocol';
import { planRemove, RefactorRefused, type RefactorPlan } from '../refactor/plan';
import { findContainerPlaces } from '../refactor/places';
import { placeSourceFor } from '../refactor/source';
import { writableInRoot } from '../workspace/rootPaths';
import type { Feature } from './feature';
import { isWorkspaceTrusted } from './support/trust';

export const removeContainerFeature: Feature = {
  register({ session, commands }) {
    commands.set(ServerCommands.removeContainer, async (args): Promise<RemoveContainerResult> => {
      const params = args[0] as Partial<RemoveContainerParams> | undefined;
      if (typeof params?.name !== 'string' || typeof params.uri !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, `${ServerCommands.removeContainer} needs { name, uri }`);
      if (!isWorkspaceTrusted()) throw new ResponseError(LSPErrorCodes.RequestFailed, 'Removing a container deletes files: trust the workspace first');
      await session.idle();
      const located = session.locate(params.uri);
      if (!located) throw new ResponseError(LSPErrorCodes.RequestFailed, 'not inside an open workspace folder');
      const { workspace } = located;
      const openText = (file: string) => session.documents.get(session.uriOf(workspace, file))?.document.getText();
      const source = placeSourceFor(workspace, [params.name], openText);
      let plan;
      try {
        plan = planRemove(source, params.name, { force: params.force === true, keepSecret: params.keepSecret === true });
      } catch (error) {
        if (!(error instanceof RefactorRefused)) throw error;
        const dependents = findContainerPlaces(source, params.name)?.dependents.map((d) => d.name) ?? [];
        return { refused: error.message, dependents };
      }
      if (!writableInRoot(workspace.root, [...plan.edits.keys(), ...plan.deletes])) throw new ResponseError(LSPErrorCodes.RequestFailed, `a file removing ${params.name} changes lies outside the workspace`);
      const places = findContainerPlaces(source, params.name);
      const folder = places?.moduleFolder;
      const emptied = folder && places.moduleFiles.every((f) => plan.deletes.includes(f)) ? folder : null;
      return {
        edit: removeEdit(session, workspace, plan, emptied),
        deletes: plan.deletes,
        edits: [...plan.edits.keys()].sort(),
        secrets: places?.secrets ?? [],
        notes: plan.notes,
        unresolved: plan.unresolved.map((m) => `${m.file}:${m.line}: ${m.reason}`),
      };
    });
  },
};

/**
 * The plan as one WorkspaceEdit in the order VS Code can apply and undo in one step: the
 * files deleted, then the text edits, then the emptied module folder. VS Code checks a run of
 * consecutive deletes before deleting any (a folder must be empty then), so the folder's
 * delete must not follow the files' directly; and it keeps each deleted file's content for the
 * undo, which recreates the files (and with them the folder). The folder is marked `folder`
 * (VS Code's extension of DeleteFile, passed through by vscode-languageclient) so VS Code does
 * not try to read it as a file. Measured in code-server: test/e2e/lifecycleUndo.test.mjs.
 */
function removeEdit(session: Session, workspace: Workspace, plan: RefactorPlan, emptiedFolder: string | null): { documentChanges: Array<TextDocumentEdit | DeleteFile> } {
  const documentChanges: Array<TextDocumentEdit | DeleteFile> = [];
  for (const file of plan.deletes) documentChanges.push(DeleteFile.create(session.uriOf(workspace, file), { ignoreIfNotExists: false }));
  for (const [file, edits] of [...plan.edits].sort(([a], [b]) => a.localeCompare(b))) {
    const text = plan.texts.get(file)!;
    const starts = lineStarts(text);
    const uri = session.uriOf(workspace, file);
    documentChanges.push(TextDocumentEdit.create({ uri, version: session.documents.get(uri)?.document.version ?? null }, [...edits].sort((a, b) => a.start - b.start).map((e) => ({ range: toRange(text, e, starts), newText: e.newText }))));
  }
  if (emptiedFolder) {
    // With no text edit between, the folder would be checked with its files still in it: then it goes with them (recursive).
    const recursive = plan.edits.size === 0;
    documentChanges.push(DeleteFile.create(session.uriOf(workspace, emptiedFolder), { recursive, ignoreIfNotExists: true, folder: true } as DeleteFileOptions));
  }
  return { documentChanges };
}
