// API key format: tc_<public id>_<secret>
//   public id  12 characters [a-z0-9] (≈62 bits): names the key in lists and logs, and maps it to
//              its tenant through the global identifier registry.
//   secret     43 characters base64url (256 random bits): shown once, stored only as SHA-256.
// A fast hash is right here: the secret is random and long, so there is nothing to brute-force;
// fixed-length digests are compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const API_KEY_PREFIX = "tc_";
const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const ID_LENGTH = 12;
const SECRET_BYTES = 32;
/** A well-formed key is exactly this long; anything longer is refused before any work. */
export const API_KEY_LENGTH = API_KEY_PREFIX.length + ID_LENGTH + 1 + 43;
const KEY_PATTERN = /^tc_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function randomId(): string {
  // Rejection sampling keeps the alphabet uniform (256 is not a multiple of 36).
  let out = "";
  while (out.length < ID_LENGTH) {
    for (const b of randomBytes(ID_LENGTH * 2)) {
      if (b < 252 && out.length < ID_LENGTH) out += ID_ALPHABET[b % 36];
    }
  }
  return out;
}

export interface NewApiKey {
  publicId: string;
  /** The full key, to be shown once. */
  value: string;
  secretHash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const publicId = randomId();
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { publicId, value: `${API_KEY_PREFIX}${publicId}_${secret}`, secretHash: hashSecret(secret) };
}

export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Splits a presented key; null for anything malformed (wrong prefix, length, alphabet). */
export function parseApiKey(value: string): { publicId: string; secret: string } | null {
  if (value.length !== API_KEY_LENGTH) return null;
  const m = KEY_PATTERN.exec(value);
  return m ? { publicId: m[1]!, secret: m[2]! } : null;
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}

/** What lists show: the prefix and public id, never the secret. */
export function displayPrefix(publicId: string): string {
  return `${API_KEY_PREFIX}${publicId}_…`;
}
