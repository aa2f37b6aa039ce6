// The findings of one index, kept between lint passes and brought up to date with work
// proportional to the change: per-file and per-container rules run again only for the
// files that changed (or whose option defaults changed), module rules only for the
// module folders those files belong to, and each join rule judges only the keys whose
// facts changed. The result is the same as linting from scratch (test/unit/incremental).
import type { LintConfig } from '../config/schema';
import type { ContainerModel, FileSummary } from '../model/summary';
import type { ModuleInfo, WorkspaceIndex } from '../workspace/index';
import { Resolver } from '../workspace/resolve';
import { sameData } from '../workspace/reuse';
import { notAnalysedMessage } from '../parse/limits';
import { RULES } from './registry';
import type { Finding, JoinCheck, JudgeContext, RegistryFacts, Rule, RuleContext } from './types';

const FILE_RULES = RULES.filter((r) => r.checkFile);
const CONTAINER_RULES = RULES.filter((r) => r.checkContainer);
const MODULE_RULES = RULES.filter((r) => r.checkModule);
const JOIN_RULES = RULES.filter((r) => r.join) as Array<Rule & { join: JoinCheck<unknown> }>;

/** A source's facts for one join rule, flat: key, fact, key, fact… (no array per fact: a large workspace has hundreds of thousands). */
type Facts = unknown[];

/** Appends what a rule contributes ([key, fact] pairs) to a flat list. */
function addFacts(into: Facts, pairs: Iterable<readonly [string, unknown]>): void {
  for (const [key, fact] of pairs) into.push(key, fact);
}

// Shared empties: most containers have no findings, no option dependencies and no facts
// for most join rules, and a large workspace has thousands of containers.
const NO_FACTS: Facts = Object.freeze([]) as unknown as Facts;
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];
const NO_DEPS: Array<string | FileSummary | undefined> = [];

/**
 * A copy without the spare capacity arrays grow by (a one-element array pushed into holds
 * seventeen slots): the lint state keeps hundreds of thousands of small arrays.
 */
function exact<T>(list: T[], empty: T[]): T[] {
  return list.length === 0 ? empty : list.slice();
}

export interface FileEntry {
  /** Files whose option defaults this file's checks read. */
  deps: Set<string>;
  /** One list of [key, fact] per join rule (empty while the index is partial). */
  facts: Facts[];
}

/** A container's findings and facts, valid while the files whose defaults it read are unchanged. */
interface ContainerEntry {
  /** [file, summary read, file, summary read…]: flat, since a large workspace has many. */
  deps: Array<string | FileSummary | undefined>;
  findings: Finding[];
  facts: Facts[];
}

interface ModuleEntry {
  info: ModuleInfo;
  importsVersion: number;
}

/**
 * The facts under one key, by file, in file order: one array of file, facts, file, facts…
 * (no object around it: most keys hold facts of one file, and a large workspace has
 * hundreds of thousands of keys). A key that many files share (a port every route proxies
 * to) switches to a BigGroup.
 */
type Group = unknown[] | BigGroup;

class BigGroup {
  readonly byFile = new Map<string, unknown[]>();
  /** The facts in file order, until they change. */
  flat: unknown[] | undefined;
}

/** Beyond this many files a group is a BigGroup. */
const SMALL_GROUP_FILES = 16;

function fileIndex(entries: unknown[], file: string): number {
  for (let i = 0; i < entries.length; i += 2) if (entries[i] === file) return i;
  return -1;
}

function groupSize(group: Group): number {
  return group instanceof BigGroup ? group.byFile.size : group.length / 2;
}

function groupGet(group: Group, file: string): unknown[] | undefined {
  if (group instanceof BigGroup) return group.byFile.get(file);
  const i = fileIndex(group, file);
  return i < 0 ? undefined : (group[i + 1] as unknown[]);
}

