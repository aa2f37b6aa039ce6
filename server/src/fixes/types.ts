// The contract every fix implements. A fix is pure: it reads the diagnostic's facts, the
// current text of the files it touches (parsing them through the engine's parse layer
// when it needs syntax, and freeing every tree) and the workspace index, and returns text
// edits per file. It never applies them; the LSP feature, fix-all and the CLI do.
import type { LintConfig } from '../config/schema';
import type { LintDiagnostic } from '../rules/engine';
import type { WorkspaceIndex } from '../workspace/index';

/** A replacement of [start, end) (UTF-16 offsets into the text the fix read) by newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
  /**
   * For an insertion: what it adds (`item:<text>` for a list item, `binding:<path>` for a
   * binding). Fix-all lets insertions with different tags share an offset (two imports
   * appended to one list); two bindings of one path at one place stay a conflict.
   */
  join?: string;
}

/** Edits by workspace-relative file. */
export type FileEdits = Map<string, TextEdit[]>;

/**
 * safe: does what the rule asks and nothing else the running system would notice;
 * fix-all applies it. unsafe: changes behaviour in a way that needs the user's intent
 * (a listener moves to loopback, a container starts or runs as another user); fix-all
 * applies it only with `hwc.fixAll.includeUnsafe`.
 */
export type Safety = 'safe' | 'unsafe';

export interface FixAction {
  /** The fix that made it (its id in the registry). */
  fix: string;
  title: string;
  safety: Safety;
  /**
   * Whether fix-all may pick this action. False for actions that need a choice among
   * several (a category, a container name), the user's input, or the user's follow-up
   * work (moving a secret value into an encrypted file), and for suppressions.
   */
  autoApply: boolean;
  edits: FileEdits;
  /** Shown first among the quick fixes of its diagnostic. */
  preferred?: boolean;
  /** What the user still has to do after the edit (shown by the editor, printed by the CLI). */
  note?: string;
  /** Instead of edits: the client must ask the user something first (then the server computes the edit). */
  prompt?: { kind: 'imageTag'; image: string; suggestion: string | null };
}

export interface FixContext {
  readonly diagnostic: LintDiagnostic;
  readonly config: LintConfig;
  readonly index: WorkspaceIndex;
  /** Current text of a workspace-relative file (the open document, else the disk), if readable. */
  text(file: string): string | undefined;
}

export interface Fix {
  id: string;
  /** The rules whose diagnostics it answers ('*' for every rule). */
  rules: readonly string[] | '*';
  /** The safety of its actions (an action may report a safer class when it can tell). */
  safety: Safety;
  /** One line for the docs and the closing report. */
  summary: string;
  actions(ctx: FixContext): FixAction[];
}
