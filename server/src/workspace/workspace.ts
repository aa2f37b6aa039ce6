// A workspace on disk: its configuration, its index, and the operations the CLI and the
// server share (load everything, update one file from text, forget one file).
import * as path from 'path';
import { CONFIG_FILE, ConfigProblem, parseLintConfig, unusableConfig } from '../config/load';
import { ConfigRead, readConfigFile } from '../config/read';
import { LintConfig, defaultLintConfig } from '../config/schema';
import { Conventions, discoverConventions } from '../conventions/discover';
import { EffectiveConfig, effectiveConfig, summaryAffectingChange } from '../conventions/effective';
import { emptySummary, extractSummary, extractSummaryFromFlat, isRouteFile, notAnalysedSummary } from '../model/extract';
import { FileLimitError, firstLineOf } from '../parse/limits';
import type { FileSummary } from '../model/summary';
import { parseNix, type FlatTree, type Tree } from '../parse/parser';
import { analysisTree } from '../parse/repair';
import { collectSyntaxProblems } from '../parse/syntaxErrors';
import { WhenMany, discover, makeIgnore, readSource } from './discover';
import { WorkspaceIndex } from './index';
import { Helpers, PARALLEL_MIN_FILES, loadInParallel, startHelpers, stopHelpers } from './parallel';

export interface WorkspaceOptions {
  /** An explicit config file instead of `<root>/.hwc-lint.json`. */
  configFile?: string;
  maxFileBytes?: number;
  log?: (line: string) => void;
  /** Keep what only editor features read (where options are read and set); default true. */
  editorFacts?: boolean;
}

export class Workspace {
  /** The effective configuration: the file's settings, then discovered conventions, then defaults. */
  config: LintConfig = defaultLintConfig;
  /** What the config file alone says (defaults for what it leaves out). */
  fileConfig: LintConfig = defaultLintConfig;
  /** The settings the config file sets validly. */
  explicitKeys: string[] = [];
  /** Conventions discovered in the indexed files (after applyDiscovery). */
  conventions: Conventions | undefined;
  /** Where each effective value came from. */
  origins: EffectiveConfig['origins'] = effectiveConfig(defaultLintConfig, [], undefined).origins;
  configProblems: ConfigProblem[] = [];
  /** Whether the config file exists (init offers to create or to update it). */
  configFileExists = false;
  /** The config file's path relative to the root (where config-invalid findings go). */
  configFileRelative = CONFIG_FILE;
  readonly index: WorkspaceIndex;
  private ignored: (relative: string) => boolean = () => false;
  readonly maxFileBytes: number;
  private readonly log: (line: string) => void;

  constructor(readonly root: string, private readonly options: WorkspaceOptions = {}) {
    this.maxFileBytes = options.maxFileBytes ?? 1024 * 1024;
    this.log = options.log ?? (() => undefined);
    this.index = new WorkspaceIndex(root, defaultLintConfig);
    this.reloadConfig();
  }

  /** Reads the config file again; returns true when it changed the effective config. */
  reloadConfig(text?: string): boolean {
    const file = this.options.configFile ? path.resolve(this.options.configFile) : path.join(this.root, CONFIG_FILE);
    this.configFileRelative = path.relative(this.root, file).split(path.sep).join('/');
    // The repository's own config must stay inside it; a file named on the command line may be anywhere.
    const read: ConfigRead = text !== undefined ? { text } : readConfigFile(file, this.options.configFile ? undefined : this.root);
    this.configFileExists = !('missing' in read);
    if ('missing' in read) {
      this.fileConfig = defaultLintConfig;
      this.explicitKeys = [];
      this.configProblems = [];
    } else {
      const loaded = 'refused' in read ? unusableConfig(`${path.basename(file)} ${read.refused}`) : parseLintConfig(read.text);
      this.fileConfig = loaded.config;
      this.explicitKeys = loaded.explicit;
      this.configProblems = loaded.problems;
    }
    return this.setEffectiveConfig();
  }

  /** Recomputes the effective config; true when it changed (the index then has it). */
  private setEffectiveConfig(): boolean {
    const before = JSON.stringify(this.config);
    const effective = effectiveConfig(this.fileConfig, this.explicitKeys, this.conventions);
    this.config = effective.config;
    this.origins = effective.origins;
    this.ignored = makeIgnore(this.config.ignore);
    const changed = before !== JSON.stringify(this.config);
    if (changed) this.index.setConfig(this.config);
    return changed;
  }

