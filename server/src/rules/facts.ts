// Resolved facts about a container that several rules share (its image, its port
// mappings, its volumes), so each rule stays a few lines of policy.
import type { Src } from '../model/source';
import type { ContainerModel, FileSummary } from '../model/summary';
import type { Value } from '../model/values';
import { Descent, eachLeaf, eachValue } from '../model/walk';
import type { Resolver, ResolvedString } from '../workspace/resolve';
import { ImageRef, PortMapping, VolumeSpec, parseImage, parsePortMapping, parseVolume } from './docker';

export interface ResolvedImage {
  value: ResolvedString;
  ref: ImageRef;
}

/** The container's image(s) whose text is fully known (six container rules ask: parsed once per container). */
export function images(container: ContainerModel, resolver: Resolver): ResolvedImage[] {
  return resolver.cached(container, 'images', (r) =>
    r
      .strings(container.fields.image)
      .filter((v): v is ResolvedString & { text: string } => v.text !== null)
      .map((value) => ({ value, ref: parseImage(value.text!) })),
  );
}

/** A resolved string and the `if` branches it sits in: alternative (by source) → branch index. */
export interface BranchedString extends ResolvedString {
  branches: ReadonlyMap<string, number>;
}

/** Shared by every string outside an `if` (never modified: a branch copies it). */
const NO_BRANCHES: ReadonlyMap<string, number> = new Map();

/** Records, below each `if`, which of its branches a value sits in. */
const ALT_BRANCHES: Descent<ReadonlyMap<string, number>> = { lists: true, option: (branches, alt, i) => new Map(branches).set(srcKey(alt.src), i) };

/** Like `resolver.strings`, but remembers which branch of each `if` a string came from. */
export function branchedStrings(values: Value[] | undefined, resolver: Resolver): BranchedString[] {
  const out: BranchedString[] = [];
  for (const value of values ?? []) {
    eachValue(resolver.value(value), NO_BRANCHES, (leaf, branches) => {
      if (leaf.k === 'str' || leaf.k === 'int') for (const s of resolver.strings([leaf])) out.push({ ...s, branches });
    }, ALT_BRANCHES);
  }
  return out;
}

/** Two strings from different branches of one `if` never exist together. */
export function mutuallyExclusive(a: BranchedString, b: BranchedString): boolean {
  for (const [alt, index] of a.branches) if (b.branches.has(alt) && b.branches.get(alt) !== index) return true;
  return false;
}

function srcKey(src: { file: string; range: { start: { line: number; character: number } } }): string {
  return `${src.file}:${src.range.start.line}:${src.range.start.character}`;
}

export interface ResolvedPort {
  value: BranchedString;
  mapping: PortMapping;
}

export function ports(container: ContainerModel, resolver: Resolver): Array<ResolvedPort | { value: BranchedString; error: string }> {
  return resolver.cached(container, 'ports', (resolver) => {
    const out: Array<ResolvedPort | { value: BranchedString; error: string }> = [];
    for (const value of branchedStrings(container.fields.ports, resolver)) {
      if (value.text === null) continue;
      const parsed = parsePortMapping(value.text);
      if ('error' in parsed) out.push({ value, error: parsed.error });
      else out.push({ value, mapping: parsed });
    }
    return out;
  });
}

export function validPorts(container: ContainerModel, resolver: Resolver): ResolvedPort[] {
  return resolver.cached(container, 'validPorts', (r) => ports(container, r).filter((p): p is ResolvedPort => 'mapping' in p));
}

export interface ResolvedVolume {
  value: ResolvedString;
  volume: VolumeSpec;
}

export function volumes(container: ContainerModel, resolver: Resolver): Array<ResolvedVolume | { value: ResolvedString; error: string }> {
  return resolver.cached(container, 'volumes', (resolver) => {
    const out: Array<ResolvedVolume | { value: ResolvedString; error: string }> = [];
    for (const value of resolver.strings(container.fields.volumes)) {
      if (value.text === null) {
        // A volume whose host side is known can still be judged on that side.
        const host = knownPrefixBeforeColon(value);
        if (host) out.push({ value, volume: { host, target: '', options: [], named: false, partial: true } });
        continue;
      }
      const parsed = parseVolume(value.text);
      if ('error' in parsed) out.push({ value, error: parsed.error });
      else out.push({ value, volume: parsed });
    }
    return out;
  });
}