/** The group with `file`'s facts set (store the result: a small group grows by copying). */
function groupWith(group: Group, file: string, facts: unknown[]): Group {
  if (group instanceof BigGroup) {
    group.byFile.set(file, facts);
    group.flat = undefined;
    return group;
  }
  const i = fileIndex(group, file);
  if (i >= 0) {
    group[i + 1] = facts;
    return group;
  }
  let at = group.length;
  while (at > 0 && (group[at - 2] as string) > file) at -= 2;
  // concat allocates exactly what it holds (push and splice leave spare capacity).
  const entries = group.slice(0, at).concat([file, facts], group.slice(at));
  if (entries.length <= 2 * SMALL_GROUP_FILES) return entries;
  const big = new BigGroup();
  for (let j = 0; j < entries.length; j += 2) big.byFile.set(entries[j] as string, entries[j + 1] as unknown[]);
  return big;
}

/** The group without `file`'s facts (which it holds). */
function groupWithout(group: Group, file: string): Group {
  if (group instanceof BigGroup) {
    group.byFile.delete(file);
    group.flat = undefined;
    return group;
  }
  const i = fileIndex(group, file);
  return group.slice(0, i).concat(group.slice(i + 2));
}

/**
 * A fact a restored state holds for a file nothing re-checked (`LintState.restore`): decoded
 * when a judgement first reads its key, since most keys are never judged again after a small
 * change. `facts` decodes (once) the file's facts, all join rules' in a row.
 */
export class KeptFact {
  constructor(
    private readonly facts: () => unknown[],
    private readonly at: number,
  ) {}

  value(): unknown {
    return this.facts()[this.at];
  }
}

/** Replaces the kept facts in a file's list of facts with their values (in place: once per list). */
function decodeKept(list: unknown[]): void {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item instanceof KeptFact) list[i] = item.value();
  }
}

/** Decodes every kept fact of a group. */
function decodeGroup(group: Group): void {
  if (group instanceof BigGroup) {
    for (const list of group.byFile.values()) decodeKept(list);
    group.flat = undefined;
  } else for (let i = 1; i < group.length; i += 2) decodeKept(group[i] as unknown[]);
}

function groupFacts(group: Group): unknown[] {
  if (group instanceof BigGroup) return (group.flat ??= [...group.byFile.keys()].sort().flatMap((f) => group.byFile.get(f)!));
  if (group.length === 2) return group[1] as unknown[];
  const all: unknown[] = [];
  for (let i = 1; i < group.length; i += 2) for (const fact of group[i] as unknown[]) all.push(fact);
  return all;
}

/** A join rule's state: facts by key and file, findings by key, and who read which key. */
class JoinState {
  readonly groups = new Map<string, Group>();
  /** Key → the keys whose judgement read it (lookup, or keys() as `*keys:<prefix>`). */
  readonly readers = new Map<string, Set<string>>();
  readonly reads = new Map<string, string[]>();
  /** Keys whose judgement asked whether files exist. */
  readonly existenceReaders = new Set<string>();
  readonly keyPrefixesRead = new Set<string>();

  /** Whether some group may hold a KeptFact (a restored state), and the keys whose groups hold none. */
  keptFacts = false;
  readonly decodedKeys = new Set<string>();

  constructor(readonly rule: Rule & { join: JoinCheck<unknown> }, readonly ruleIndex: number) {}

  /**
   * Replaces one file's facts. Only keys whose list of facts from this file changed (by
   * identity: unchanged containers keep their fact objects) become dirty.
   */
  replace(file: string, before: Facts, after: Facts, dirty: Set<string>): void {
    if (before.length === after.length && before.every((item, i) => after[i] === item)) return;
    const next = new Map<string, unknown[]>();
    for (let i = 0; i < after.length; i += 2) {
      const key = after[i] as string;
      const list = next.get(key);
      if (list) list.push(after[i + 1]);
      else next.set(key, [after[i + 1]]);
    }
    for (let i = 0; i < before.length; i += 2) {
      const key = before[i] as string;
      if (next.has(key)) continue;
      const group = this.groups.get(key);
      if (!group || groupGet(group, file) === undefined) continue;
      const rest = groupWithout(group, file);
      dirty.add(key);
      if (groupSize(rest) === 0) {
        this.groups.delete(key);
        this.keysChanged(key, dirty);
      } else this.groups.set(key, rest);
    }
    for (const [key, facts] of next) {
      const group = this.groups.get(key);
      if (!group) {
        this.groups.set(key, [file, facts.slice()]);
        this.keysChanged(key, dirty);
        dirty.add(key);
        continue;
      }
      const old = groupGet(group, file);
      if (old && this.keptFacts) decodeKept(old);
      // Facts equal in content judge the same (a re-summarised file's tmpfiles, routes…).
      if (old && old.length === facts.length && old.every((f, i) => f === facts[i] || sameData(f, facts[i]))) continue;
      this.groups.set(key, groupWith(group, file, facts.slice()));
      dirty.add(key);
    }
  }

