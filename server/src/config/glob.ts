// Glob matching for `ignore` in `.hwc-lint.json`. The patterns come from the repository,
// so matching must stay cheap whatever they hold: a regex-based matcher backtracks
// exponentially on `*a*a*a…*b` (40 s for a 40-character name). This one never
// backtracks more than one star: each `*` (within a name) and each `**` (over folders)
// is matched greedily with a single resume point, so a match costs at most
// O(pattern length × path length) steps.
//
// Syntax: `*` any run of characters but `/` (dot files included), `?` one such character,
// `[abc]`/`[a-z]`/`[!a-z]` a class, `\x` a literal, `**` as a whole segment any number of
// folders (also none: `legacy/**` ignores `legacy` itself), `{a,b}` alternatives.

/** Patterns longer than this are refused by the schema (a real ignore glob is a few dozen characters). */
export const MAX_GLOB_LENGTH = 512;
/** `{a,b}{c,d}…` multiplies: at most this many alternatives per pattern. */
export const MAX_GLOB_ALTERNATIVES = 64;

type Token = { k: 'lit'; c: string } | { k: 'any' } | { k: 'star' } | { k: 'class'; negated: boolean; ranges: Array<[string, string]> };
/** One path segment of a pattern: `**`, or tokens. */
type Segment = 'globstar' | Token[];

export class GlobError extends Error {}

/** Expands `{a,b}` alternatives (nested too), refusing more than MAX_GLOB_ALTERNATIVES. */
export function expandBraces(pattern: string): string[] {
  let open = -1;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') {
      if (depth++ === 0) open = i;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      const parts: string[] = [];
      let start = open + 1;
      let inner = 0;
      for (let j = open + 1; j < i; j++) {
        const d = pattern[j];
        if (d === '\\') j++;
        else if (d === '{') inner++;
        else if (d === '}') inner--;
        else if (d === ',' && inner === 0) {
          parts.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      parts.push(pattern.slice(start, i));
      // `{a}` without a comma is literal, as in the shells.
      if (parts.length === 1) continue;
      const before = pattern.slice(0, open);
      const after = pattern.slice(i + 1);
      const out: string[] = [];
      for (const part of parts) {
        for (const expanded of expandBraces(before + part + after)) {
          out.push(expanded);
          if (out.length > MAX_GLOB_ALTERNATIVES) throw new GlobError(`more than ${MAX_GLOB_ALTERNATIVES} alternatives`);
        }
      }
      return out;
    }
  }
  return [pattern];
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) tokens.push({ k: 'lit', c: segment[++i] });
    else if (c === '*') {
      // `a**b` inside a name is the same as `a*b`.
      if (tokens[tokens.length - 1]?.k !== 'star') tokens.push({ k: 'star' });
    } else if (c === '?') tokens.push({ k: 'any' });
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        tokens.push({ k: 'lit', c });
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body[0] === '!' || body[0] === '^';
      if (negated) body = body.slice(1);
      const ranges: Array<[string, string]> = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          ranges.push([body[j], body[j + 2]]);
          j += 2;
        } else ranges.push([body[j], body[j]]);
      }
      tokens.push({ k: 'class', negated, ranges });
      i = close;
    } else tokens.push({ k: 'lit', c });
  }
  return tokens;
}

function tokenMatches(token: Token, c: string): boolean {
  if (token.k === 'lit') return token.c === c;
  if (token.k === 'any') return true;
  if (token.k === 'class') return token.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== token.negated;
  return false;
}

/**
 * The one-resume-point wildcard match: on a mismatch, go back to just after the last star
 * and let that star take one more item. Earlier stars never need to move again, which is
 * what keeps it O(items × pattern) instead of exponential.
 */
function wildcard<T, I>(pattern: T[], items: I[], isStar: (t: T) => boolean, matches: (t: T, item: I) => boolean): boolean {
  let p = 0;
  let i = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (i < items.length) {
    if (p < pattern.length && isStar(pattern[p])) {
      starAt = p++;
      resumeAt = i;
    } else if (p < pattern.length && matches(pattern[p], items[i])) {
      p++;
      i++;
    } else if (starAt >= 0) {
      p = starAt + 1;
      i = ++resumeAt;
    } else return false;
  }
  while (p < pattern.length && isStar(pattern[p])) p++;
  return p === pattern.length;
}

const isStarToken = (t: Token) => t.k === 'star';
const nameMatches = (tokens: Token[], name: string) => wildcard(tokens, [...name], isStarToken, tokenMatches);
const isGlobstar = (s: Segment) => s === 'globstar';
const segmentMatches = (segment: Segment, name: string) => segment !== 'globstar' && nameMatches(segment, name);

function compileOne(pattern: string): (segments: string[]) => boolean {
  const segments: Segment[] = pattern
    .replace(/^\.\//, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s === '**' ? 'globstar' : tokenize(s)));
  return (names) => wildcard(segments, names, isGlobstar, segmentMatches);
}

/** Checks a pattern; throws GlobError with the reason it is refused. */
export function checkGlob(pattern: string): void {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobError(`longer than ${MAX_GLOB_LENGTH} characters`);
  if (pattern.startsWith('!')) throw new GlobError('negated globs (`!…`) are not supported: list only what to ignore');
  expandBraces(pattern);
}

/** A matcher for paths relative to the root (`/`-separated): true when any pattern matches. */
export function compileGlobs(patterns: string[]): (relative: string) => boolean {
  const matchers: Array<(segments: string[]) => boolean> = [];
  for (const pattern of patterns) {
    try {
      checkGlob(pattern);
      for (const alternative of expandBraces(pattern)) matchers.push(compileOne(alternative));
    } catch {
      // The schema reports refused patterns; here they simply match nothing.
    }
  }
  if (matchers.length === 0) return () => false;
  return (relative) => {
    const names = relative.split('/');
    return matchers.some((m) => m(names));
  };
}
