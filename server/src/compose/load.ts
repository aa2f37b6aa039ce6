// A compose file's text → plain data: YAML 1.2 through the `yaml` package (anchors, aliases,
// merge keys `<<`), one document only, then interpolation of every string value.
import { Scalar, parseAllDocuments, visit } from 'yaml';
import { ComposeError, Interpolation, interpolate } from './interpolate';

export type ComposeValue = string | number | boolean | null | ComposeValue[] | { [key: string]: ComposeValue };
export type ComposeMap = { [key: string]: ComposeValue };

/** Expansion limit for aliases (a "billion laughs" file is refused, not expanded). */
const MAX_ALIAS_COUNT = 1000;

export function parseComposeYaml(text: string, file: string, env: Interpolation): ComposeMap {
  const documents = parseAllDocuments(text, { merge: true, uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(documents)) throw new ComposeError(`not a YAML stream`);
  const nonEmpty = documents.filter((d) => d.contents !== null || d.errors.length > 0);
  if (nonEmpty.length > 1) {
    throw new ComposeError(`holds ${nonEmpty.length} YAML documents (separated by \`---\`); a compose file is one document, so split it or pass the part to import`);
  }
  const document = nonEmpty[0];
  if (!document) throw new ComposeError(`the file is empty`);
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    throw new ComposeError(`${line ? `line ${line.line}, column ${line.col}: ` : ''}${error.message.split('\n')[0]}`);
  }
  // Compose reads YAML with go-yaml, where a plain `0440` is octal (a secret's `mode`); YAML 1.2 reads it as decimal 440.
  visit(document, {
    Scalar(_, node: Scalar) {
      if (typeof node.value === 'number' && node.type === Scalar.PLAIN && /^[-+]?0[0-7]+$/.test(node.source ?? '')) node.value = parseInt(node.source!, 8);
    },
  });
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    throw new ComposeError(`${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ComposeError(`the top level is not a mapping (expected \`services:\`)`);
  return interpolateTree(data, env, '') as ComposeMap;
}

/** Interpolates every string value (keys stay as written, as Compose does), keeping own keys only. */
function interpolateTree(value: unknown, env: Interpolation, where: string): ComposeValue {
  if (typeof value === 'string') return interpolate(value, env, where || 'value');
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return (value ?? null) as ComposeValue;
  if (Array.isArray(value)) return value.map((item, i) => interpolateTree(item, env, `${where}[${i}]`));
  if (value instanceof Map) throw new ComposeError(`${where}: a mapping with non-string keys`);
  if (typeof value === 'object') {
    const out: ComposeMap = Object.create(null);
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      // Extension fields (`x-…`) are templates for anchors; Compose ignores them.
      if (key.startsWith('x-')) continue;
      out[key] = interpolateTree(item, env, where ? `${where}.${key}` : key);
    }
    return out;
  }
  return String(value);
}
