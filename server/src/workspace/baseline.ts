// The baseline (`.hwc-baseline.json`): the findings a repository had when it adopted the
// linter, recorded so that only new ones are reported. `hwc lint` and the language server
// both classify findings through `classifyFileFindings`, so they agree on what is new.
//
// A finding's fingerprint is (rule, file, container, value) and never a line number:
// - `container` is the container a per-container rule was checking (or the one a
//   cross-file rule names in its data); empty for module and file findings;
// - `value` is the flagged source text (trimmed, without the quotes of a string literal;
//   empty for a range over several lines), so adding lines above it or editing other parts of the file does not
//   change it; a long value is stored as a hash; a `hardcoded-secret` finding records the
//   variable's name instead (a baseline must not become a second copy of a leaked password).
// Equal fingerprints are counted (as PHPStan and ESLint count per entry): with 2 recorded
// and 3 found, one is new. Which of the equal ones is "new" is the last in the file.
import { createHash } from 'crypto';
import * as fs from 'fs';
import { z } from 'zod';
import type { LintDiagnostic } from '../rules/engine';

export const BASELINE_FILE = '.hwc-baseline.json';
export const BASELINE_VERSION = 1;
/** A baseline of 100,000 findings is about 15 MB; anything larger is not one of ours. */
export const MAX_BASELINE_BYTES = 32 * 1024 * 1024;
/** Values longer than this are stored as a hash: they would only make the file unreadable. */
const MAX_VALUE_CHARS = 120;
/** Rules whose flagged text must never be copied into the baseline. */
const SECRET_VALUE_RULES = new Set(['hardcoded-secret']);
/** Findings that are never baselined: a file that does not parse, or a config that does not load, must be fixed. */
export const NEVER_BASELINED = new Set(['syntax-error', 'config-invalid']);

export interface Fingerprint {
  rule: string;
  file: string;
  container: string;
  value: string;
}

export interface BaselineEntry extends Fingerprint {
  count: number;
}

/** A loaded baseline: counts by fingerprint key, and the entries as read. */
export interface Baseline {
  entries: BaselineEntry[];
  counts: Map<string, number>;
  /** Files with at least one entry (a file without one needs no work). */
  files: Set<string>;
}

/** The baseline file is missing the shape we write, unreadable, too big or not a regular file. */
export class BaselineError extends Error {}

const entrySchema = z.strictObject({
  file: z.string().min(1),
  rule: z.string().min(1),
  container: z.string().default(''),
  value: z.string(),
  count: z.number().int().positive(),
});
const baselineSchema = z.strictObject({
  version: z.literal(BASELINE_VERSION),
  entries: z.array(entrySchema),
});

export function fingerprintKey(f: Fingerprint): string {
  return JSON.stringify([f.rule, f.file, f.container, f.value]);
}

function hashed(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

// The lines of the last text read: a file's findings are fingerprinted one after another,
// and splitting a 2,000-line module once per finding would cost more than the lint.
let linesOfText: { text: string; lines: string[] } | undefined;
function lineOf(text: string, line: number): string {
  if (linesOfText?.text !== text) linesOfText = { text, lines: text.split('\n') };
  return linesOfText.lines[line] ?? '';
}

/** The flagged text of a finding, as the fingerprint records it. */
export function flaggedValue(d: LintDiagnostic, text: string | undefined): string {
  if (SECRET_VALUE_RULES.has(d.rule)) return typeof d.data?.key === 'string' ? `key ${d.data.key}` : '';
  if (text === undefined) return '';
  const { start, end } = d.src.range;
  // A range over several lines is a whole construct (a module, an attrset): its text changes
  // with any edit inside, so rule, file and container identify it alone.
  if (start.line !== end.line) return '';
  let value = lineOf(text, start.line).slice(start.character, end.character).trim();
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("''") && value.endsWith("''")))) {
    value = value.slice(value.startsWith('"') ? 1 : 2, value.startsWith('"') ? -1 : -2);
  }
  if (value.length > MAX_VALUE_CHARS) return hashed(value);
  return value;
}

export function fingerprintOf(d: LintDiagnostic, text: string | undefined): Fingerprint {
  const named = d.data?.container;
  const container = d.container ?? (typeof named === 'string' ? named : '');
  return { rule: d.rule, file: d.src.file, container, value: flaggedValue(d, text) };
}

export function emptyBaseline(): Baseline {
  return { entries: [], counts: new Map(), files: new Set() };
}

function fromEntries(entries: BaselineEntry[]): Baseline {
  const baseline = emptyBaseline();
  for (const entry of entries) {
    const key = fingerprintKey(entry);
    baseline.counts.set(key, (baseline.counts.get(key) ?? 0) + entry.count);
    baseline.files.add(entry.file);
  }
  baseline.entries = entries;
  return baseline;
}

/** Control characters from the file shown as escapes: the message goes to a terminal. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Parses a baseline's text; a BaselineError says what is wrong with it. */
export function parseBaseline(text: string, name = BASELINE_FILE): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${name} is not valid JSON (${visible(error instanceof Error ? error.message : String(error))}); restore it from version control or write it again with \`hwc lint --baseline-write\``);
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? ` at ${visible(issue.path.join('.'))}` : '';
    throw new BaselineError(`${name} is not an hwc baseline (version ${BASELINE_VERSION})${where}: ${visible(issue.message)}; write it again with \`hwc lint --baseline-write\``);
  }
  return fromEntries(parsed.data.entries);
}

