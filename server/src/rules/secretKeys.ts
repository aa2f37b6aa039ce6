// When an environment key or a setting name holds a secret (rules.md v2 §7, §15), judged by
// its words rather than by substrings: `JWT_ACCESS_TOKEN_EXPIRE_MINUTES` names a duration,
// `MEILI_MASTER_KEY` a secret, `KEYBOARD_LAYOUT` neither.

/** `DB_POSTGRESDB_PASSWORD`, `smtp-pass.word`, `adminApiKey`, `OIDCClientSecret` → upper-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2') // camelCase: adminPassword → admin Password
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') // an acronym before a word: OIDCClient → OIDC Client
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/**
 * Words that are secrets on their own, also at the end of a compound word (`PGPASSWORD`,
 * `DBPASSWORD`, `CLIENTSECRET`), singular or plural.
 */
const SECRET_STEMS = /(?:PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|APIKEY)S?$/;
/** `KEY` counts only as a whole word (`MEILI_MASTER_KEY`, `SECRET_KEY_BASE`), never inside one (`MONKEY`, `KEYBOARD`). */
const KEY_WORDS = new Set(['KEY', 'KEYS']);

/** A secret word followed (anywhere later in the key) by one of these names something about the secret, not the secret. */
const QUALIFIERS = new Set([
  'EXPIRE', 'EXPIRES', 'EXPIRY', 'EXPIRATION', 'TTL', 'LIFETIME', 'LENGTH', 'TIMEOUT', 'DURATION',
  'HEADER', 'NAME', 'PATH', 'FILE', 'URL', 'ENABLED',
  // Like PATH and FILE: where secrets live (`SECRETS_DIR`, systemd's `CREDENTIALS_DIRECTORY`), not a secret.
  'DIR', 'DIRECTORY',
]);
/** What also makes `KEY` harmless: `PUBLIC_KEY` before it, `KEY_ID` after it. */
const KEY_QUALIFIERS_BEFORE = new Set(['PUBLIC']);
const KEY_QUALIFIERS_AFTER = new Set(['ID']);

/** Verdicts by key: thousands of containers share a few hundred keys (TZ, PUID, DB_HOST…). */
const verdicts = new Map<string, boolean>();
/** Bounds the memo a workspace of generated keys could grow. */
const MAX_VERDICTS = 10_000;

/** Whether a key (an environment variable, a setting name) names a secret value. */
export function looksSecret(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, (verdict = judgeKey(key)));
  }
  return verdict;
}

function judgeKey(key: string): boolean {
  const words = keyWords(key);
  return words.some((word, i) => {
    const isKey = KEY_WORDS.has(word);
    if (!isKey && !SECRET_STEMS.test(word)) return false;
    const after = words.slice(i + 1);
    if (after.some((w) => QUALIFIERS.has(w))) return false;
    if (isKey && (after.some((w) => KEY_QUALIFIERS_AFTER.has(w)) || (i > 0 && KEY_QUALIFIERS_BEFORE.has(words[i - 1])))) return false;
    return true;
  });
}

/** Values that cannot be a secret whatever the key: numbers, booleans, yes/no, empty. */
export function isPlainSetting(value: string): boolean {
  const text = value.trim();
  return text === '' || /^[-+]?\d+$/.test(text) || /^(?:true|false|yes|no)$/i.test(text);
}

/** Paths where secret managers put decrypted files: the value points at a secret, it is not one. */
export function isSecretPath(text: string): boolean {
  return text.startsWith('/run/agenix/') || text.startsWith('/run/secrets/') || text.startsWith('/run/credentials/');
}

/** `scheme://user:password@host…` anywhere in the value: the password, else null. */
export function urlPassword(value: string): string | null {
  const m = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@[^\s/@]/i.exec(value);
  return m ? m[1] : null;
}
