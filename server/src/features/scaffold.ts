// The New Container generator over workspace/executeCommand, for the VS Code wizard and
// any other editor: `hwc.server.newContainerContext` tells a UI what the workspace holds
// (names, images, networks, ports, categories, age recipients) and
// `hwc.server.generateContainer` turns a spec into one WorkspaceEdit the client applies.
// Generating needs a trusted workspace, and every file of the plan must really lie inside
// the root (a symlinked containers folder or profile leading out is refused): the client
// applies the edit through the same links.
import * as path from 'path';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Session } from '../lsp/session';
import { ServerCommands } from '../protocol';
import { ScaffoldError, collectFacts, diskFileAccess, generateContainer, type WorkspaceView } from '../scaffold';
import { WriteRefused, resolveWriteTarget } from '../workspace/rootPaths';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';
import { initWorkspaceTrust, isWorkspaceTrusted } from './support/trust';

interface Target {
  /** The workspace folder (URI) to scaffold into; default: the first one. */
  folder?: string;
  /** The client applies VS Code folder creates (`options.folder`): the edit creates folders too, so one undo removes them. */
  createFolders?: boolean;
}

export function pickWorkspace(session: Session, target: Target | undefined): Workspace {
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

/** Refuses a plan any of whose files would be written outside the root, or over something that is not a regular file. */
function checkTargets(workspace: Workspace, files: Array<{ path: string; action: 'create' | 'edit' }>): void {
  const problems: Array<{ field: 'workspace'; message: string }> = [];
  for (const file of files) {
    try {
      const target = resolveWriteTarget(workspace.root, file.path);
      if (file.action === 'create' && target.stat) problems.push({ field: 'workspace', message: `${file.path} already exists; existing files are never overwritten` });
    } catch (error) {
      if (!(error instanceof WriteRefused)) throw error;
      problems.push({ field: 'workspace', message: error.message });
    }
  }
  if (problems.length > 0) throw new ScaffoldError([...problems, { field: 'workspace', message: 'nothing was generated' }]);
}

export const scaffoldFeature: Feature = {
  initialize(params) {
    initWorkspaceTrust(params);
  },
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
      if (!isWorkspaceTrusted()) throw new ResponseError(LSPErrorCodes.RequestFailed, 'HWC: New Container writes files, so it needs a trusted workspace; trust the folder first');
      try {
        const plan = await generateContainer(args[0], viewOf(session, workspace), { flakeHost: session.settings.flakeHost, createFolders: target?.createFolders === true });
        checkTargets(workspace, plan.files);
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
