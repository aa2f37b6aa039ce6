// Compose's variable interpolation and its `.env` format, as the Compose specification
// defines them. Values come only from the variables handed in (env files and the `.env`
// beside the compose file), never from this process's environment: what the import writes
// must not depend on the shell it happened to run in.

export class ComposeError extends Error {}

/** Variables by name, plus the names that were looked up but not set (reported, then empty). */
export interface Interpolation {
  variables: ReadonlyMap<string, string>;
  unset: Set<string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Replaces `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
 * `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` (defaults may nest) and `$$` → `$`.
 * `where` names the value in error messages (`services.web.image`).
 */
export function interpolate(text: string, env: Interpolation, where: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = matchingBrace(text, dollar + 1);
      if (close < 0) throw new ComposeError(`${where}: \`${text}\` has a \`\${\` without its closing \`}\``);
      out += expandBraced(text.slice(dollar + 2, close), env, where);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (!name) {
        out += '$';
        i = dollar + 1;
      } else {
        out += lookup(name, env);
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

/** Index of the `}` closing the `{` at `open`, counting nested `${…}`. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function lookup(name: string, env: Interpolation): string {
  const value = env.variables.get(name);
  if (value === undefined) {
    env.unset.add(name);
    return '';
  }
  return value;
}

function expandBraced(body: string, env: Interpolation, where: string): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new ComposeError(`${where}: \`\${${body}}\` is not a variable reference (a name of letters, digits and \`_\`)`);
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env);
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (!operator) throw new ComposeError(`${where}: \`\${${body}}\`: unknown modifier \`${rest}\` (expected :-, -, :?, ?, :+ or +)`);
  const argument = rest.slice(operator.length);
  const value = env.variables.get(name);
  const missing = operator.startsWith(':') ? value === undefined || value === '' : value === undefined;
  switch (operator.replace(':', '')) {
    case '-':
      return missing ? interpolate(argument, env, where) : value!;
    case '+':
      return missing ? '' : interpolate(argument, env, where);
    default: {
      if (!missing) return value!;
      const message = interpolate(argument, env, where);
      throw new ComposeError(`${where}: required variable ${name} is ${value === undefined ? 'not set' : 'empty'}${message ? `: ${message}` : ''}`);
    }
  }
}

/**
 * Parses a `.env`/`env_file` text: `KEY=value`, `export KEY=value`, `#` comments, single quotes
 * (literal), double quotes (escapes and interpolation), unquoted values (trailing ` #comment`
 * dropped, interpolated). Earlier variables of the same file are visible to later ones.
 */
export function parseEnvFile(text: string, env: Interpolation, file: string): Map<string, string> {
  const values = new Map<string, string>();
  const scoped: Interpolation = { variables: new Map([...env.variables]), unset: env.unset };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new ComposeError(`${file}:${n + 1}: \`${key}\` is not a variable name`);
    if (eq < 0) continue; // a bare name sets nothing
    let raw = body.slice(eq + 1).trim();
    let value: string;
    const where = `${file}:${n + 1}`;
    if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1);
      if (end < 0) throw new ComposeError(`${where}: unclosed single quote`);
      value = raw.slice(1, end);
    } else if (raw.startsWith('"')) {
      // A double-quoted value may span lines.
      while (!closingQuote(raw) && n + 1 < lines.length) raw += `\n${lines[++n]}`;
      const end = closingQuote(raw);
      if (!end) throw new ComposeError(`${where}: unclosed double quote`);
      value = interpolate(unescapeDoubleQuoted(raw.slice(1, end)), scoped, where);
    } else {
      value = interpolate(raw.replace(/\s+#.*$/, ''), scoped, where);
    }
    values.set(key, value);
    (scoped.variables as Map<string, string>).set(key, value);
  }
  return values;
}

function closingQuote(raw: string): number {
  for (let i = 1; i < raw.length; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === '"') return i;
  }
  return 0;
}

/** Escapes of a double-quoted value; `\$` becomes `$$`, which interpolation turns into a plain `$`. */
function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r', $: '$$' })[ch as 'n'] ?? ch);
}
