// Reading image tags as versions: which are stable releases, which are pre-releases, dates,
// architecture tags or names (`latest`, `develop`), how stable versions order (`1.10.0` after
// `1.9.3`), and which tags share a *track* with a pinned one — the same shape (`v` prefix,
// number of components, variant suffix such as `-alpine`, build suffix such as linuxserver's
// `-ls256`) and, unless asked, the same major version — so "newer" never means "switched
// from the Alpine variant" or "crossed a major upgrade".

export type TagKind = 'stable' | 'prerelease' | 'date' | 'arch' | 'name';

export interface TagVersion {
  tag: string;
  kind: TagKind;
  /** `v` when the tag is written `v1.2.3`. */
  prefix: string;
  /** The numeric components: `1.10.0` → [1, 10, 0]. Empty for names. */
  numbers: number[];
  /** What follows the numbers, e.g. `-alpine`, `-ls256`, `-rc.1`. */
  suffix: string;
  /** The suffix with its numbers masked (`-ls256` → `-ls#`): part of the track. */
  variant: string;
  /** Numbers inside the suffix (the build of `-ls256`), compared after `numbers`. */
  build: number[];
}

const ARCH = /(?:^|[-_.])(amd64|x86_64|arm64(?:v8)?|aarch64|armv[5-8]|arm32v[5-7]|armhf|arm|i386|386|ppc64le|s390x|riscv64)(?:$|[-_.])/i;
const PRERELEASE = /(?:^|[-_.+])(rc|alpha|beta|dev|devel|develop|pre|preview|nightly|snapshot|canary|next|unstable|test|testing|edge|a|b)\d*(?:$|[-_.+\d])/i;
const VERSION = /^(v?)(\d+(?:\.\d+)*)(.*)$/i;

export function parseTag(tag: string): TagVersion {
  const match = VERSION.exec(tag);
  if (!match) return { tag, kind: ARCH.test(tag) ? 'arch' : 'name', prefix: '', numbers: [], suffix: tag, variant: tag, build: [] };
  const [, prefix, digits, suffix] = match;
  const numbers = digits.split('.').map(Number);
  const variant = suffix.replace(/\d+/g, '#');
  const build = (suffix.match(/\d+/g) ?? []).map(Number);
  let kind: TagKind = 'stable';
  if (ARCH.test(suffix)) kind = 'arch';
  else if (PRERELEASE.test(suffix)) kind = 'prerelease';
  else if (isDate(numbers, digits, suffix)) kind = 'date';
  return { tag, kind, prefix: prefix.toLowerCase(), numbers, suffix, variant, build };
}

/**
 * `20240115`, `202401151230`, `2024-01-15` (a year then a dash): builds named by date.
 * Calendar versions such as Home Assistant's `2024.12.4` are releases and stay stable.
 */
function isDate(numbers: number[], digits: string, suffix: string): boolean {
  if (numbers.length === 1 && /^(19|20)\d{6}(\d{2,6})?$/.test(digits)) return true;
  return numbers.length === 1 && /^(19|20)\d\d$/.test(digits) && /^-\d\d-\d\d/.test(suffix);
}

/** Compares two versions by their numbers, then their build numbers; negative when a < b. */
export function compareVersions(a: TagVersion, b: TagVersion): number {
  for (const [x, y] of [[a.numbers, b.numbers], [a.build, b.build]]) {
    const length = Math.max(x.length, y.length);
    for (let i = 0; i < length; i++) {
      const d = (x[i] ?? -1) - (y[i] ?? -1);
      if (d !== 0) return d;
    }
  }
  return 0;
}

/** Whether `candidate` is on `current`'s track: same shape and variant, and the same major unless `crossMajor`. */
export function sameTrack(current: TagVersion, candidate: TagVersion, crossMajor = false): boolean {
  if (current.kind !== 'stable' || candidate.kind !== 'stable') return false;
  if (candidate.prefix !== current.prefix || candidate.numbers.length !== current.numbers.length || candidate.variant !== current.variant) return false;
  // A 0.x version's minor is its major (semver): 0.9 → 0.10 may break as much as 1 → 2.
  const majorParts = current.numbers[0] === 0 ? 2 : 1;
  return crossMajor || current.numbers.slice(0, majorParts).every((n, i) => candidate.numbers[i] === n);
}

/** The newest stable tag on the current tag's track (the current one when nothing is newer); null when the current tag is not a stable version. */
export function newestOnTrack(current: string, tags: readonly string[], crossMajor = false): string | null {
  const pinned = parseTag(current);
  if (pinned.kind !== 'stable') return null;
  let best = pinned;
  for (const tag of tags) {
    const version = parseTag(tag);
    if (sameTrack(pinned, version, crossMajor) && compareVersions(version, best) > 0) best = version;
  }
  return best.tag;
}

/** The newest stable tag of any track, preferring the shape most tags have (for a `latest` image with no pinned track). */
export function newestStable(tags: readonly string[]): string | null {
  const stable = tags.map(parseTag).filter((t) => t.kind === 'stable' && t.variant === '');
  const pool = stable.length > 0 ? stable : tags.map(parseTag).filter((t) => t.kind === 'stable');
  let best: TagVersion | null = null;
  for (const t of pool) if (!best || compareVersions(t, best) > 0) best = t;
  return best?.tag ?? null;
}

const KIND_ORDER: Record<TagKind, number> = { stable: 0, prerelease: 1, name: 2, date: 3, arch: 4 };

/** Tags for a picker: stable versions newest first (plain ones before variants), then pre-releases, names, dates, architectures. */
export function sortTagsForPicking(tags: readonly string[]): TagVersion[] {
  return tags
    .map(parseTag)
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.variant === '' ? 0 : 1) - (b.variant === '' ? 0 : 1) || compareVersions(b, a) || a.tag.localeCompare(b.tag));
}