  private readonly keysByPrefix = new Map<string, string[]>();

  private keysChanged(key: string, dirty: Set<string>): void {
    for (const prefix of this.keyPrefixesRead) {
      if (!key.startsWith(prefix)) continue;
      dirty.add(`*keys:${prefix}`);
      this.keysByPrefix.delete(prefix);
    }
  }

  /** The keys holding facts that start with `prefix`, sorted (kept until one comes or goes). */
  keysWith(prefix: string): string[] {
    this.keyPrefixesRead.add(prefix);
    let keys = this.keysByPrefix.get(prefix);
    if (!keys) this.keysByPrefix.set(prefix, (keys = [...this.groups.keys()].filter((k) => k.startsWith(prefix)).sort()));
    return keys;
  }

  /** The facts under a key, in file order (the same order whatever the edit history). */
  factsOf(key: string): unknown[] {
    const group = this.groups.get(key);
    if (group && this.keptFacts && !this.decodedKeys.has(key)) {
      decodeGroup(group);
      this.decodedKeys.add(key);
    }
    return group ? groupFacts(group) : [];
  }

  recordReads(judged: string, read: string[]): void {
    for (const old of this.reads.get(judged) ?? []) this.readers.get(old)?.delete(judged);
    if (read.length === 0) {
      this.reads.delete(judged);
      return;
    }
    this.reads.set(judged, read);
    for (const key of read) {
      let set = this.readers.get(key);
      if (!set) this.readers.set(key, (set = new Set()));
      set.add(judged);
    }
  }
}

type SourceId = string;

/**
 * What a retained lint state keeps between passes, as plain data (the lint cache,
 * cache/lintStateStore.ts, writes it to `.hwc-cache/` and hands it back to `LintState.restore`
 * in the next process). Each file's entry and findings are valid while its content, the
 * files it read defaults from, the effective config and the option paths are unchanged.
 */
export interface LintStateData {
  files: Map<string, FileEntry>;
  /** Findings by target file, by source, in the order the sources were set (it decides the order of ties). */
  contributions: Map<string, Map<SourceId, Finding[]>>;
  /** Per join rule: who read which key, which keys asked whether files exist, which key prefixes were listed. */
  joins: Array<{ reads: Map<string, string[]>; existenceReaders: Set<string>; keyPrefixesRead: Set<string> }>;
}

export interface LintPass {
  /** Findings by file, before severities and suppressions. */
  findings: ReadonlyMap<string, Finding[]>;
  /** Files whose findings may differ from the previous pass. */
  changed: Set<string>;
  /** A new state: files not in `changed` may have lost findings too (compare everything). */
  fresh: boolean;
  /** Identifies the state: derived results may be kept per state. */
  state: LintState;
}

export class LintState {
  private readonly files = new Map<string, FileEntry>();
  /** File → the files that read its option defaults. */
  private readonly dependants = new Map<string, Set<string>>();
  private readonly modules = new Map<string, ModuleEntry>();
  private readonly joins = JOIN_RULES.map((rule, i) => new JoinState(rule, i));
  /** Findings of every source (a file's checks, a module's, a join key's), by target file. */
  private readonly contributions = new Map<string, Map<SourceId, Finding[]>>();
  private readonly sourceTargets = new Map<SourceId, string[]>();
  private readonly output = new Map<string, Finding[]>();
  private existenceVersion = -1;
  private first = true;
  /** After `restore`: the files changed since the state was kept (the index's journal holds every file it loaded). */
  private changedSinceKept: Set<string> | undefined;
  /** After `restore`, until the first pass: module folders with kept findings, and those whose inputs did not change. */
  private restoredModules: { withFindings: string[]; unchanged: Set<string> } | undefined;

