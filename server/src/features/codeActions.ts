// Code actions: the quick fixes and suppressions of server/src/fixes for each hwc
// diagnostic, `source.fixAll.hwc` (editor.codeActionsOnSave), and the commands behind
// them: `hwc.server.fixAll` (the "Fix all auto-fixable problems" command), the second half
// of "Pin image tag…" (`hwc.server.pinImageTag`, after the client asked for the tag) and
// `hwc.server.showFixNote`. Every edit is a versioned TextDocumentEdit, all files of one
// fix in one WorkspaceEdit, so a stale fix is refused and one undo reverts it.
import {
  CodeActionKind,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { textEdits } from '../fixes/diff';
import { fixAll } from '../fixes/fixAll';
import { pinImageTagEdits } from '../fixes/pinImageTag';
import { actionsFor } from '../fixes/registry';
import { lineStarts, toRange } from '../fixes/text';
import type { FileEdits, Fix, FixAction, FixContext, TextEdit } from '../fixes/types';
import type { Session } from '../lsp/session';
import { ClientCommands, ServerCommands, type PinImageTagPrompt } from '../protocol';
import type { LintDiagnostic } from '../rules/engine';
import { writableInRoot } from '../workspace/rootPaths';
import type { Workspace } from '../workspace/workspace';
import type { Feature } from './feature';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.hwc`;

interface FixAllResult {
  edit: WorkspaceEdit;
  applied: Array<{ file: string; line: number; rule: string; title: string; safety: string }>;
}

/** Whether each session's client takes `documentChanges` (versioned edits) in a WorkspaceEdit. */
const versionedEdits = new WeakMap<Session, boolean>();

/** Does a requested `only` list ask for actions of `kind`? With no filter (the light bulb) only quick fixes are computed. */
function wanted(only: string[] | undefined, kind: string): boolean {
  if (!only) return kind === CodeActionKind.QuickFix;
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

type Reader = (file: string) => string | undefined;

/** Reads files as the editor sees them (open documents over the disk), once per request. */
function readerFor(session: Session, workspace: Workspace): Reader {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      const open = session.documents.get(session.uriOf(workspace, file));
      let text: string | undefined;
      if (open) text = open.document.getText();
      // Through the workspace's reader: a regular file inside the root, within the size limit.
      else text = workspace.readText(file);
      cache.set(file, text);
    }
    return cache.get(file);
  };
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export const codeActionsFeature: Feature = {
  capabilities: {
    // RefactorMove: Move state to another category… (moveStateAction.ts, through codeActionSources).
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorMove, FIX_ALL_KIND], resolveProvider: false },
  },

  initialize(params, { session }) {
    versionedEdits.set(session, params.capabilities.workspace?.workspaceEdit?.documentChanges ?? false);
  },

  register({ connection, session, commands, codeActionSources }) {
    const onError = (fix: Fix, error: unknown) =>
      connection.console.error(`hwc: fix ${fix.id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);

    /** One WorkspaceEdit for edits in several files, each versioned against the open document (null when not open). */
    const workspaceEdit = (workspace: Workspace, edits: Map<string, { text: string; edits: TextEdit[] }>): WorkspaceEdit => {
      const perFile = [...edits].map(([file, { text, edits: list }]) => {
        const uri = session.uriOf(workspace, file);
        const starts = lineStarts(text);
        const lsp: LspTextEdit[] = [...list].sort((a, b) => a.start - b.start).map((e) => ({ range: toRange(text, e, starts), newText: e.newText }));
        return { uri, version: session.documents.get(uri)?.document.version ?? null, lsp };
      });
      if (versionedEdits.get(session) ?? true) return { documentChanges: perFile.map((f) => TextDocumentEdit.create({ uri: f.uri, version: f.version }, f.lsp)) };
      return { changes: Object.fromEntries(perFile.map((f) => [f.uri, f.lsp])) };
    };

    const editOf = (workspace: Workspace, read: Reader, edits: FileEdits): WorkspaceEdit =>
      workspaceEdit(workspace, new Map([...edits].map(([file, list]) => [file, { text: read(file) ?? '', edits: list }])));

    const toCodeAction = (action: FixAction, diagnostic: Diagnostic, lint: LintDiagnostic, uri: string, workspace: Workspace, read: Reader): CodeAction => {
      const base: CodeAction = { title: action.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: action.preferred || undefined };
      if (action.prompt) {
        const prompt: PinImageTagPrompt = { uri, diagnosticRange: lint.src.range, image: action.prompt.image, suggestion: action.prompt.suggestion };
        return { ...base, command: { title: action.title, command: ClientCommands.pinImageTag, arguments: [prompt] } };
      }
      return {
        ...base,
        edit: editOf(workspace, read, action.edits),
        command: action.note ? { title: 'What is left to do', command: ServerCommands.showFixNote, arguments: [action.note] } : undefined,
      };
    };

    /** Every safe fix (and the unsafe ones when the setting says so) for one file, as one WorkspaceEdit; null when there is nothing to fix. */
    const fixAllEdit = (uri: string): WorkspaceEdit | null => fixAllResult(uri)?.edit ?? null;

    /** The fix-all edit and what it applies; each applied fix is also logged, so Fix all on save leaves a trace in the output. */
    const fixAllResult = (uri: string): FixAllResult | null => {
      const located = session.locate(uri);
      if (!located) return null;
      const { workspace, relative } = located;
      const read = readerFor(session, workspace);
      const result = fixAll({
        index: workspace.index,
        config: workspace.config,
        read,
        severityOverrides: session.settings.rules,
        files: new Set([relative]),
        includeUnsafe: session.settings.fixAll.includeUnsafe,
        onError,
        current: session.current.get(uri)?.lint ?? [],
      });
      if (result.changes.size === 0 || !writableInRoot(workspace.root, result.changes.keys())) return null;
      for (const f of result.applied) connection.console.log(`hwc: fix all: ${f.file}:${f.line}: ${f.title} [${f.rule}] (${f.safety})`);
      return {
        edit: workspaceEdit(workspace, new Map([...result.changes].map(([file, { before, after }]) => [file, { text: before, edits: textEdits(before, after) }]))),
        applied: result.applied.map((f) => ({ file: f.file, line: f.line, rule: f.rule, title: f.title, safety: f.safety })),
      };
    };

    connection.onCodeAction(async (params) => {
      await session.idle();
      const uri = params.textDocument.uri;
      const located = session.locate(uri);
      if (!located) return [];
      const { workspace } = located;
      const read = readerFor(session, workspace);
      const out: CodeAction[] = [];
      if (wanted(params.context.only, CodeActionKind.QuickFix)) {
        const current = session.current.get(uri)?.lint ?? [];
        for (const diagnostic of params.context.diagnostics) {
          if (diagnostic.source !== 'hwc') continue;
          const lint = current.find((d) => d.rule === diagnostic.code && sameRange(d.src.range, diagnostic.range));
          if (!lint) continue;
          const ctx: FixContext = { diagnostic: lint, config: workspace.config, index: workspace.index, text: read };
          for (const action of actionsFor(ctx, { onError })) {
            // The editor applies edits through symbolic links: never offer one that writes outside the root.
            if (writableInRoot(workspace.root, action.edits.keys())) out.push(toCodeAction(action, diagnostic, lint, uri, workspace, read));
          }
        }
      }
      // Refactors are offered with no filter too: VS Code lists them under the quick fixes of Ctrl+. and in Refactor….
      for (const source of codeActionSources) {
        if (params.context.only && !wanted(params.context.only, source.kind)) continue;
        out.push(...(await source.actions(params)));
      }
      if (params.context.only && wanted(params.context.only, FIX_ALL_KIND)) {
        const edit = fixAllEdit(uri);
        if (edit) out.push({ title: 'Fix all auto-fixable HWC problems', kind: FIX_ALL_KIND, edit });
      }
      return out;
    });

    commands.set(ServerCommands.fixAll, async (args) => {
      const target = args[0] as { uri?: string; version?: number; report?: boolean } | undefined;
      if (!target?.uri) throw new ResponseError(LSPErrorCodes.RequestFailed, `${ServerCommands.fixAll} needs { uri, version }`);
      await session.idle();
      const open = session.documents.get(target.uri);
      if (open && typeof target.version === 'number' && open.document.version !== target.version) {
        throw new ResponseError(LSPErrorCodes.ContentModified, 'HWC: the document changed while fixing; run the command again');
      }
      // `report: true` (our client) also gets what was applied, to tell the user; other clients get the plain edit.
      return target.report === true ? fixAllResult(target.uri) : fixAllEdit(target.uri);
    });

    commands.set(ServerCommands.pinImageTag, async (args) => {
      const request = args[0] as { uri?: string; diagnosticRange?: Diagnostic['range']; tag?: string } | undefined;
      if (!request?.uri || !request.diagnosticRange || typeof request.tag !== 'string') {
        throw new ResponseError(LSPErrorCodes.RequestFailed, `${ServerCommands.pinImageTag} needs { uri, diagnosticRange, tag }`);
      }
      await session.idle();
      const located = session.locate(request.uri);
      const lint = session.current.get(request.uri)?.lint.find((d) => d.rule === 'image-latest-tag' && sameRange(d.src.range, request.diagnosticRange!));
      const image = typeof lint?.data?.image === 'string' ? lint.data.image : null;
      if (!located || !lint) throw new ResponseError(LSPErrorCodes.ContentModified, 'HWC: that image changed since the fix was offered; run the quick fix again');
      const read = readerFor(session, located.workspace);
      const edits = pinImageTagEdits({ diagnostic: lint, config: located.workspace.config, index: located.workspace.index, text: read }, lint.src, image, request.tag);
      if ('error' in edits) throw new ResponseError(LSPErrorCodes.RequestFailed, `HWC: ${edits.error}`);
      if (!writableInRoot(located.workspace.root, edits.keys())) throw new ResponseError(LSPErrorCodes.RequestFailed, 'HWC: the edit would write outside the workspace (through a symbolic link) or to something that is not a regular file; not applied');
      return editOf(located.workspace, read, edits);
    });

    commands.set(ServerCommands.showFixNote, (args) => {
      // A notification, not window/showMessageRequest: nothing to answer, nothing to fail.
      if (typeof args[0] === 'string') void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `HWC: ${args[0]}` });
      return null;
    });
  },
};
