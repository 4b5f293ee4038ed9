// Client identifiers and secrets. client_id: 32 characters base64url (192 random bits) — public,
// unguessable, unique across all tenants. Client secret: "cs_" + 43 characters base64url (256
// bits), shown once, stored as SHA-256 (a random 256-bit secret needs no slow hash), compared in
// constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function generateClientId(): string {
  return randomBytes(24).toString("base64url");
}

export interface NewClientSecret {
  value: string;
  hash: Uint8Array<ArrayBuffer>;
  /** The last 4 characters, to tell secrets apart in lists. */
  hint: string;
}

export function hashClientSecret(value: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(value, "utf8").digest());
}

export function generateClientSecret(): NewClientSecret {
  const value = `cs_${randomBytes(32).toString("base64url")}`;
  return { value, hash: hashClientSecret(value), hint: value.slice(-4) };
}

/** True when `presented` is one of the valid secrets (each compared in constant time). */
export function clientSecretMatches(presented: string, hashes: readonly Uint8Array[]): boolean {
  const h = hashClientSecret(presented);
  let match = false;
  for (const stored of hashes) if (stored.length === h.length && timingSafeEqual(stored, h)) match = true;
  return match;
}