  constructor(
    private readonly index: WorkspaceIndex,
    readonly config: LintConfig,
    readonly optionPathsVersion: number,
    readonly partial: boolean,
    /** False for a single pass (`hwc lint`): keep nothing only a later pass would read. */
    private readonly retain = true,
    /** What registries said (a single command-line pass only: it is not tracked for incremental updates). */
    private readonly registry?: RegistryFacts,
  ) {}

  /** Whether this state still describes the index (otherwise start again from scratch). */
  fits(index: WorkspaceIndex, config: LintConfig, partial: boolean): boolean {
    return index === this.index && config === this.config && partial === this.partial && index.optionPathsVersion === this.optionPathsVersion;
  }

  update(): LintPass {
    const index = this.index;
    const journal = index.takeChangedFiles();
    const changedFiles = new Set<string>();
    const fresh = this.first;
    if (fresh) for (const summary of index.files()) changedFiles.add(summary.file);
    for (const file of this.changedSinceKept ?? journal) changedFiles.add(file);
    this.changedSinceKept = undefined;
    this.first = false;
    // Files that read an option default from a changed file see another value now.
    for (const file of [...changedFiles]) for (const dependant of this.dependants.get(file) ?? []) changedFiles.add(dependant);

    const dirtyTargets = new Set<string>();
    const dirtyKeys = this.joins.map(() => new Set<string>());
    for (const file of changedFiles) this.refreshFile(file, dirtyTargets, dirtyKeys);
    if (!this.partial) {
      this.refreshModules(dirtyTargets);
      if (this.existenceVersion !== index.existenceVersion) {
        this.existenceVersion = index.existenceVersion;
        this.joins.forEach((join, i) => join.existenceReaders.forEach((key) => dirtyKeys[i].add(key)));
      }
      this.joins.forEach((join, i) => this.judge(join, dirtyKeys[i], dirtyTargets));
    }
    for (const target of dirtyTargets) {
      const sources = this.contributions.get(target);
      const list = sources ? dedupe([...sources.values()].flat()) : [];
      if (list.length > 0) this.output.set(target, list);
      else this.output.delete(target);
    }
    // Discovery's resolutions have served the pass that followed it: later passes re-check few.
    if (!this.partial) index.discoveryMemo = undefined;
    return { findings: this.output, changed: dirtyTargets, fresh, state: this };
  }

  /** The state as plain data (its own objects: read only), for the lint cache. Only a retained, complete state. */
  data(): LintStateData | undefined {
    if (!this.retain || this.partial || this.registry) return undefined;
    return {
      files: this.files,
      contributions: this.contributions,
      joins: this.joins.map((join) => ({ reads: join.reads, existenceReaders: join.existenceReaders, keyPrefixesRead: join.keyPrefixesRead })),
    };
  }

