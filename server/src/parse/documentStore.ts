// Open documents and their trees. The store owns every tree it creates: an edit re-parses
// incrementally and deletes the old tree; closing a document deletes its tree.
import { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { Edit, Point, Tree, parseNix } from './parser';

export interface OpenDocument {
  document: TextDocument;
  tree: Tree;
}

function pointAt(document: TextDocument, offset: number): Point {
  const position = document.positionAt(offset);
  return { row: position.line, column: position.character };
}

export class DocumentStore {
  private readonly documents = new Map<string, OpenDocument>();
  /** Trees created and deleted by this store (the leak check in tests reads them). */
  readonly stats = { created: 0, deleted: 0 };

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  uris(): string[] {
    return [...this.documents.keys()];
  }

  get liveTrees(): number {
    return this.stats.created - this.stats.deleted;
  }

  private parse(text: string, old?: Tree): Tree {
    const tree = parseNix(text, old);
    this.stats.created++;
    return tree;
  }

  private free(tree: Tree): void {
    tree.delete();
    this.stats.deleted++;
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const existing = this.documents.get(uri);
    if (existing) this.free(existing.tree);
    const entry = { document: TextDocument.create(uri, languageId, version, text), tree: this.parse(text) };
    this.documents.set(uri, entry);
    return entry;
  }

  /** Applies LSP content changes in order, editing the tree for each, then re-parses once. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.documents.get(uri);
    if (!entry) return undefined;
    let document = entry.document;
    let incremental = true;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        incremental = false;
        document = TextDocument.update(document, [change], version);
        continue;
      }
      const startIndex = document.offsetAt(change.range.start);
      const oldEndIndex = document.offsetAt(change.range.end);
      const startPosition = pointAt(document, startIndex);
      const oldEndPosition = pointAt(document, oldEndIndex);
      document = TextDocument.update(document, [change], version);
      const newEndIndex = startIndex + change.text.length;
      if (incremental) entry.tree.edit(new Edit({ startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition: pointAt(document, newEndIndex) }));
    }
    const text = document.getText();
    const next = this.parse(text, incremental ? entry.tree : undefined);
    this.free(entry.tree);
    entry.tree = next;
    entry.document = document;
    return entry;
  }

  close(uri: string): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    this.free(entry.tree);
    this.documents.delete(uri);
  }

  dispose(): void {
    for (const uri of this.uris()) this.close(uri);
  }
}
