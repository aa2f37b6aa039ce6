// The server's state: one Workspace per root folder, the open documents with their
// trees, and the lint loop that turns index changes into published diagnostics.
import * as path from 'path';
import { performance } from 'perf_hooks';
import { URI } from 'vscode-uri';
import type { Diagnostic, DiagnosticSeverity as DS } from 'vscode-languageserver';
import { CONFIG_FILE } from '../config/load';
import { EditorSettings, defaultEditorSettings } from '../config/schema';
import { type DocumentStore, type OpenDocument, flatTreeOf } from '../parse/documentStore';
import { firstLineOf } from '../parse/limits';
import type { FileSummary } from '../model/summary';
import { Baselines } from './baselines';
import { PendingDocuments } from './pendingDocuments';
import { ScannedSummary, SummarySource, WorkspaceScan } from './scan';
import { contentHash } from '../cache/cacheFiles';

/** A summary cache for one root's scan (lsp/summaryCache.ts). */
export interface SummaryCache {
  /** Undefined when there is nothing to look up. */
  source?: SummarySource;
  /** The findings the last start's first full lint made, when it linted exactly what `key` (findingsKey) says. */
  findings?(key: string): Map<string, LintDiagnostic[]> | undefined;
  /** Keeps (a little later: after publishing) what the scan indexed from disk, and the first full lint's findings with their key. */
  store(summaries: ScannedSummary[], firstLint: FirstLint | undefined): void;
  /** The key of a root's findings (findingsKey), or undefined when it cannot be known. */
  keyOf(workspace: Workspace, hashes: Map<string, string>, overrides: Record<string, string> | undefined): string | undefined;
}

/** A root's first full lint after its scan, with the key of what it linted. */
export interface FirstLint {
  key: string;
  byFile: Map<string, LintDiagnostic[]>;
}
import type { LintDiagnostic } from '../rules/engine';
import { ruleDocsUrl } from '../rules/registry';
import { workspaceDiagnosticsIncremental } from '../workspace/diagnostics';
import { Workspace } from '../workspace/workspace';

/** How many turns of the event loop a burst of changes may put the lint pass off by. */
const MAX_DEFERRALS = 200;

const SEVERITY: Record<LintDiagnostic['severity'], DS> = { error: 1, warning: 2, info: 3, hint: 4 };

function diagnosticKey(d: LintDiagnostic): string {
  const r = d.src.range;
  const related = d.related?.map((x) => `${x.src.file}:${x.src.range.start.line}:${x.src.range.start.character}:${x.message}`).join(',') ?? '';
  return `${d.rule}|${d.severity}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${d.message}|${related}|${d.data ? JSON.stringify(d.data) : ''}`;
}

/**
 * One file's diagnostics as published. The comparison key is built only when a later pass
 * has a different list for the file: the first pass of a large workspace publishes every
 * file once and compares none.
 */
class PublishedFile {
  private cachedKey: string | undefined;
  constructor(
    readonly lint: LintDiagnostic[],
    readonly lsp: Diagnostic[],
  ) {}
  get key(): string {
    return (this.cachedKey ??= this.lint.map(diagnosticKey).join('\n'));
  }
}