  /**
   * A state kept by an earlier process (`data()`, decoded), for an index holding the same
   * files but for `changed` (added, removed or with other content), under the same config
   * and option paths. The next `update` re-checks the changed files and what read them, every
   * module folder but `modulesUnchanged` (whose files and every file's imports are as they were
   * when kept) and every join key that read whether files exist.
   */
  static restore(index: WorkspaceIndex, config: LintConfig, data: LintStateData, changed: Set<string>, modulesUnchanged = new Set<string>()): LintState {
    const state = new LintState(index, config, index.optionPathsVersion, false);
    state.first = false;
    state.changedSinceKept = changed;
    const withFindings: string[] = [];
    state.restoredModules = { withFindings, unchanged: modulesUnchanged };
    const ignored = new Set<string>();
    for (const [file, entry] of data.files) {
      state.files.set(file, entry);
      for (const dep of entry.deps) {
        let set = state.dependants.get(dep);
        if (!set) state.dependants.set(dep, (set = new Set()));
        set.add(file);
      }
      state.joins.forEach((join, i) => join.replace(file, NO_FACTS, entry.facts[i] ?? NO_FACTS, ignored));
    }
    for (const join of state.joins) join.keptFacts = true;
    data.joins.forEach((kept, i) => {
      const join = state.joins[i];
      if (!join) return;
      for (const [key, read] of kept.reads) join.recordReads(key, read);
      for (const key of kept.existenceReaders) join.existenceReaders.add(key);
      for (const prefix of kept.keyPrefixesRead) join.keyPrefixesRead.add(prefix);
    });
    for (const [target, sources] of data.contributions) {
      state.contributions.set(target, sources);
      for (const source of sources.keys()) {
        const targets = state.sourceTargets.get(source);
        if (targets) targets.push(target);
        else {
          state.sourceTargets.set(source, [target]);
          if (source.startsWith('m:')) withFindings.push(source.slice(2));
        }
      }
      const list = dedupe([...sources.values()].flat());
      if (list.length > 0) state.output.set(target, list);
    }
    return state;
  }

  // --- per file ---------------------------------------------------------------------

  private readonly containerCache = new WeakMap<ContainerModel, ContainerEntry>();
  private readonly noFacts: Facts[] = this.joins.map(() => NO_FACTS);

  /**
   * A resolver whose memo lives as long as one container's or file's checks: the results
   * worth keeping are kept per container here, so the index's long-lived memo (tens of
   * megabytes in a large workspace) is left to the editor features. The pass right after
   * convention discovery reads what discovery resolved (every container's volumes and
   * environment), then the index lets it go (see WorkspaceIndex.discoveryMemo).
   */
  private scratchResolver(): Resolver {
    return this.index.scratchResolver(this.index.discoveryMemo);
  }

  private refreshFile(file: string, dirtyTargets: Set<string>, dirtyKeys: Array<Set<string>>): void {
    const summary = this.index.get(file);
    const old = this.files.get(file);
    // The file itself is a target: its suppressions may now apply, or not.
    dirtyTargets.add(file);
    if (old) for (const dep of old.deps) this.dependants.get(dep)?.delete(file);
    if (!summary) {
      if (old) this.joins.forEach((join, i) => join.replace(file, old.facts[i], [], dirtyKeys[i]));
      this.files.delete(file);
      this.setSource(`f:${file}`, [], dirtyTargets);
      return;
    }
    const findings: Finding[] = [];
    const facts: Facts[] = this.joins.map(() => []);
    const deps = new Set<string>();
    for (const container of summary.containers) {
      const entry = this.checkContainer(container);
      findings.push(...entry.findings);
      // A loop, not push(...list): a container with 100,000 ports has 200,000 entries (past the argument limit).
      entry.facts.forEach((list, i) => {
        for (const item of list) facts[i].push(item);
      });
      for (let i = 0; i < entry.deps.length; i += 2) deps.add(entry.deps[i] as string);
    }
    const resolver = this.scratchResolver();
    this.runChecks(FILE_RULES, (r, ctx) => r.checkFile!(summary, ctx), resolver, findings);
    for (const problem of summary.syntaxErrors) findings.push({ rule: 'syntax-error', message: problem.message, src: { file, range: problem.range } });
    if (summary.notAnalysed !== undefined) findings.push({ rule: 'file-not-analysed', message: notAnalysedMessage(summary.notAnalysed), src: summary.firstLine });
    if (!this.partial) {
      const factContext = { config: this.config, index: this.index, resolver };
      this.joins.forEach((join, i) => {
        if (join.rule.join.fileFacts) addFacts(facts[i], join.rule.join.fileFacts(summary, factContext));
      });
    }
    for (const dep of resolver.dependencies) deps.add(dep);
    deps.delete(file);
    if (!this.retain) {
      // Nothing compares against this file's facts again: they live in the groups only.
      this.joins.forEach((join, i) => join.replace(file, NO_FACTS, exact(facts[i], NO_FACTS), dirtyKeys[i]));
      this.setSource(`f:${file}`, findings, dirtyTargets);
      return;
    }
    for (const dep of deps) {
      let set = this.dependants.get(dep);
      if (!set) this.dependants.set(dep, (set = new Set()));
      set.add(file);
    }
    const kept = facts.map((list) => exact(list, NO_FACTS));
    this.files.set(file, { deps, facts: kept });
    this.joins.forEach((join, i) => join.replace(file, old?.facts[i] ?? NO_FACTS, kept[i], dirtyKeys[i]));
    this.setSource(`f:${file}`, findings, dirtyTargets);
  }

