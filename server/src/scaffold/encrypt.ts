// Encrypts a secret env file in memory to age recipients, ASCII-armored so it travels in a
// text WorkspaceEdit; `age -d` and agenix read armored files as they read binary ones.
// `age1…` recipients go through the age-encryption package; `ssh-ed25519`/`ssh-rsa` keys
// (what agenix users list in secrets.nix) are wrapped here as the age spec describes,
// because the package does not implement them.
import * as crypto from 'crypto';
import { Encrypter, Stanza, armor, type Recipient } from 'age-encryption';

const ED25519_LABEL = 'age-encryption.org/v1/ssh-ed25519';
const RSA_LABEL = 'age-encryption.org/v1/ssh-rsa';
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const P = (1n << 255n) - 19n;

export const RECIPIENT_PATTERN = /^(age1[0-9a-z]+|ssh-(ed25519|rsa) [A-Za-z0-9+/]+=*( .*)?)$/;

export function isRecipient(text: string): boolean {
  return RECIPIENT_PATTERN.test(text.trim());
}

/** The env file agenix hands to Podman: one `KEY=value` line per variable, in the given order. */
export function envFileText(names: string[], values: ReadonlyMap<string, string>): string {
  return names.map((name) => `${name}=${values.get(name) ?? ''}\n`).join('');
}

/** Text (an env file) or bytes (a secret file, which may be binary) → an ASCII-armored age file. */
export async function encryptArmored(plaintext: string | Uint8Array, recipients: string[]): Promise<string> {
  if (recipients.length === 0) throw new Error('no age recipients to encrypt to');
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(toRecipient(recipient.trim()));
  return armor.encode(await encrypter.encrypt(plaintext));
}

/** An armored age file as produced above (checked before it is written for a caller). */
export function isArmoredAge(text: string): boolean {
  try {
    const raw = armor.decode(text);
    return Buffer.from(raw.subarray(0, 22)).toString('latin1') === 'age-encryption.org/v1\n';
  } catch {
    return false;
  }
}

function toRecipient(text: string): string | Recipient {
  if (text.startsWith('age1')) return text;
  if (text.startsWith('ssh-ed25519 ')) return sshEd25519Recipient(text);
  if (text.startsWith('ssh-rsa ')) return sshRsaRecipient(text);
  throw new Error(`unsupported age recipient \`${text.slice(0, 20)}…\``);
}

// --- SSH recipients (https://github.com/C2SP/C2SP/blob/main/age.md#ssh-ed25519) ----------

function readSshString(blob: Buffer, offset: number): { value: Buffer; next: number } {
  if (offset + 4 > blob.length) throw new Error('truncated SSH public key');
  const length = blob.readUInt32BE(offset);
  if (offset + 4 + length > blob.length) throw new Error('truncated SSH public key');
  return { value: blob.subarray(offset + 4, offset + 4 + length), next: offset + 4 + length };
}

function parseSshKey(text: string, type: string): { blob: Buffer; fields: Buffer[] } {
  const [keyType, data] = text.split(/\s+/);
  const blob = Buffer.from(data ?? '', 'base64');
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    const { value, next } = readSshString(blob, offset);
    fields.push(value);
    offset = next;
  }
  if (keyType !== type || fields[0]?.toString('latin1') !== type) throw new Error(`not an ${type} public key`);
  return { blob, fields: fields.slice(1) };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sshTag = (blob: Buffer) => b64(crypto.createHash('sha256').update(blob).digest().subarray(0, 4));

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function bigIntToLittleEndian(n: bigint): Buffer {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  for (base %= P; exponent > 0n; exponent >>= 1n, base = (base * base) % P) if (exponent & 1n) result = (result * base) % P;
  return result;
}

/** The Montgomery u-coordinate of an Ed25519 public key: u = (1 + y) / (1 - y). */
function ed25519ToX25519(publicKey: Buffer): Buffer {
  const bytes = Buffer.from(publicKey);
  bytes[31] &= 0x7f;
  const y = littleEndianToBigInt(bytes);
  const u = ((1n + y) * modPow((1n - y + P) % P, P - 2n)) % P;
  return bigIntToLittleEndian(u);
}

function x25519(scalar: Buffer, point: Buffer): Buffer {
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]), format: 'der', type: 'pkcs8' });
  const publicKey = crypto.createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, point]), format: 'der', type: 'spki' });
  return crypto.diffieHellman({ privateKey, publicKey });
}

function sshEd25519Recipient(text: string): Recipient {
  const { blob, fields } = parseSshKey(text, 'ssh-ed25519');
  if (fields[0]?.length !== 32) throw new Error('not an ssh-ed25519 public key');
  const theirKey = ed25519ToX25519(fields[0]);
  return {
    wrapFileKey(fileKey: Uint8Array): Stanza[] {
      const ephemeral = crypto.randomBytes(32);
      const basepoint = Buffer.alloc(32);
      basepoint[0] = 9;
      const ourKey = x25519(ephemeral, basepoint);
      const tweak = Buffer.from(crypto.hkdfSync('sha256', Buffer.alloc(0), blob, ED25519_LABEL, 32));
      const shared = x25519(tweak, x25519(ephemeral, theirKey));
      const wrapKey = Buffer.from(crypto.hkdfSync('sha256', shared, Buffer.concat([ourKey, theirKey]), ED25519_LABEL, 32));
      const cipher = crypto.createCipheriv('chacha20-poly1305', wrapKey, Buffer.alloc(12), { authTagLength: 16 });
      const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
      return [new Stanza(['ssh-ed25519', sshTag(blob), b64(ourKey)], new Uint8Array(body))];
    },
  };
}

function sshRsaRecipient(text: string): Recipient {
  const { blob, fields } = parseSshKey(text, 'ssh-rsa');
  const [e, n] = fields;
  if (!e || !n) throw new Error('not an ssh-rsa public key');
  const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
  const key = crypto.createPublicKey({ key: { kty: 'RSA', n: b64url(strip(n)), e: b64url(strip(e)) }, format: 'jwk' });
  return {
    wrapFileKey(fileKey: Uint8Array): Stanza[] {
      const body = crypto.publicEncrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(RSA_LABEL) }, fileKey);
      return [new Stanza(['ssh-rsa', sshTag(blob)], new Uint8Array(body))];
    },
  };
}
