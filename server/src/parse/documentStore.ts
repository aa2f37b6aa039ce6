// Open documents and their trees. The store owns every tree it creates: an edit re-parses
// incrementally and deletes the old tree; closing a document deletes its tree. A document
// over a limit (larger than `maxBytes`, or over a limit of limits.ts) is kept as text with
// an empty tree and the reason it was refused, so nothing pathological is parsed.
import { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { spliceFlatTree, TextChange } from './flatSplice';
import { FileLimitError } from './limits';
import { Edit, FlatTree, Point, Tree, flattenTree, parseNix } from './parser';

export interface OpenDocument {
  document: TextDocument;
  /** The document's tree; an empty tree when `refused` is set. */
  tree: Tree;
  /** Why the document was not parsed (over a limit): it gets `file-not-analysed` instead. */
  refused?: string;
  /** The tree copied out (flatTreeOf), kept so that an edit copies only what it changed. */
  flat?: FlatTree;
}

/** The document's tree as a FlatTree: made once per version, from the last one when an edit allows. */
export function flatTreeOf(entry: OpenDocument): FlatTree {
  return (entry.flat ??= flattenTree(entry.tree));
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

  /** Documents larger than this many bytes (UTF-8) are not parsed. */
  maxBytes = Infinity;

  /** The document's tree, or an empty tree and the limit it is over. */
  private parse(text: string, old?: Tree): { tree: Tree; refused?: string } {
    let refused = this.overSize(text);
    let tree: Tree | undefined;
    if (refused === undefined) {
      try {
        tree = parseNix(text, old);
      } catch (error) {
        if (!(error instanceof FileLimitError)) throw error;
        refused = error.reason;
      }
    }
    tree ??= parseNix('');
    this.stats.created++;
    return { tree, refused };
  }

  private overSize(text: string): string | undefined {
    // Each UTF-16 unit is at most 3 bytes of UTF-8: count bytes only when that could matter.
    if (text.length * 3 <= this.maxBytes) return undefined;
    const bytes = text.length > this.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
    if (bytes <= this.maxBytes) return undefined;
    return `it is larger than ${Math.round(this.maxBytes / 1024)} KiB (hwc.maxFileSizeKb)`;
  }

  private free(tree: Tree): void {
    tree.delete();
    this.stats.deleted++;
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const existing = this.documents.get(uri);
    if (existing) this.free(existing.tree);
    const entry: OpenDocument = { document: TextDocument.create(uri, languageId, version, text), ...this.parse(text) };
    this.documents.set(uri, entry);
    return entry;
  }

  /** Applies LSP content changes in order, editing the tree for each, then re-parses once. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.documents.get(uri);
    if (!entry) return undefined;
    let document = entry.document;
    let incremental = true;
    // A single change can be spliced into the kept FlatTree (flatSplice.ts); more are rare (a burst or a formatter).
    let only: TextChange | undefined;
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
      if (incremental && entry.refused === undefined) entry.tree.edit(new Edit({ startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition: pointAt(document, newEndIndex) }));
      only = changes.length === 1 ? { start: startIndex, oldEnd: oldEndIndex, newEnd: newEndIndex } : undefined;
    }
    const text = document.getText();
    // An empty stand-in tree is no base for an incremental parse.
    const reuse = incremental && entry.refused === undefined;
    const next = this.parse(text, reuse ? entry.tree : undefined);
    const flat = reuse && only && entry.flat && next.refused === undefined ? this.splice(entry.flat, entry.tree, next.tree, only) : undefined;
    this.free(entry.tree);
    entry.tree = next.tree;
    entry.refused = next.refused;
    entry.flat = flat;
    entry.document = document;
    return entry;
  }

  /** The new tree's FlatTree from the old one, or undefined (flatTreeOf copies it whole when asked). */
  private splice(old: FlatTree, oldTree: Tree, tree: Tree, change: TextChange): FlatTree | undefined {
    try {
      return spliceFlatTree(old, oldTree, tree, change);
    } catch {
      // Only a saving: a tree it cannot splice is copied whole.
      return undefined;
    }
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