  /** Discovers the conventions of what is indexed (without applying them). */
  discover(): Conventions {
    try {
      this.conventions = discoverConventions(this.index, this.fileConfig);
    } catch (error) {
      // Discovery only ever adds: without it, the file's settings and the defaults apply.
      this.log(`could not discover conventions: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      this.conventions = { values: {}, notes: [] };
    }
    return this.conventions;
  }

  /**
   * Discovers the workspace's conventions from what is indexed and lets them fill the
   * settings the config file leaves out. Files whose summaries depend on a changed setting
   * (the routes file, the namespace) are summarised again through `resummarise` (default:
   * from disk). Returns whether the effective config changed.
   */
  applyDiscovery(resummarise: (relative: string) => void = (relative) => void this.loadFile(relative)): boolean {
    const before = this.config;
    // `"discover": false`: nothing to apply, so nothing to compute (init and config --show call discover()).
    if (this.fileConfig.discover === false) return false;
    this.discover();
    if (!this.setEffectiveConfig()) return false;
    const change = summaryAffectingChange(before, this.config);
    if (change === 'all') for (const file of [...this.index.files()]) resummarise(file.file);
    else if (change === 'routes') {
      for (const file of [...this.index.files()]) if (isRouteFile(file.file, before) || isRouteFile(file.file, this.config)) resummarise(file.file);
    }
    return true;
  }

  relative(absolute: string): string {
    return path.relative(this.root, absolute).split(path.sep).join('/');
  }

  isIgnored(relative: string): boolean {
    return this.ignored(relative);
  }

  /** Indexes every file of the workspace. `onProgress` is called every few hundred files. */
  loadAll(onProgress?: (done: number, total: number) => void): void {
    const files = this.discoverFiles();
    files.forEach((file, i) => {
      this.loadFile(file);
      if (onProgress && (i % 200 === 0 || i === files.length - 1)) onProgress(i + 1, files.length);
    });
  }

  /**
   * loadAll for a cold start of many files (the CLI): worker threads read and parse while
   * this thread summarises (parallel.ts). Indexes in the same order, with the same results.
   */
  async loadAllInParallel(onProgress?: (done: number, total: number) => void): Promise<void> {
    // The workers start loading as soon as there are enough files for them.
    let helpers: Helpers | undefined;
    let files: string[];
    try {
      files = this.discoverFiles({ files: PARALLEL_MIN_FILES, call: () => (helpers = startHelpers(this)) });
    } catch (error) {
      if (helpers) stopHelpers(helpers);
      throw error;
    }
    await loadInParallel(this, files, onProgress, helpers);
  }

  /** Lists the `.nix` files to index; records every other file as existing. */
  discoverFiles(whenMany?: WhenMany): string[] {
    const found = discover(this.root, this.config.ignore, undefined, whenMany);
    for (const skipped of found.skipped) this.log(`skipped ${skipped.file}: ${skipped.reason}`);
    for (const other of found.other) this.index.setExists(other, true);
    return found.nix;
  }

  /** (Re)indexes one file from disk; a file that vanished or cannot be read is forgotten. */
  loadFile(relative: string): FileSummary | undefined {
    if (this.isIgnored(relative)) return undefined;
    const read = readSource(path.join(this.root, relative), this.maxFileBytes, this.root);
    if ('skip' in read) {
      this.skipFile(relative, read.skip);
      return undefined;
    }
    return this.updateText(relative, read.text);
  }

  /** A file's text as the index read it (same limits and symlink rule), or undefined. */
  readText(relative: string): string | undefined {
    const read = readSource(path.join(this.root, relative), this.maxFileBytes, this.root);
    return 'text' in read ? read.text : undefined;
  }

  /** Forgets a file that could not be read (it still exists unless it was unreadable). */
  skipFile(relative: string, reason: string): void {
    this.log(`skipped ${relative}: ${reason}`);
    this.index.remove(relative);
    if (!reason.startsWith('cannot read')) this.index.setExists(relative, true);
  }

  /** Indexes a file from text (parses, summarises, frees the tree). */
  updateText(relative: string, text: string): FileSummary {
    const summary = this.summariseText(relative, text);
    this.index.update(summary);
    return summary;
  }

  /** Parses and summarises text without indexing it (frees the tree). */
  summariseText(relative: string, text: string): FileSummary {
    let tree: Tree | undefined;
    let summary: FileSummary;
    try {
      tree = parseNix(text);
      summary = this.summarise(relative, tree);
    } catch (error) {
      if (error instanceof FileLimitError) {
        return this.notAnalysed(relative, error.reason, firstLineOf(text));
      }
      this.log(`could not analyse ${relative}: ${error instanceof Error ? error.message : String(error)}`);
      summary = emptySummary(relative);
    } finally {
      tree?.delete();
    }
    return summary;
  }

  /** The summary of a file over a limit of parse/limits.ts: one `file-not-analysed` finding, nothing else. */
  notAnalysed(relative: string, reason: string, firstLine: string): FileSummary {
    this.log(`not analysing ${relative}: ${reason}`);
    return notAnalysedSummary(relative, reason, firstLine);
  }

  /** Summarises a tree another thread parsed (without syntax errors) and copied out. */
  summariseFlat(relative: string, flat: FlatTree): FileSummary {
    try {
      return extractSummaryFromFlat(flat, relative, this.config, { editorFacts: this.options.editorFacts });
    } catch (error) {
      this.log(`could not analyse ${relative}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return emptySummary(relative);
    }
  }

  /** Summarises a tree owned by someone else (the document store), which may have it copied out already (`flat`). */
  summarise(relative: string, tree: Tree, flat?: () => FlatTree): FileSummary {
    let analysis: { tree: Tree; owned: boolean } | undefined;
    try {
      // A broken file is analysed on a repaired copy, so later findings still show;
      // its syntax problems always come from the text as written.
      analysis = analysisTree(tree);
      const summary = extractSummary(analysis.tree, relative, this.config, { editorFacts: this.options.editorFacts }, analysis.owned ? undefined : flat?.());
      if (analysis.owned) summary.syntaxErrors = collectSyntaxProblems(tree);
      return summary;
    } catch (error) {
      this.log(`could not analyse ${relative}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return emptySummary(relative);
    } finally {
      if (analysis?.owned) analysis.tree.delete();
    }
  }

  remove(relative: string): void {
    this.index.remove(relative);
  }
}
