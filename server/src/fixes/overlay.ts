// A copy of a workspace index that fix-all can change (summaries of fixed texts) without
// touching the real one; files on disk are still answered by the original.
import type { LintConfig } from '../config/schema';
import { extractSummary } from '../model/extract';
import { withTree } from '../parse/parser';
import { WorkspaceIndex } from '../workspace/index';

export class OverlayIndex extends WorkspaceIndex {
  constructor(private readonly base: WorkspaceIndex) {
    super(base.root, base.config);
    for (const summary of base.files()) this.update(summary);
  }

  override exists(file: string): boolean {
    return super.exists(file) || this.base.exists(file);
  }

  /** Re-summarises a file from new text. */
  updateText(file: string, text: string, config: LintConfig): void {
    this.update(withTree(text, (tree) => extractSummary(tree, file, config)));
  }
}
