// Reads `.hwc-lint.json`: JSON with comments, validated by the zod schema. Problems point
// at the offending key; invalid keys fall back to their defaults so linting goes on.
import * as jsonc from 'jsonc-parser';
import { LintConfig, defaultLintConfig, lintConfigSchema } from './schema';
import type { Range } from '../model/source';

export const CONFIG_FILE = '.hwc-lint.json';

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
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  const endText = text.slice(0, offset + length);
  const endLine = endText.split('\n').length - 1;
  return { start: { line, character }, end: { line: endLine, character: offset + length - (endText.lastIndexOf('\n') + 1) } };
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

export function parseLintConfig(text: string): LoadedConfig {
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