  /** Runs one check of each rule on one subject, collecting what they report (tagged with the rule). */
  private runChecks(rules: readonly Rule[], check: (rule: Rule, ctx: RuleContext) => void, resolver = this.scratchResolver(), findings: Finding[] = []): Finding[] {
    let id = '';
    const ctx: RuleContext = { config: this.config, index: this.index, resolver, registry: this.registry, report: (f) => findings.push({ ...f, rule: id }) };
    for (const rule of rules) {
      id = rule.id;
      check(rule, ctx);
    }
    return findings;
  }

  private depsUnchanged(deps: ContainerEntry['deps']): boolean {
    for (let i = 0; i < deps.length; i += 2) if (this.index.summaryOf(deps[i] as string) !== deps[i + 1]) return false;
    return true;
  }

  /** A container's findings and facts: kept for an unchanged container (see workspace/reuse.ts). */
  private checkContainer(container: ContainerModel): ContainerEntry {
    const cached = this.containerCache.get(container);
    if (cached && this.depsUnchanged(cached.deps)) return cached;
    const resolver = this.scratchResolver();
    const findings = this.runChecks(CONTAINER_RULES, (r, ctx) => r.checkContainer!(container, ctx), resolver);
    for (const finding of findings) finding.container = container.name;
    const factContext = { config: this.config, index: this.index, resolver };
    const facts = this.joins.map((join) => {
      const list: Facts = [];
      if (!this.partial && join.rule.join.containerFacts) addFacts(list, join.rule.join.containerFacts(container, factContext));
      return list;
    });
    const deps = resolver.dependencies.size === 0 ? NO_DEPS : [...resolver.dependencies].flatMap((dep) => [dep, this.index.summaryOf(dep)]);
    const entry = { deps, findings: exact(findings, NO_FINDINGS), facts: facts.every((f) => f.length === 0) ? this.noFacts : facts.map((f) => exact(f, NO_FACTS)) };
    if (this.retain) this.containerCache.set(container, entry);
    return entry;
  }

  // --- per module folder --------------------------------------------------------------

  private refreshModules(dirtyTargets: Set<string>): void {
    const modules = this.index.modules();
    const importsVersion = this.index.importsVersion;
    const restored = this.restoredModules;
    this.restoredModules = undefined;
    for (const [folder, info] of modules) {
      const entry = this.modules.get(folder);
      if (entry && entry.info === info && entry.importsVersion === importsVersion) continue;
      this.modules.set(folder, { info, importsVersion });
      // Restored with inputs the store found unchanged: its findings are those kept.
      if (!entry && restored?.unchanged.has(folder)) continue;
      this.setSource(`m:${folder}`, this.runChecks(MODULE_RULES, (r, ctx) => r.checkModule!(info, ctx)), dirtyTargets);
    }
    for (const folder of [...this.modules.keys()]) {
      if (modules.has(folder)) continue;
      this.modules.delete(folder);
      this.setSource(`m:${folder}`, [], dirtyTargets);
    }
    // Folders a restored state had findings for that are gone now.
    for (const folder of restored?.withFindings ?? []) if (!modules.has(folder)) this.setSource(`m:${folder}`, [], dirtyTargets);
  }

  // --- join rules ---------------------------------------------------------------------

