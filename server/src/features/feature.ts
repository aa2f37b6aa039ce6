// The contract of an editor capability: what it announces in `initialize` and the
// handlers it registers. One capability per file under features/, listed in index.ts.
import type { CodeAction, CodeActionParams, Connection, InitializeParams, ServerCapabilities } from 'vscode-languageserver/node';
import type { Session } from '../lsp/session';

export type CommandHandler = (args: unknown[]) => unknown | Promise<unknown>;

/** Code actions that are not fixes (a refactor), offered by their own feature through the one codeAction handler (codeActions.ts). */
export interface CodeActionSource {
  /** The kind of every action it offers (announced in codeActionKinds by codeActions.ts). */
  kind: string;
  actions(params: CodeActionParams): CodeAction[] | Promise<CodeAction[]>;
}

export interface FeatureContext {
  connection: Connection;
  session: Session;
  /** workspace/executeCommand handlers by command id (one LSP handler dispatches to them). */
  commands: Map<string, CommandHandler>;
  /** Asked by codeActions.ts when the request wants their kind. */
  codeActionSources: CodeActionSource[];
}

export interface Feature {
  /** Merged into the server's capabilities. */
  capabilities?: ServerCapabilities;
  register(ctx: FeatureContext): void;
  /** Called from the server's one initialize handler, with the client's parameters. */
  initialize?(params: InitializeParams, ctx: FeatureContext): void;
}