/**
 * Reads a baseline file: undefined when there is none; a BaselineError when it is a
 * folder, a symlink, a device, larger than MAX_BASELINE_BYTES or not a baseline.
 */
export function readBaseline(file: string, name = BASELINE_FILE): Baseline | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BaselineError(`${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (!stat.isFile()) throw new BaselineError(`${name} is not a regular file (${stat.isSymbolicLink() ? 'a symbolic link' : stat.isDirectory() ? 'a folder' : 'a special file'}); the baseline must be a plain JSON file`);
  if (stat.size > MAX_BASELINE_BYTES) throw new BaselineError(`${name} is ${Math.round(stat.size / 1024 / 1024)} MB, more than a baseline can be (${MAX_BASELINE_BYTES / 1024 / 1024} MB)`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new BaselineError(`${name}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseBaseline(text, name);
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return order(a.file, b.file) || order(a.rule, b.rule) || order(a.container, b.container) || order(a.value, b.value);
}

/** Merges equal fingerprints (adding their counts) and sorts: the file's order never depends on the run. */
export function normaliseEntries(entries: Iterable<BaselineEntry>): BaselineEntry[] {
  const merged = new Map<string, BaselineEntry>();
  for (const e of entries) {
    if (e.count <= 0) continue;
    const key = fingerprintKey(e);
    const seen = merged.get(key);
    if (seen) seen.count += e.count;
    else merged.set(key, { file: e.file, rule: e.rule, container: e.container, value: e.value, count: e.count });
  }
  return [...merged.values()].sort(compareEntries);
}

/**
 * The file's text: one entry per line, keys in a fixed order, sorted entries, `/` paths
 * relative to the workspace root. A review diff then shows exactly the entries that came
 * and went.
 */
export function serializeBaseline(entries: Iterable<BaselineEntry>): string {
  const lines = normaliseEntries(entries).map((e) => `    ${JSON.stringify({ file: e.file, rule: e.rule, container: e.container, value: e.value, count: e.count })}`);
  return `{\n  "version": ${BASELINE_VERSION},\n  "entries": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

/** Entries recording these findings (grouped and counted); never-baselined rules are left out. */
export function entriesFor(diagnostics: Iterable<LintDiagnostic>, text: (file: string) => string | undefined): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  for (const d of diagnostics) {
    if (NEVER_BASELINED.has(d.rule)) continue;
    entries.push({ ...fingerprintOf(d, text(d.src.file)), count: 1 });
  }
  return normaliseEntries(entries);
}

export interface Classified {
  /** Findings the baseline does not cover: these are reported. */
  fresh: LintDiagnostic[];
  /** Findings the baseline covers. */
  baselined: LintDiagnostic[];
  /** How many findings each fingerprint key matched (for pruning and stale counts). */
  matched: Map<string, number>;
}

/**
 * Splits one file's findings (in file order) into new and baselined. Of several findings
 * with one fingerprint, the first `count` are baselined and the rest new.
 */
export function classifyFileFindings(baseline: Baseline, file: string, diagnostics: readonly LintDiagnostic[], text: string | undefined): Classified {
  const matched = new Map<string, number>();
  if (!baseline.files.has(file)) return { fresh: [...diagnostics], baselined: [], matched };
  const fresh: LintDiagnostic[] = [];
  const baselined: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    if (NEVER_BASELINED.has(d.rule)) {
      fresh.push(d);
      continue;
    }
    const key = fingerprintKey(fingerprintOf(d, text));
    const used = matched.get(key) ?? 0;
    if (used < (baseline.counts.get(key) ?? 0)) {
      matched.set(key, used + 1);
      baselined.push(d);
    } else fresh.push(d);
  }
  return { fresh, baselined, matched };
}

/** The baseline with every count lowered to what still matches (entries that match nothing go). */
export function prunedEntries(baseline: Baseline, matched: Map<string, number>, keep: (file: string) => boolean): BaselineEntry[] {
  const remaining = new Map(matched);
  const entries: BaselineEntry[] = [];
  for (const entry of baseline.entries) {
    if (keep(entry.file)) {
      entries.push(entry);
      continue;
    }
    const key = fingerprintKey(entry);
    const left = remaining.get(key) ?? 0;
    const count = Math.min(entry.count, left);
    remaining.set(key, left - count);
    if (count > 0) entries.push({ ...entry, count });
  }
  return normaliseEntries(entries);
}

/** How many recorded findings no longer occur. */
export function staleCount(baseline: Baseline, matched: Map<string, number>, outOfScope: (file: string) => boolean): number {
  let stale = 0;
  for (const [key, count] of baseline.counts) {
    const file = (JSON.parse(key) as string[])[1];
    if (!outOfScope(file)) stale += Math.max(0, count - (matched.get(key) ?? 0));
  }
  return stale;
}