  private judge(join: JoinState, dirty: Set<string>, dirtyTargets: Set<string>): void {
    // Keys whose judgement read a dirty key are judged again too (one level is enough:
    // a judgement reads facts, never other judgements).
    const toJudge = new Set<string>();
    for (const key of dirty) {
      if (!key.startsWith('*')) toJudge.add(key);
      for (const reader of join.readers.get(key) ?? []) toJudge.add(reader);
    }
    // One context for the whole pass; `key`, `read` and `findings` are the current judgement's.
    let key = '';
    let read: string[] = [];
    let findings: Finding[] = [];
    const rule = join.rule.id;
    const ctx: JudgeContext = {
      config: this.config,
      lookup: <F>(other: string) => {
        read.push(other);
        return join.factsOf(other) as F[];
      },
      keys: (prefix) => {
        read.push(`*keys:${prefix}`);
        return join.keysWith(prefix);
      },
      exists: (file) => {
        if (this.retain) join.existenceReaders.add(key);
        return this.index.exists(file);
      },
      report: (f) => findings.push({ ...f, rule }),
    };
    for (const judged of toJudge) {
      key = judged;
      const facts = join.factsOf(key);
      join.existenceReaders.delete(key);
      if (facts.length > 0) join.rule.join.judge(key, facts, ctx);
      // Who read which key only matters to a later pass (a single pass would keep a Set per key read).
      if (this.retain && (read.length > 0 || join.reads.has(key))) join.recordReads(key, read);
      if (findings.length > 0 || this.sourceTargets.has(`j${join.ruleIndex}:${key}`)) this.setSource(`j${join.ruleIndex}:${key}`, findings, dirtyTargets);
      if (read.length > 0) read = [];
      if (findings.length > 0) findings = [];
    }
  }

  // --- findings by target file ----------------------------------------------------------

  /** Replaces one source's findings; the files they are in (before and after) are dirty. */
  private setSource(source: SourceId, findings: Finding[], dirtyTargets: Set<string>): void {
    const before = this.sourceTargets.get(source);
    if (!before && findings.length === 0) return;
    // The same findings again (a module checked again after a restore, an existence reader
    // judged again) keep their place among the target's sources: the order decides ties.
    if (before && findings.length > 0 && this.sameFindings(source, before, findings)) return;
    for (const target of before ?? []) {
      this.contributions.get(target)?.delete(source);
      dirtyTargets.add(target);
    }
    if (findings.length === 0) {
      this.sourceTargets.delete(source);
      return;
    }
    const byTarget = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byTarget.get(f.src.file);
      if (list) list.push(f);
      else byTarget.set(f.src.file, [f]);
    }
    for (const [target, list] of byTarget) {
      let sources = this.contributions.get(target);
      if (!sources) this.contributions.set(target, (sources = new Map()));
      sources.set(source, list);
      dirtyTargets.add(target);
    }
    this.sourceTargets.set(source, [...byTarget.keys()]);
  }

  /** Whether `source` holds exactly these findings (equal in content, in this order) in its targets `before`. */
  private sameFindings(source: SourceId, before: string[], findings: Finding[]): boolean {
    let at = 0;
    for (const target of before) {
      const list = this.contributions.get(target)?.get(source);
      if (!list) return false;
      for (const kept of list) {
        const next = findings[at++];
        if (!next || next.src.file !== target || !sameData(kept, next)) return false;
      }
    }
    return at === findings.length;
  }
}

/** The same finding can be reached twice (a value used by two containers of one module). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.src.range.start.line}:${f.src.range.start.character}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const states = new WeakMap<WorkspaceIndex, LintState>();

/**
 * Brings the index's findings up to date (from scratch when the config or option paths
 * changed). `once`: a single pass whose state is not kept (a command-line run).
 */
export function lintPass(index: WorkspaceIndex, config: LintConfig, partial: boolean, once = false, registry?: RegistryFacts): LintPass {
  if (once) return new LintState(index, config, index.optionPathsVersion, partial, false, registry).update();
  let state = states.get(index);
  if (!state || !state.fits(index, config, partial)) {
    state = new LintState(index, config, index.optionPathsVersion, partial);
    states.set(index, state);
  }
  return state.update();
}