/** Findings by severity over a list (hints count as infos in the status). */
function severityCounts(lint: LintDiagnostic[]): { errors: number; warnings: number; infos: number } {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of lint) {
    if (d.severity === 'error') counts.errors++;
    else if (d.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

export interface Publisher {
  /** Resolves once the notification is written (the connection writes one message per turn of the event loop). */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void | Promise<void>;
  log(line: string): void;
}

export class Session {
  readonly workspaces: Workspace[] = [];
  /** Open documents; didChange is applied lazily (see PendingDocuments). */
  readonly documents = new PendingDocuments((uri, entry) => this.reindexOpen(uri, entry, false));
  private currentSettings: EditorSettings = defaultEditorSettings;
  get settings(): EditorSettings {
    return this.currentSettings;
  }
  set settings(settings: EditorSettings) {
    this.currentSettings = settings;
    this.documents.maxBytes = settings.maxFileSizeKb * 1024;
  }
  /** Last diagnostics per file URI, as published (also served to pull requests). */
  readonly current = new Map<string, PublishedFile>();
  /** Findings by severity over `current`, kept as files are published. */
  private readonly totals = { errors: 0, warnings: 0, infos: 0 };
  /** Rule docs links by rule id (a file URL each, the same for the whole session). */
  private readonly docsLinks = new Map<string, { href: string }>();
  private lintScheduled = false;
  private lintWaiters: Array<() => void> = [];
  /** False until the first full scan of every root is done (see LintOptions.partial). */
  indexed = false;
  /** The scans running, by root (a root is linted partially while its scan runs). */
  private readonly scans = new Map<Workspace, WorkspaceScan>();
  /**
   * Where a scan may find a file's summary without parsing it (tried first for every file
   * read from disk; see lsp/scan.ts), and where it leaves the summaries it made (after
   * discovery, only those discovery did not make again). Unset: every file is parsed.
   */
  summaryCacheFor: ((workspace: Workspace) => SummaryCache | undefined) | undefined;
  /** Files the last finished scan took from the summary cache, and how many of them it did not read (their stats stood in). */
  fromCache = 0;
  unread = 0;
  /** The client pulls diagnostics (textDocument/diagnostic): results are kept, not pushed. */
  pullMode = false;
  /** Bumped after every lint pass that changed some file's diagnostics. */
  diagnosticsGeneration = 0;
  private changeListeners: Array<() => void> = [];
  /** Called after every lint pass that changed some file's diagnostics. */
  readonly diagnosticsChanged: Array<() => void> = [];

  /** Each root's `.hwc-baseline.json`: baselined findings show as hints (`hwc.baseline.show`). */
  private readonly baselines: Baselines;

  constructor(private readonly publisher: Publisher) {
    this.baselines = new Baselines((workspace, relative) => this.documents.get(this.uriOf(workspace, relative))?.document.getText(), (line) => publisher.log(line));
  }

  addRoot(rootPath: string): Workspace {
    const workspace = new Workspace(rootPath, {
      log: (line) => this.publisher.log(line),
      maxFileBytes: this.settings.maxFileSizeKb * 1024,
    });
    this.workspaces.push(workspace);
    return workspace;
  }

  removeRoot(rootPath: string): void {
    const index = this.workspaces.findIndex((w) => w.root === rootPath);
    if (index >= 0) {
      this.scans.get(this.workspaces[index])?.cancel();
      this.workspaces.splice(index, 1);
    }
    this.sweepNext = true;
  }

  /** The workspace a file belongs to (the deepest root containing it) and its relative path. */
  locate(uri: string): { workspace: Workspace; relative: string } | undefined {
    let fsPath: string;
    try {
      const parsed = URI.parse(uri);
      if (parsed.scheme !== 'file') return undefined;
      fsPath = parsed.fsPath;
    } catch {
      return undefined;
    }
    let best: Workspace | undefined;
    for (const ws of this.workspaces) {
      const rel = path.relative(ws.root, fsPath);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && (!best || ws.root.length > best.root.length)) best = ws;
    }
    if (!best) return undefined;
    return { workspace: best, relative: best.relative(fsPath) };
  }

  private readonly uris = new Map<string, string>();

  uriOf(workspace: Workspace, relative: string): string {
    const key = `${workspace.root}\0${relative}`;
    let uri = this.uris.get(key);
    if (uri === undefined) {
      uri = URI.file(path.join(workspace.root, relative)).toString();
      // Bounded: a long session that sees many files gone keeps no more than it needs.
      if (this.uris.size > 200_000) this.uris.clear();
      this.uris.set(key, uri);
    }
    return uri;
  }

  // --- documents -------------------------------------------------------------------

  openDocument(uri: string, languageId: string, version: number, text: string): void {
    const entry = this.documents.open(uri, languageId, version, text);
    this.reindexOpen(uri, entry);
  }

  changeDocument(uri: string, version: number, changes: Parameters<DocumentStore['change']>[2]): void {
    if (!this.documents.change(uri, version, changes)) return;
    if (this.lintScheduled) this.changesWhileScheduled++;
    this.scheduleLint();
  }

  closeDocument(uri: string): void {
    this.documents.close(uri);
    const located = this.locate(uri);
    // The file on disk is the truth again once the editor lets go of it.
    if (located && located.relative.endsWith('.nix')) {
      located.workspace.loadFile(located.relative);
      this.scheduleLint();
    }
  }

  private reindexOpen(uri: string, entry: OpenDocument, schedule = true): void {
    const located = this.locate(uri);
    if (!located || !located.relative.endsWith('.nix') || located.workspace.isIgnored(located.relative)) return;
    located.workspace.index.update(this.summariseOpen(located.workspace, located.relative, entry));
    if (schedule) this.scheduleLint();
  }

  /** An open document's summary: from its tree, or `file-not-analysed` when it is over a limit. */
  private summariseOpen(workspace: Workspace, relative: string, entry: OpenDocument): FileSummary {
    if (entry.refused === undefined) return workspace.summarise(relative, entry.tree, () => flatTreeOf(entry));
    return workspace.notAnalysed(relative, entry.refused, firstLineOf(entry.document.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 200 } })));
  }

  // --- files on disk -----------------------------------------------------------------

  /** A file was created, changed or deleted on disk (workspace/didChangeWatchedFiles). */
  fileChanged(uri: string, kind: 'created' | 'changed' | 'deleted'): void {
    const located = this.locate(uri);
    if (!located) return;
    const { workspace, relative } = located;
    if (this.baselines.isBaselineFile(relative)) {
      this.baselines.invalidate(workspace);
      this.sweepNext = true;
      this.scheduleLint();
      return;
    }
    if (relative === workspace.configFileRelative || path.basename(relative) === CONFIG_FILE) {
      if (workspace.reloadConfig()) this.reindexAll(workspace);
      this.scheduleLint();
      return;
    }
    // A scan running now may have read the file before this change: the state loaded here wins.
    this.scans.get(workspace)?.changed(relative);
    // Its content hash is no longer known: the first lint is not kept for the next start.
    this.firstLintHashes.get(workspace)?.hashes.clear();
    if (kind === 'deleted') {
      workspace.remove(relative);
      // A deleted folder arrives as one event: forget everything below it.
      for (const file of [...workspace.index.files()]) if (file.file.startsWith(relative + '/')) workspace.remove(file.file);
    } else if (relative.endsWith('.nix')) {
      if (!this.documents.get(uri)) workspace.loadFile(relative);
    } else {
      workspace.index.setExists(relative, true);
    }
    // Files written, added or removed on disk (a save, a checkout, New Container) can change
    // the repository's conventions: discover again before the next pass.
    this.discoveryDue.add(workspace);
    this.scheduleLint();
  }

  /** Workspaces whose files changed on disk since their conventions were last discovered. */
  private readonly discoveryDue = new Set<Workspace>();

  /**
   * Indexes a root's files on disk: in parallel (lsp/scan.ts), answering messages meanwhile,
   * with open documents kept. Resolves false when cancelled (another scan or reindexAll of
   * the root, or the root removed); then applies discovered conventions.
   */
  async scanRoot(workspace: Workspace, progress?: (done: number, total: number) => void): Promise<boolean> {
    this.scans.get(workspace)?.cancel();
    const cache = this.summaryCacheFor?.(workspace);
    const scan = new WorkspaceScan(workspace, {
      openFiles: () => this.openFilesOf(workspace),
      progress,
      summarySource: cache?.source,
      hashTexts: cache !== undefined,
    });
    this.scans.set(workspace, scan);
    // Documents opened before their root was added were indexed nowhere.
    for (const uri of this.documents.uris()) {
      const located = this.locate(uri);
      if (located?.workspace !== workspace || workspace.index.get(located.relative) || !located.relative.endsWith('.nix') || workspace.isIgnored(located.relative)) continue;
      workspace.index.update(this.summariseOpen(workspace, located.relative, this.documents.get(uri)!));
    }
    try {
      const done = await scan.run();
      if (!done || !this.workspaces.includes(workspace)) return false;
      this.applyDiscovery(workspace);
      this.fromCache = scan.fromSource;
      this.unread = scan.unread;
      if (cache) await this.replayLastStart(workspace, cache, scan);
      return true;
    } finally {
      if (this.scans.get(workspace) === scan) this.scans.delete(workspace);
    }
  }

  /**
   * Per root whose scan had a summary cache, until its first full lint: the hashes that lint
   * is keyed by, and what the scan indexed from disk (stored with that lint, see lintPass).
   */
  private readonly firstLintHashes = new Map<Workspace, { cache: SummaryCache; hashes: Map<string, string>; summaries: ScannedSummary[] }>();
  /** Files whose diagnostics the last start's findings published before the first lint. */
  replayed = 0;

  /**
   * Publishes the findings of the last start's first lint when it linted exactly what is
   * indexed now (the same key): the first lint, which follows, finds the same and publishes
   * nothing again. Also notes what that lint will be keyed by, for the next start.
   */
  private async replayLastStart(workspace: Workspace, cache: SummaryCache, scan: WorkspaceScan): Promise<void> {
    // Files discovery summarised again were read again, as they were (a change on disk since is a fileChanged).
    const hashes = new Map(scan.summarised.map((s) => [s.file, s.hash]));
    // What discovery summarised again was made under another config than the scan's: not stored.
    const summaries = scan.summarised.filter((s) => workspace.index.get(s.file) === s.summary);
    this.firstLintHashes.set(workspace, { cache, hashes, summaries });
    const key = this.firstLintKey(workspace);
    const byFile = key === undefined ? undefined : cache.findings?.(key);
    if (!byFile) return;
    const writes: Array<Promise<void>> = (this.writes = []);
    try {
      for (const [file, lint] of byFile) this.update(this.uriOf(workspace, file), workspace, this.baselined(workspace, file, lint));
      for (const uri of [...this.current.keys()]) {
        const located = this.locate(uri);
        if (located?.workspace === workspace && !byFile.has(located.relative)) this.update(uri, workspace, []);
      }
    } finally {
      this.writes = undefined;
    }
    this.replayed = byFile.size;
    // The first lint compares every file with what is published now.
    this.sweepNext = true;
    // Written before the first lint takes the thread (they would wait behind it otherwise).
    await Promise.all(writes);
  }

  /** While set, the writes of the diagnostics published (a replay waits for them). */
  private writes: Array<Promise<void>> | undefined;

  /** The key of what a root's index holds now (open documents by their editor text), if every file's hash is known. */
  private firstLintKey(workspace: Workspace): string | undefined {
    const noted = this.firstLintHashes.get(workspace);
    if (!noted) return undefined;
    const hashes = new Map(noted.hashes);
    for (const uri of this.documents.uris()) {
      const located = this.locate(uri);
      if (located?.workspace === workspace && workspace.index.get(located.relative)) hashes.set(located.relative, contentHash(this.documents.get(uri)!.document.getText()));
    }
    return noted.cache.keyOf(workspace, hashes, this.settings.rules);
  }

  /** The files of a root open in the editor (relative paths). */
  private openFilesOf(workspace: Workspace): Set<string> {
    const open = new Set<string>();
    for (const uri of this.documents.uris()) {
      const located = this.locate(uri);
      if (located?.workspace === workspace) open.add(located.relative);
    }
    return open;
  }

  reindexAll(workspace: Workspace): void {
    // What a running scan read is superseded by this load.
    this.scans.get(workspace)?.cancel();
    this.scans.delete(workspace);
    for (const file of [...workspace.index.files()]) workspace.remove(file.file);
    workspace.loadAll();
    for (const uri of this.documents.uris()) {
      const entry = this.documents.get(uri)!;
      const located = this.locate(uri);
      if (located?.workspace === workspace && located.relative.endsWith('.nix')) workspace.index.update(this.summariseOpen(workspace, located.relative, entry));
    }
    this.applyDiscovery(workspace);
  }

  /**
   * Lets the conventions the workspace's files follow fill the settings its config file
   * leaves out (after the first scan and whenever the config file changes). Files whose
   * summaries depend on a changed setting are summarised again, open ones from their trees.
   */
  applyDiscovery(workspace: Workspace): boolean {
    return workspace.applyDiscovery((relative) => {
      const entry = this.documents.get(this.uriOf(workspace, relative));
      if (entry) workspace.index.update(workspace.summarise(relative, entry.tree, () => flatTreeOf(entry)));
      else workspace.loadFile(relative);
    });
  }

  // --- linting -----------------------------------------------------------------------

  /** Lint passes run so far (the status follows each pass once, however many changes it took in). */
  passes = 0;
  /** How long the last lint pass took (ms): large workspaces wait a little before linting. */
  private lastLintMs = 0;

  /**
   * Coalesces bursts of changes into one lint pass (only the latest state is analysed).
   * When a pass is expensive, it starts a little later, so that requests that follow an
   * edit (completion, hover) are answered first instead of queueing behind the pass.
   */
  scheduleLint(): Promise<void> {
    const done = new Promise<void>((resolve) => this.lintWaiters.push(resolve));
    if (this.lintScheduled) return done;
    this.lintScheduled = true;
    this.changesWhileScheduled = 0;
    this.deferrals = 0;
    if (this.lastLintMs > 25) setTimeout(() => this.runLint(), Math.min(60, this.lastLintMs / 2));
    else setImmediate(() => this.runLint());
    return done;
  }

  /** didChange notifications received since the pending lint pass was scheduled. */
  private changesWhileScheduled = 0;
  private deferrals = 0;

  private runLint(): void {
    // The connection hands over one message per turn of the event loop: while changes keep
    // arriving (a paste, a formatter, fast typing that queued up), let them in first, so a
    // burst is analysed once, at its last version. A change that comes alone costs nothing.
    // The first turn is always given: the connection's next message (if one is queued)
    // is handed over in the turn after the one that scheduled this pass.
    if (this.deferrals === 0 || (this.changesWhileScheduled > 0 && this.deferrals < MAX_DEFERRALS)) {
      this.changesWhileScheduled = 0;
      this.deferrals++;
      setImmediate(() => this.runLint());
      return;
    }
    this.lintScheduled = false;
    const waiters = this.lintWaiters;
    this.lintWaiters = [];
    const started = performance.now();
    try {
      this.lintNow();
    } catch (error) {
      this.publisher.log(`lint failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
    // A pass that compared every file (the first full lint, a settings change) says nothing
    // about what the next edit's pass will cost: the first edit after the scan no longer
    // waits 60 ms behind it.
    if (!this.lastPass.swept) this.lastLintMs = performance.now() - started;
    this.passes++;
    for (const resolve of waiters) resolve();
  }

  /** Resolves once no lint pass is pending (requests read results after it). */
  idle(): Promise<void> {
    return this.lintScheduled ? new Promise((resolve) => this.lintWaiters.push(resolve)) : Promise.resolve();
  }

  /** Calls back once, after the next lint pass that changes some diagnostics. */
  onNextChange(listener: () => void): () => void {
    this.changeListeners.push(listener);
    return () => {
      this.changeListeners = this.changeListeners.filter((l) => l !== listener);
    };
  }

  lintNow(): void {
    this.documents.applyAll();
    if (this.indexed) {
      // A root still scanning discovers when its scan ends.
      for (const workspace of this.discoveryDue) if (this.workspaces.includes(workspace) && !this.scans.has(workspace)) this.applyDiscovery(workspace);
      this.discoveryDue.clear();
    }
    const generation = this.diagnosticsGeneration;
    this.lintPass();
    if (this.diagnosticsGeneration !== generation) {
      const listeners = this.changeListeners;
      this.changeListeners = [];
      for (const listener of listeners) listener();
      for (const listener of this.diagnosticsChanged) listener();
    }
  }

  /** Compare every file's diagnostics on the next pass (a root went away). */
  private sweepNext = true;
  private sweptWith: EditorSettings | undefined;

  /**
   * Publishes what changed. The lint state says which files' diagnostics may differ; only
   * those are compared, unless a state was reset, a root removed or the settings changed,
   * when every file is.
   */
  /**
   * What the last lint pass cost: the engine's lint, then converting and publishing
   * `published` files (wall clock and process CPU time, ms; the server logs the first).
   */
  lastPass = { lintMs: 0, lintCpuMs: 0, publishMs: 0, publishCpuMs: 0, published: 0, swept: false };

  private lintPass(): void {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const results = this.workspaces.map((workspace) => ({
      workspace,
      ...workspaceDiagnosticsIncremental(workspace, { severityOverrides: this.settings.rules, partial: !this.indexed || this.scans.has(workspace) }),
    }));
    for (const { workspace, byFile } of results) {
      if (!this.indexed || this.scans.has(workspace) || !this.firstLintHashes.has(workspace)) continue;
      // The first full lint after a cached scan: stored (with its key) for the next start.
      const key = this.firstLintKey(workspace);
      const noted = this.firstLintHashes.get(workspace)!;
      this.firstLintHashes.delete(workspace);
      noted.cache.store(noted.summaries, key === undefined ? undefined : { key, byFile });
    }
    const linted = performance.now();
    const cpuLinted = process.cpuUsage();
    const generation = this.diagnosticsGeneration;
    const swept = this.publishResults(results);
    const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) => (to.user - from.user + to.system - from.system) / 1000;
    this.lastPass = {
      lintMs: linted - started,
      lintCpuMs: cpuMs(cpuStarted, cpuLinted),
      publishMs: performance.now() - linted,
      publishCpuMs: cpuMs(cpuLinted, process.cpuUsage()),
      published: this.diagnosticsGeneration - generation,
      swept,
    };
  }

  /** Publishes what changed; true when every file was compared (a sweep). */
  private publishResults(results: Array<{ workspace: Workspace; byFile: Map<string, LintDiagnostic[]>; changed: Set<string> | 'all' }>): boolean {
    const sweep = this.sweepNext || this.sweptWith !== this.settings || results.some((r) => r.changed === 'all');
    if (!sweep) {
      for (const { workspace, byFile, changed } of results) {
        for (const file of changed as Set<string>) this.update(this.uriOf(workspace, file), workspace, this.baselined(workspace, file, byFile.get(file) ?? []));
      }
      return false;
    }
    this.sweepNext = false;
    this.sweptWith = this.settings;
    const seen = new Set<string>();
    for (const { workspace, byFile } of results) {
      for (const [file, lint] of byFile) {
        const uri = this.uriOf(workspace, file);
        seen.add(uri);
        this.update(uri, workspace, this.baselined(workspace, file, lint));
      }
    }
    for (const uri of [...this.current.keys()]) {
      if (!seen.has(uri)) this.update(uri, this.locate(uri)?.workspace, []);
    }
    return true;
  }

  private baselined(workspace: Workspace, file: string, lint: LintDiagnostic[]): LintDiagnostic[] {
    return this.baselines.apply(workspace, file, lint, this.settings.baseline.show);
  }

  private update(uri: string, workspace: Workspace | undefined, lint: LintDiagnostic[]): void {
    const enabled = this.settings.enable && !!workspace;
    if (!enabled) lint = [];
    const previous = this.current.get(uri);
    // The lint state hands back an unchanged file's list as it was (lists are never changed
    // once made), so most files cost one comparison; a new list with the same findings is
    // compared by key.
    if (previous ? previous.lint === lint : lint.length === 0) return;
    if (previous && previous.lint.length === lint.length && previous.key === new PublishedFile(lint, []).key) {
      // The same findings in a new list: keep the new one (the lint state holds it anyway), not two copies.
      this.current.set(uri, new PublishedFile(lint, previous.lsp));
      return;
    }
    const lsp = lint.map((d) => this.toLsp(workspace!, d));
    if (previous) this.count(previous.lint, -1);
    if (lsp.length === 0) this.current.delete(uri);
    else {
      this.current.set(uri, new PublishedFile(lint, lsp));
      this.count(lint, 1);
    }
    this.diagnosticsGeneration++;
    if (!this.pullMode) {
      const written = this.publisher.publish(uri, lsp, this.documents.get(uri)?.document.version);
      if (written && this.writes) this.writes.push(written);
    }
  }

  private count(lint: LintDiagnostic[], sign: 1 | -1): void {
    const counts = severityCounts(lint);
    this.totals.errors += sign * counts.errors;
    this.totals.warnings += sign * counts.warnings;
    this.totals.infos += sign * counts.infos;
  }

  toLsp(workspace: Workspace, d: LintDiagnostic): Diagnostic {
    let docs = this.docsLinks.get(d.rule);
    if (!docs) this.docsLinks.set(d.rule, (docs = { href: ruleDocsUrl(d.rule) }));
    return {
      range: d.src.range,
      severity: SEVERITY[d.severity],
      source: 'hwc',
      code: d.rule,
      codeDescription: docs,
      message: d.message,
      relatedInformation: d.related?.map((r) => ({ location: { uri: this.uriOf(workspace, r.src.file), range: r.src.range }, message: r.message })),
      data: d.data ? { rule: d.rule, ...d.data } : { rule: d.rule },
    };
  }

  counts(): { errors: number; warnings: number; infos: number; files: number; containers: number } {
    const { errors, warnings, infos } = this.totals;
    const files = this.workspaces.reduce((n, w) => n + w.index.size, 0);
    const containers = this.workspaces.reduce((n, w) => n + w.index.containers().length, 0);
    return { errors, warnings, infos, files, containers };
  }
}
