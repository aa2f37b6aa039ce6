// The open documents, with changes applied when someone needs them. A burst of
// didChange notifications (fast typing, a paste, a formatter's edits) is queued, then
// parsed and summarised once: when the lint loop runs, or when a request reads the
// document first.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { DocumentStore, OpenDocument } from '../parse/documentStore';

interface Pending {
  version: number;
  changes: TextDocumentContentChangeEvent[];
}

export class PendingDocuments {
  private readonly store = new DocumentStore();
  private readonly pending = new Map<string, Pending>();

  /** `onApplied` sees each document whose queued changes were just applied. */
  constructor(private readonly onApplied: (uri: string, entry: OpenDocument) => void) {}

  get stats(): DocumentStore['stats'] {
    return this.store.stats;
  }

  /** Documents larger than this many bytes are kept as text only (DocumentStore.maxBytes). */
  set maxBytes(bytes: number) {
    this.store.maxBytes = bytes;
  }

  get liveTrees(): number {
    return this.store.liveTrees;
  }

  /** The document with every change received so far applied. */
  get(uri: string): OpenDocument | undefined {
    this.apply(uri);
    return this.store.get(uri);
  }

  uris(): string[] {
    return this.store.uris();
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.pending.delete(uri);
    return this.store.open(uri, languageId, version, text);
  }

  /** Queues changes; false when the document is not open. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): boolean {
    if (!this.store.get(uri)) return false;
    const queued = this.pending.get(uri);
    if (queued) {
      queued.version = version;
      queued.changes.push(...changes);
    } else {
      this.pending.set(uri, { version, changes: [...changes] });
    }
    return true;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Applies every queued change (one parse per document). */
  applyAll(): void {
    for (const uri of [...this.pending.keys()]) this.apply(uri);
  }

  private apply(uri: string): void {
    const queued = this.pending.get(uri);
    if (!queued) return;
    this.pending.delete(uri);
    const entry = this.store.change(uri, queued.version, queued.changes);
    if (entry) this.onApplied(uri, entry);
  }

  close(uri: string): void {
    this.pending.delete(uri);
    this.store.close(uri);
  }

  dispose(): void {
    this.pending.clear();
    this.store.dispose();
  }
}
