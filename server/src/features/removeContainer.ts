// `hwc.server.removeContainer`: the plan of `hwc remove` (refactor/plan.ts) as one
// WorkspaceEdit — versioned text edits, then the container's files deleted (its module
// folder last, once empty). The client asks first (dependents, each secret, a final
// confirmation) and applies it as one undoable step. Only in a trusted workspace: it
// deletes files.
import { DeleteFile, LSPErrorCodes, ResponseError, TextDocumentEdit } from 'vscode-languageserver/node';
import { lineStarts, toRange } from '../fixes/text';
import { ServerCommands, type RemoveContainerParams, type RemoveContainerResult } from '../protocol';
import { planRemove, RefactorRefused } from '../refactor/plan';
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
      const documentChanges: Array<TextDocumentEdit | DeleteFile> = [];
      for (const [file, edits] of [...plan.edits].sort(([a], [b]) => a.localeCompare(b))) {
        const text = plan.texts.get(file)!;
        const starts = lineStarts(text);
        const uri = session.uriOf(workspace, file);
        documentChanges.push(TextDocumentEdit.create({ uri, version: session.documents.get(uri)?.document.version ?? null }, [...edits].sort((a, b) => a.start - b.start).map((e) => ({ range: toRange(text, e, starts), newText: e.newText }))));
      }
      for (const file of plan.deletes) documentChanges.push(DeleteFile.create(session.uriOf(workspace, file), { ignoreIfNotExists: false }));
      const places = findContainerPlaces(source, params.name);
      const folder = places?.moduleFolder;
      if (folder && places.moduleFiles.every((f) => plan.deletes.includes(f))) documentChanges.push(DeleteFile.create(session.uriOf(workspace, folder), { recursive: false, ignoreIfNotExists: true }));
      return {
        edit: { documentChanges },
        deletes: plan.deletes,
        edits: [...plan.edits.keys()].sort(),
        secrets: places?.secrets ?? [],
        notes: plan.notes,
        unresolved: plan.unresolved.map((m) => `${m.file}:${m.line}: ${m.reason}`),
      };
    });
  },
};
