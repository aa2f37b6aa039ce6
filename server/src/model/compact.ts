// Shares what many summaries hold equal copies of before the index keeps a summary. At
// 20,000 modules the index holds about 400,000 small arrays of strings: option paths (the
// same `hwc.server.containers.<name>.port` declared in options.nix, read in index.nix,
// listed among the file's config reads) and the parts of literal strings (`value-0`,
// `Europe/Berlin`). Equal lists become one array (model/intern.ts), in place; nothing else
// about the summary changes.
import { internList } from './intern';
import type { FileSummary, PathRef } from './summary';
import type { StrPart, StrValue, Value } from './values';

export function shareSummaryLists(summary: FileSummary): void {
  for (const container of summary.containers) {
    const fields = container.fields;
    for (const name in fields) for (const value of fields[name]) shareValue(value, 0);
  }
  for (const option of summary.options) {
    option.path = internList(option.path);
    if (option.default) shareValue(option.default, 0);
  }
  sharePaths(summary.optionRoots);
  sharePaths(summary.cfgBindings);
  sharePaths(summary.configReads);
  if (summary.optionReads) sharePaths(summary.optionReads);
  if (summary.optionDefinitions) sharePaths(summary.optionDefinitions);
  for (const alias of summary.aliases) {
    alias[0] = internList(alias[0]);
    alias[1] = internList(alias[1]);
  }
  for (const line of summary.tmpfiles) shareString(line, 0);
  for (const route of summary.routes) {
    if (route.domain) shareString(route.domain, 0);
    for (const upstream of route.upstreams) shareString(upstream, 0);
  }
  if (summary.partImports) for (const call of summary.partImports) shareValue(call.args, 0);
  if (summary.moduleArgs) for (const given of summary.moduleArgs) shareValue(given.value, 0);
}

function sharePaths(refs: PathRef[]): void {
  for (const ref of refs) ref.path = internList(ref.path);
}

// Values nest as deep as the Nix they come from; past this depth they are left as they are.
const MAX_DEPTH = 64;

function shareValue(value: Value, depth: number): void {
  if (depth > MAX_DEPTH) return;
  switch (value.k) {
    case 'str':
      shareString(value, depth);
      return;
    case 'ref':
      value.path = internList(value.path);
      if (value.fallback) shareValue(value.fallback, depth + 1);
      return;
    case 'list':
      for (const item of value.items) shareValue(item, depth + 1);
      return;
    case 'attrs':
      for (const entry of value.entries) {
        shareValue(entry.value, depth + 1);
        if (entry.dynamicKey) shareString(entry.dynamicKey, depth + 1);
      }
      return;
    case 'alt':
      for (const option of value.options) shareValue(option, depth + 1);
      return;
    case 'merge':
      for (const item of value.items) shareValue(item, depth + 1);
      return;
    case 'guard':
      shareValue(value.body, depth + 1);
      return;
    case 'option':
      if (value.default) shareValue(value.default, depth + 1);
      return;
    case 'fn':
      for (const arg of value.args) shareValue(arg, depth + 1);
      return;
    default:
      return;
  }
}

function shareString(value: StrValue, depth: number): void {
  const parts = value.parts;
  let literal = true;
  for (const part of parts) {
    if (typeof part === 'string') continue;
    literal = false;
    if ('ref' in part) {
      part.ref = internList(part.ref);
      if (part.fallback) shareValue(part.fallback, depth + 1);
    }
  }
  if (literal) value.parts = internList(parts as string[]) as StrPart[];
}
