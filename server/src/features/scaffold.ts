// The New Container generator over workspace/executeCommand, for the VS Code wizard and
// any other editor: `hwc.server.newContainerContext` tells a UI what the workspace holds
// (names, images, networks, ports, categories, age recipients) and
// `hwc.server.generateContainer` turns a spec into one WorkspaceEdit the client applies.
import * as path from 'path';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Session } from '../lsp/session';
import { ServerCommands } from '../protocol';
import { ScaffoldError, collectFacts, diskFileAccess, generateContainer, type WorkspaceView } from '../scaffold';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';

interface Target {
  /** The workspace folder (URI) to scaffold into; default: the first one. */
  folder?: string;
  /** The client applies VS Code folder creates (`options.folder`): the edit creates folders too, so one undo removes them. */
  createFolders?: boolean;
}

function pickWorkspace(session: Session, target: Target | undefined): Workspace {
  if (session.workspaces.length === 0) throw new ResponseError(LSPErrorCodes.RequestFailed, 'HWC: no workspace folder is open');
  if (!target?.folder) return session.workspaces[0];
  const folder = URI.parse(target.folder).fsPath;
  const found = session.workspaces.find((w) => path.resolve(w.root) === path.resolve(folder));
  if (!found) throw new ResponseError(LSPErrorCodes.RequestFailed, `HWC: ${target.folder} is not a workspace folder of this server`);
  return found;
}

/** The workspace as the generator sees it: open documents' text (and versions) over the disk. */
function viewOf(session: Session, workspace: Workspace): WorkspaceView {
  const overlay = (relative: string) => {
    const open = session.documents.get(session.uriOf(workspace, relative));
    return open ? { text: open.document.getText(), version: open.document.version } : undefined;
  };
  return { root: workspace.root, config: workspace.config, index: workspace.index, files: diskFileAccess(workspace.root, overlay) };
}

export const scaffoldFeature: Feature = {
  register({ session, commands }) {
    commands.set(ServerCommands.newContainerContext, async (args) => {
      await session.idle();
      const workspace = pickWorkspace(session, args[0] as Target | undefined);
      return { folder: URI.file(workspace.root).toString(), ...collectFacts(viewOf(session, workspace)) };
    });

    commands.set(ServerCommands.generateContainer, async (args) => {
      await session.idle();
      const target = args[1] as Target | undefined;
      const workspace = pickWorkspace(session, target);
      try {
        const plan = await generateContainer(args[0], viewOf(session, workspace), { flakeHost: session.settings.flakeHost, createFolders: target?.createFolders === true });
        return {
          edit: plan.edit,
          files: plan.files.map((f) => session.uriOf(workspace, f.path)),
          notes: plan.notes,
          entry: session.uriOf(workspace, plan.entry),
        };
      } catch (error) {
        if (error instanceof ScaffoldError) throw new ResponseError(LSPErrorCodes.RequestFailed, error.message, { problems: error.problems });
        throw error;
      }
    });
  },
};