function knownPrefixBeforeColon(value: ResolvedString): string | null {
  const first = value.parts[0];
  if (typeof first !== 'string') return null;
  const colon = first.indexOf(':');
  return colon > 0 ? first.slice(0, colon) : null;
}

export function validVolumes(container: ContainerModel, resolver: Resolver): ResolvedVolume[] {
  return resolver.cached(container, 'validVolumes', (r) => volumes(container, r).filter((v): v is ResolvedVolume => 'volume' in v));
}

/** `/opt/<category>/<owner>…` split into its pieces, when the path is under the state root. */
export function statePath(host: string, stateRoot: string): { category: string; owner: string | null; dir: string } | null {
  // Every volume of every container passes here, several times: most are not under the root.
  const root = stateRoot.endsWith('/') ? stateRoot.replace(/\/+$/, '') : stateRoot;
  if (!host.startsWith(root) || host.charCodeAt(root.length) !== 47 /* / */) return null;
  const [category, owner] = firstTwoSegments(host, root.length + 1);
  if (category === null) return null;
  return { category, owner, dir: owner ? `${root}/${category}/${owner}` : `${root}/${category}` };
}

/** The first two non-empty `/`-separated segments of `path` from `from` on (what split('/').filter(Boolean) would give first). */
function firstTwoSegments(path: string, from: number): [string | null, string | null] {
  const found: string[] = [];
  let start = from;
  while (found.length < 2 && start <= path.length) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (end > start) found.push(path.slice(start, end));
    start = end + 1;
  }
  return [found[0] ?? null, found[1] ?? null];
}

/** The container's extraOptions, resolved. */
export function extraOptions(container: ContainerModel, resolver: Resolver): ResolvedString[] {
  return resolver.strings(container.fields.extraOptions);
}

/** `mynet:ip=10.89.0.5,mac=…` → `mynet`; `container:<id>` and `ns:<path>` stay whole. */
function networkName(mode: string): string {
  const head = mode.split(':')[0];
  return head === 'container' || head === 'ns' ? mode : head.split(',')[0];
}

/**
 * The networks a container joins, with the literal they came from: `--network=<x>`, `--net=<x>`,
 * `--network <x>` in one item, `--network`/`--net` followed by `<x>` as the next list item
 * (rules.md v2 §13: all the same), and the `networks` attribute.
 */
export function networks(container: ContainerModel, resolver: Resolver): Array<{ name: string; value: ResolvedString }> {
  return resolver.cached(container, 'networks', (resolver) => {
    const out: Array<{ name: string; value: ResolvedString }> = [];
    const options = extraOptions(container, resolver);
    options.forEach((value, i) => {
      if (value.text === null) return;
      const option = value.text.trim();
      const m = /^--net(?:work)?(?:=|\s+)(\S.*)$/.exec(option);
      if (m) out.push({ name: networkName(m[1].trim()), value });
      else if ((option === '--network' || option === '--net') && options[i + 1]?.text) {
        const next = options[i + 1];
        out.push({ name: networkName(next.text!.trim()), value: next });
      }
    });
    for (const value of resolver.strings(container.fields.networks)) if (value.text) out.push({ name: value.text, value });
    return out;
  });
}

/** `config.age.secrets.<n>…` references anywhere inside a value. */
export function collectSecretRefs(value: Value, out: Set<string>): void {
  const fromPath = (path: string[]) => {
    if (path[0] === 'age' && path[1] === 'secrets' && path.length >= 3) out.add(path[2]);
  };
  eachLeaf(value, (leaf) => {
    if (leaf.k === 'ref') fromPath(leaf.path);
    else if (leaf.k === 'str') for (const part of leaf.parts) if (typeof part !== 'string' && 'ref' in part) fromPath(part.ref);
  }, { lists: true, attrs: true });
}

/**
 * Every secret a file reads: the literal `config.age.secrets.<n>` and the computed
 * `config.age.secrets.${cfg.keyName}` whose name resolves (each possible name of a
 * conditional one). A name that stays unknown is no use of anything (v2 §4).
 */
export function secretUses(file: FileSummary, resolver: Resolver): Array<{ name: string; src: Src }> {
  if (!file.secretsUsedComputed) return file.secretsUsed;
  const out = [...file.secretsUsed];
  for (const use of file.secretsUsedComputed) {
    for (const name of resolver.strings([use.name])) if (name.text) out.push({ name: name.text, src: use.src });
  }
  return out;
}
