// The only code that handles private signing keys in the clear: it encrypts a freshly generated key
// before it is stored, and decrypts the current key for the moment of signing. Plaintext buffers
// are zeroed after use; nothing here returns, logs or throws key material.
import "server-only";
import type { CryptoKey } from "jose";
import type { TenantScope } from "../db/doors";
import { claimGlobalIdentifier, IDENTIFIER_KINDS } from "../tenancy/global-identifiers-repository";
import { findSigningMaterial, insertSigningKey, type SigningKeyRow } from "./repository";
import { dataKeyById, tenantDataKey } from "./data-keys";
import { decryptPrivateKey, encryptPrivateKey } from "./envelope";
import { importPrivateJwk, type GeneratedSigningKey } from "./jose";
import { isSigningAlgorithm, type SigningAlgorithm } from "../isomorphic/signing-keys/algorithms";

/**
 * Stores a generated key in `state`: its kid is claimed platform-wide first (a kid can never name
 * two tenants), and the private JWK is encrypted under the tenant's data key, bound to tenant + kid.
 */
export async function storeNewKey(
  scope: TenantScope,
  generated: GeneratedSigningKey,
  state: "next" | "current",
  createdBy: string | null,
  now: Date,
): Promise<SigningKeyRow> {
  const dataKey = await tenantDataKey(scope);
  let sealed;
  try {
    sealed = encryptPrivateKey(dataKey.key, scope.tenantId, generated.kid, generated.privateJwkBytes);
  } finally {
    dataKey.key.fill(0);
    generated.privateJwkBytes.fill(0);
  }
  await claimGlobalIdentifier(scope.db, IDENTIFIER_KINDS.signingKeyKid, generated.kid, scope.tenantId);
  return insertSigningKey(scope, {
    kid: generated.kid,
    alg: generated.alg,
    state,
    publicJwk: { ...generated.publicJwk },
    privateKeyIv: sealed.iv,
    privateKeyTag: sealed.tag,
    privateKeyCiphertext: sealed.ciphertext,
    dataKeyId: dataKey.id,
    createdAt: now,
    activatedAt: state === "current" ? now : null,
    createdBy,
  });
}

/** The tenant's current key, decrypted and imported for signing; null if it has none. */
export async function loadCurrentSigningKey(scope: TenantScope): Promise<{ kid: string; alg: SigningAlgorithm; key: CryptoKey } | null> {
  const row = await findSigningMaterial(scope);
  if (!row) return null;
  if (!isSigningAlgorithm(row.alg)) throw new Error(`Unsupported signing algorithm ${row.alg}.`);
  const dataKey = await dataKeyById(scope, row.dataKeyId);
  let plaintext: Buffer | null = null;
  try {
    plaintext = decryptPrivateKey(dataKey.key, scope.tenantId, row.kid, {
      iv: row.privateKeyIv,
      tag: row.privateKeyTag,
      ciphertext: row.privateKeyCiphertext,
    });
    return { kid: row.kid, alg: row.alg, key: await importPrivateJwk(plaintext, row.alg) };
  } finally {
    dataKey.key.fill(0);
    plaintext?.fill(0);
  }
}
