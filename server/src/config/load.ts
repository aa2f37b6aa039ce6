// Reads `.hwc-lint.json`: JSON with comments, validated by the zod schema. Problems point
// at the offending key; invalid keys fall back to their defaults so linting goes on.
import * as jsonc from 'jsonc-parser';
import { LintConfig, defaultLintConfig, lintConfigSchema } from './schema';
import type { Range } from '../model/source';
import { lineStarts, positionAt } from '../model/lines';

import { CONFIG_FILE } from './fileName';

export { CONFIG_FILE };

export interface ConfigProblem {
  message: string;
  range: Range;
  path: Array<string | number>;
}

export interface LoadedConfig {
  config: LintConfig;
  problems: ConfigProblem[];
  /** The top-level settings the file sets validly: they win over discovered conventions. */
  explicit: string[];
}

function rangeAt(text: string, offset: number, length: number): Range {
  const starts = lineStarts(text);
  return { start: positionAt(text, offset, starts), end: positionAt(text, offset + length, starts) };
}

/** The key node for a path (the property name), else the closest existing ancestor. */
function locate(root: jsonc.Node | undefined, text: string, path: Array<string | number>): Range {
  for (let depth = path.length; depth > 0; depth--) {
    const node = root && jsonc.findNodeAtLocation(root, path.slice(0, depth) as jsonc.JSONPath);
    if (!node) continue;
    const target = node.parent?.type === 'property' ? node.parent.children![0] : node;
    return rangeAt(text, target.offset, target.length);
  }
  return rangeAt(text, 0, Math.min(1, text.length));
}

/** Real configs nest four levels; jsonc-parser recurses once per level, so 100,000 would overflow the stack. */
export const MAX_CONFIG_NESTING = 64;

/** The offset where arrays/objects first nest deeper than `max` (strings and comments skipped), or -1. */
export function nestingTooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return -1;
}

/** A config that could not be used at all: every setting takes its default. */
export function unusableConfig(message: string, range: Range = rangeAt('', 0, 0)): LoadedConfig {
  return { config: defaultLintConfig, problems: [{ message, range, path: [] }], explicit: [] };
}

export function parseLintConfig(text: string): LoadedConfig {
  const deep = nestingTooDeepAt(text, MAX_CONFIG_NESTING);
  if (deep >= 0) return unusableConfig(`${CONFIG_FILE} nests arrays or objects deeper than ${MAX_CONFIG_NESTING} levels; not read`, rangeAt(text, deep, 1));
  try {
    return parseCheckedConfig(text);
  } catch (error) {
    // A last guard: whatever the parser or the schema throws on, the workspace still starts.
    return unusableConfig(`${CONFIG_FILE} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseCheckedConfig(text: string): LoadedConfig {
  const errors: jsonc.ParseError[] = [];
  const raw = jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const root = jsonc.parseTree(text, [], { allowTrailingComma: true });
  if (errors.length > 0) {
    return {
      config: defaultLintConfig,
      explicit: [],
      problems: errors.map((e) => ({ message: `${CONFIG_FILE} is not valid JSON: ${jsonc.printParseErrorCode(e.error)}`, range: rangeAt(text, e.offset, Math.max(1, e.length)), path: [] })),
    };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: defaultLintConfig, explicit: [], problems: [{ message: `${CONFIG_FILE} must contain a JSON object`, range: rangeAt(text, 0, Math.max(1, Math.min(text.length, 1))), path: [] }] };
  }
  const result = lintConfigSchema.safeParse(raw);
  const keys = Object.keys(raw as Record<string, unknown>).filter((k) => k !== '$schema');
  if (result.success) return { config: result.data, problems: [], explicit: keys };
  const problems: ConfigProblem[] = [];
  const badKeys = new Set<string>();
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
    // Unknown keys are reported at the key itself.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ message: `unknown setting \`${[...path, key].join('.')}\``, range: locate(root, text, [...path, key]), path: [...path, key] });
        badKeys.add(String(path[0] ?? key));
      }
      continue;
    }
    problems.push({ message: `\`${path.join('.') || '(root)'}\`: ${issue.message}`, range: locate(root, text, path), path });
    if (path.length) badKeys.add(String(path[0]));
  }
  // Keep the valid settings; the offending ones take their defaults.
  const kept = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([k]) => !badKeys.has(k)));
  const retry = lintConfigSchema.safeParse(kept);
  return { config: retry.success ? retry.data : defaultLintConfig, problems, explicit: retry.success ? keys.filter((k) => !badKeys.has(k)) : [] };
}
