// Envelope encryption of signing-key material at rest, AES-256-GCM (node:crypto) at both levels:
//
//   KEK (configuration: KEY_ENCRYPTION_KEY)
//     └─ wraps each tenant's data key           AAD = tenant id           → tenant_data_keys
//          └─ encrypts each private signing key AAD = "<tenant id>:<kid>" → signing_keys
//
// The AAD binds every ciphertext to its row: a wrapped data key or an encrypted private key copied
// into another tenant's row (or under another kid) fails authentication instead of decrypting.
// A KEK is known by its id (a fingerprint, stored as kek_id next to each wrapped data key), so reads
// accept the current and the previous KEK while `npm run keys:rewrap-kek` moves data keys over.
import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env, type Env } from "../env";

const CIPHER = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12; // GCM's natural nonce size; random per encryption
const TAG_BYTES = 16;

export interface Kek {
  readonly id: string;
  readonly key: Buffer;
}

/** The KEK new wraps use, and every KEK reads accept (by id). */
export interface Keyring {
  readonly current: Kek;
  readonly known: ReadonlyMap<string, Kek>;
}

/** Bytes backed by a plain ArrayBuffer: what Prisma's Bytes columns take and return. */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface Sealed {
  readonly iv: Bytes;
  readonly tag: Bytes;
  readonly ciphertext: Bytes;
}

/** Misconfiguration a person must fix (missing KEK in production, unknown kek_id). */
export class KeyEncryptionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyEncryptionConfigError";
  }
}

/** Authentication failed: wrong key, wrong tenant or kid, or tampered data. Says nothing more. */
export class KeyMaterialError extends Error {
  constructor() {
    super("Signing key material could not be decrypted (it does not belong to this tenant and key, or the key-encryption key is wrong).");
    this.name = "KeyMaterialError";
  }
}

/**
 * The dev-only KEK: derived from a sentence in this public source file, so it protects nothing.
 * Used only outside production or on embedded PGlite (local demos), never accepted in production.
 */
const DEV_ONLY_INSECURE_KEK = createHash("sha256").update("credo-console dev-only key-encryption key; never use in production").digest();

/** A KEK's id: a short fingerprint (safe to store and log: a hash prefix of a random 256-bit key). */
export function kekIdOf(key: Buffer): string {
  return `kek_${createHash("sha256").update("credo-kek-id\0").update(key).digest("hex").slice(0, 16)}`;
}

function kek(key: Buffer): Kek {
  if (key.length !== KEY_BYTES) throw new KeyEncryptionConfigError("A key-encryption key must be exactly 32 bytes.");
  return { id: kekIdOf(key), key };
}

/** A keyring from base64 keys: the first wraps, all of them unwrap. */
export function keyringOf(currentBase64: string, ...otherBase64: string[]): Keyring {
  const current = kek(Buffer.from(currentBase64, "base64"));
  const known = new Map<string, Kek>([[current.id, current]]);
  for (const other of otherBase64) {
    const k = kek(Buffer.from(other, "base64"));
    known.set(k.id, k);
  }
  return { current, known };
}

/** The dev default may stand in only for local use: not production, or the embedded database. */
export function devKekAllowed(e: Env = env): boolean {
  return e.NODE_ENV !== "production" || e.CREDO_EMBEDDED === "1";
}

/** The keyring the configuration describes; refuses production without a KEK. */
export function keyringFromEnv(e: Env = env): Keyring {
  const devAllowed = devKekAllowed(e);
  const extra = [e.KEY_ENCRYPTION_KEY_PREVIOUS].filter((v): v is string => Boolean(v));
  const devBase64 = DEV_ONLY_INSECURE_KEK.toString("base64");
  if (e.KEY_ENCRYPTION_KEY) {
    // Locally the dev KEK stays readable, so a dev database can move to a real KEK with keys:rewrap-kek.
    return keyringOf(e.KEY_ENCRYPTION_KEY, ...extra, ...(devAllowed ? [devBase64] : []));
  }
  if (!devAllowed) {
    throw new KeyEncryptionConfigError(
      "KEY_ENCRYPTION_KEY is not set. In production the signing keys' key-encryption key must come from " +
        "configuration: generate one with `openssl rand -base64 32`, keep it in your secret store and set " +
        "KEY_ENCRYPTION_KEY (the dev-only default is refused in production).",
    );
  }
  return keyringOf(devBase64, ...extra);
}

let active: Keyring | null = null;

/** The process keyring, built from the configuration on first use. */
export function activeKeyring(): Keyring {
  active ??= keyringFromEnv();
  return active;
}

/**
 * Installs another keyring for this process and returns the one it replaces. The application never
 * calls this; tests do, to exercise KEK rotation end to end.
 */
export function replaceActiveKeyring(next: Keyring): Keyring {
  const before = activeKeyring();
  active = next;
  return before;
}

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: new Uint8Array(iv), tag: new Uint8Array(cipher.getAuthTag()), ciphertext: new Uint8Array(ciphertext) };
}

export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw new KeyMaterialError();
  try {
    const decipher = createDecipheriv(CIPHER, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    // OpenSSL's message adds nothing a person can act on; never pass key material along.
    throw new KeyMaterialError();
  }
}

/** A data key as stored: sealed under the KEK named by kekId. */
export interface WrappedDataKey extends Sealed {
  readonly kekId: string;
}

/** A fresh random 256-bit data key for a tenant, and its wrapped form for storage. */
export function newDataKey(tenantId: string, keyring: Keyring = activeKeyring()): { key: Buffer; wrapped: WrappedDataKey } {
  const key = randomBytes(KEY_BYTES);
  return { key, wrapped: wrapDataKey(key, tenantId, keyring) };
}

export function wrapDataKey(dataKey: Buffer, tenantId: string, keyring: Keyring = activeKeyring()): WrappedDataKey {
  return { kekId: keyring.current.id, ...seal(keyring.current.key, dataKey, tenantId) };
}

export function unwrapDataKey(wrapped: WrappedDataKey, tenantId: string, keyring: Keyring = activeKeyring()): Buffer {
  const k = keyring.known.get(wrapped.kekId);
  if (!k) {
    throw new KeyEncryptionConfigError(
      `This tenant's data key is wrapped by key-encryption key ${wrapped.kekId}, which is not configured. ` +
        "Set it as KEY_ENCRYPTION_KEY_PREVIOUS until `npm run keys:rewrap-kek` has moved every data key to KEY_ENCRYPTION_KEY.",
    );
  }
  const key = open(k.key, wrapped, tenantId);
  if (key.length !== KEY_BYTES) throw new KeyMaterialError();
  return key;
}

const privateKeyAad = (tenantId: string, kid: string) => `${tenantId}:${kid}`;

export function encryptPrivateKey(dataKey: Buffer, tenantId: string, kid: string, plaintext: Uint8Array): Sealed {
  return seal(dataKey, plaintext, privateKeyAad(tenantId, kid));
}

export function decryptPrivateKey(dataKey: Buffer, tenantId: string, kid: string, sealed: Sealed): Buffer {
  return open(dataKey, sealed, privateKeyAad(tenantId, kid));
}
