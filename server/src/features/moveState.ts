// `hwc.server.moveState`: the plan of `hwc move` (refactor/move.ts) as one WorkspaceEdit of
// versioned text edits, for Move state to another category… (the containers view and the code
// action on a state path, moveStateAction.ts). Without a category it answers with the
// configured categories, the current one and the state root, for the pick.
import { LSPErrorCodes, ResponseError, TextDocumentEdit } from 'vscode-languageserver/node';
import { lineStarts, toRange } from '../fixes/text';
import { ServerCommands, type MoveStateParams, type MoveStateResult } from '../protocol';
import { planMove } from '../refactor/move';
import { RefactorRefused } from '../refactor/plan';
import { placeSourceFor } from '../refactor/source';
import { writableInRoot } from '../workspace/rootPaths';
import type { Feature } from './feature';
import { factsOf } from './support/facts';

export const moveStateFeature: Feature = {
  register({ session, commands }) {
    commands.set(ServerCommands.moveState, async (args): Promise<MoveStateResult> => {
      const params = args[0] as Partial<MoveStateParams> | undefined;
      if (typeof params?.name !== 'string' || typeof params.uri !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, `${ServerCommands.moveState} needs { name, uri }`);
      await session.idle();
      const located = session.locate(params.uri);
      if (!located) throw new ResponseError(LSPErrorCodes.RequestFailed, 'not inside an open workspace folder');
      const { workspace } = located;
      if (typeof params.category !== 'string') {
        const facts = factsOf(workspace);
        const [model] = workspace.index.containersNamed(params.name);
        return { categories: workspace.config.categories, current: model ? facts.container(model).category : null, stateRoot: workspace.config.stateRoot.replace(/\/+$/, '') };
      }
      const openText = (file: string) => session.documents.get(session.uriOf(workspace, file))?.document.getText();
      let plan;
      try {
        plan = planMove(placeSourceFor(workspace, [params.name], openText), params.name, params.category);
      } catch (error) {
        if (error instanceof RefactorRefused) return { refused: error.message };
        throw error;
      }
      if (!writableInRoot(workspace.root, plan.edits.keys())) throw new ResponseError(LSPErrorCodes.RequestFailed, `a file moving ${params.name}'s state changes lies outside the workspace`);
      const documentChanges = [...plan.edits].sort(([a], [b]) => a.localeCompare(b)).map(([file, edits]) => {
        const text = plan.texts.get(file)!;
        const starts = lineStarts(text);
        const uri = session.uriOf(workspace, file);
        return TextDocumentEdit.create({ uri, version: session.documents.get(uri)?.document.version ?? null }, [...edits].sort((a, b) => a.start - b.start).map((e) => ({ range: toRange(text, e, starts), newText: e.newText })));
      });
      return { edit: { documentChanges }, edits: [...plan.edits.keys()].sort(), notes: plan.notes };
    });
  },
};
