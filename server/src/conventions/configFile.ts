// The `.hwc-lint.json` that `hwc init` and HWC: Configure for This Repository propose:
// every discovered convention the file does not set yet, each with a one-line `//` reason
// (the loader reads JSON with comments). An existing file keeps its text, its comments and
// its settings; only the missing settings are added.
import * as jsonc from 'jsonc-parser';
import { CONFIG_FILE } from '../config/load';
import { lintConfigSchema } from '../config/schema';
import { Conventions, DISCOVERABLE_KEYS, DiscoverableKey } from './discover';

/** Text from the repository (paths, names) made safe for a one-line comment or a terminal. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A JSON value on one line, spaced the way people write it by hand. */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}

const HEADER = [
  `// ${CONFIG_FILE}: hwc-orchestrator settings, written by \`hwc init\` from the conventions`,
  '// this repository already follows; each comment says what a value was learned from.',
  '// What this file sets always wins over discovery: edit freely, or delete a setting to',
  '// let discovery decide it again. `hwc config --show` prints the effective settings.',
];

/** Which discovered settings the file would gain (those it does not set, nor a setting of the same group). */
export function settingsToAdd(conventions: Conventions, present: ReadonlySet<string>): DiscoverableKey[] {
  const routesSet = present.has('routesFolder') || present.has('routesFile');
  return DISCOVERABLE_KEYS.filter((key) => {
    const found = conventions.values[key];
    if (found === undefined || present.has(key) || ((key === 'routesFolder' || key === 'routesFile') && routesSet)) return false;
    // Never write a value the loader would refuse.
    return lintConfigSchema.shape[key].safeParse(found.value).success;
  });
}

/**
 * The proposed file text. `existing` is the current file (undefined when there is none);
 * a file that is not a JSON object is left as it is (the caller reports that).
 */
export function proposeConfigFile(existing: string | undefined, conventions: Conventions): { text: string; added: DiscoverableKey[] } {
  const notes = conventions.notes.map((note) => `//   - ${oneLine(note)}`);
  const notesBlock = notes.length > 0 ? ['// Also seen in this repository (no setting of its own):', ...notes] : [];
  if (existing === undefined || existing.trim() === '') {
    const added = settingsToAdd(conventions, new Set());
    const body = added.map((key, i) => {
      const found = conventions.values[key]!;
      return `  // ${oneLine(found.reason)}\n  ${JSON.stringify(key)}: ${inlineJson(found.value)}${i < added.length - 1 ? ',' : ''}`;
    });
    return { text: [...HEADER, ...notesBlock, '{', body.join('\n\n'), '}', ''].join('\n'), added };
  }
  const root = jsonc.parseTree(existing);
  if (!root || root.type !== 'object') return { text: existing, added: [] };
  const present = new Set((root.children ?? []).map((p) => String(p.children?.[0]?.value)));
  const added = settingsToAdd(conventions, present);
  let text = existing;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  for (const key of added) {
    const found = conventions.values[key]!;
    text = jsonc.applyEdits(text, jsonc.modify(text, [key], found.value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } }));
    const property = jsonc.findNodeAtLocation(jsonc.parseTree(text)!, [key])?.parent;
    if (!property) continue;
    const lineStart = text.lastIndexOf('\n', property.offset - 1) + 1;
    const before = text.slice(lineStart, property.offset);
    const indent = /^\s*/.exec(before)![0];
    const comment = `// ${oneLine(found.reason)}${eol}${indent}`;
    text = before.trim() === '' ? text.slice(0, property.offset) + comment + text.slice(property.offset) : text.slice(0, property.offset) + `${eol}${indent}` + comment + text.slice(property.offset);
  }
  return { text, added };
}
