// Private signing keys in a backup: never in the clear, never under a secret the console is sent.
//
// The target installation publishes a RECIPIENT PUBLIC KEY (an X25519 JWK, `backup.recipientKey`),
// derived from its own KEK with HKDF — nothing new to store, it follows KEK rotation, and only an
// installation holding that KEK can derive the private half. The exporting security admin pastes
// that public JWK (or any EC/OKP/RSA public JWK of their own) into the export; each private JWK is
// then a compact JWE (jose: ECDH-ES+A256KW or RSA-OAEP-256, content A256GCM) to that recipient.
// Why public-key encryption rather than a symmetric "target KEK": the target's secret never travels
// through the source console, a browser, or the document; the document alone decrypts nothing.
//
// On import the target derives its recipient private key from each KEK it knows, decrypts, checks
// the key really is the one the kid names (RFC 7638 thumbprint of its public half), and re-encrypts
// it under the importing tenant's data key (server/signing-keys/envelope.ts, AAD "<tenant id>:<kid>").
import "server-only";
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, CompactEncrypt, compactDecrypt, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { z } from "zod";
import { activeKeyring, decryptPrivateKey, type Keyring } from "../signing-keys/envelope";
import { dataKeyById } from "../signing-keys/data-keys";
import type { TenantScope } from "../db/doors";
import { AppError } from "../isomorphic/errors";

export type RecipientAlg = "ECDH-ES+A256KW" | "RSA-OAEP-256";
const ENC = "A256GCM";
/** PKCS#8 DER prefix of an X25519 private key (RFC 8410); the 32-byte seed follows. */
const X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

function recipientPrivateKey(kek: Buffer): KeyObject {
  const seed = Buffer.from(hkdfSync("sha256", kek, "credo-backup-recipient", "x25519 v1", 32));
  try {
    return createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  } finally {
    seed.fill(0);
  }
}

export type RecipientJwk = {
  kty: "OKP";
  crv: "X25519";
  x: string;
  kid: string;
  alg: "ECDH-ES+A256KW";
  use: "enc";
};

async function publicJwkOf(priv: KeyObject): Promise<RecipientJwk> {
  const jwk = createPublicKey(priv).export({ format: "jwk" }) as { x: string };
  const kid = await calculateJwkThumbprint({ kty: "OKP", crv: "X25519", x: jwk.x }, "sha256");
  return { kty: "OKP", crv: "X25519", x: jwk.x, kid, alg: "ECDH-ES+A256KW", use: "enc" };
}

/** This installation's recipient public key (from the current KEK): paste it into an export elsewhere. */
export async function installationRecipientKey(keyring: Keyring = activeKeyring()): Promise<RecipientJwk> {
  return publicJwkOf(recipientPrivateKey(keyring.current.key));
}

/** The recipient private key whose public thumbprint is `kid`, from any KEK this installation knows. */
async function recipientFor(kid: string, keyring: Keyring): Promise<KeyObject | null> {
  for (const kek of keyring.known.values()) {
    const priv = recipientPrivateKey(kek.key);
    if ((await publicJwkOf(priv)).kid === kid) return priv;
  }
  return null;
}

/** A recipient public JWK as given at export time. Private members are refused (never send a secret). */
export const recipientJwkInput = z
  .object({
    kty: z.enum(["OKP", "EC", "RSA"], { error: "The recipient key must be an OKP (X25519), EC or RSA public JWK." }),
    crv: z.string().max(16).optional(),
    x: z.string().max(200).optional(),
    y: z.string().max(200).optional(),
    n: z.string().max(2000).optional(),
    e: z.string().max(16).optional(),
    kid: z.string().max(100).optional(),
  })
  .passthrough()
  .refine((j) => !["d", "p", "q", "dp", "dq", "qi", "k"].some((m) => m in j), {
    message: "That JWK contains private key material: paste the recipient's PUBLIC key only.",
  });
export type RecipientJwkInput = z.infer<typeof recipientJwkInput>;

export interface Recipient {
  readonly key: Awaited<ReturnType<typeof importJWK>>;
  readonly kid: string;
  readonly alg: RecipientAlg;
}

/** Validates and imports a recipient public key; BAD_REQUEST with a reason a person can act on. */
export async function importRecipient(input: RecipientJwkInput): Promise<Recipient> {
  const alg: RecipientAlg = input.kty === "RSA" ? "RSA-OAEP-256" : "ECDH-ES+A256KW";
  const jwk: JWK = { kty: input.kty, crv: input.crv, x: input.x, y: input.y, n: input.n, e: input.e };
  for (const k of Object.keys(jwk) as (keyof JWK)[]) if (jwk[k] === undefined) delete jwk[k];
  if (input.kty === "OKP" && input.crv !== "X25519") throw new AppError("BAD_REQUEST", "An OKP recipient key must be X25519.");
  if (input.kty === "RSA" && Buffer.from(input.n ?? "", "base64url").length < 256) throw new AppError("BAD_REQUEST", "An RSA recipient key must have at least 2048 bits.");
  try {
    const key = await importJWK(jwk, alg);
    return { key, kid: await calculateJwkThumbprint(jwk, "sha256"), alg };
  } catch {
    throw new AppError("BAD_REQUEST", "The recipient key is not a valid public JWK (X25519, P-256/384/521 or RSA ≥ 2048 bits).");
  }
}

/** One key's private JWK, decrypted from its row and encrypted to `recipient` as a compact JWE. */
export async function wrapForRecipient(
  scope: TenantScope,
  row: { kid: string; dataKeyId: string; privateKeyIv: Uint8Array<ArrayBuffer>; privateKeyTag: Uint8Array<ArrayBuffer>; privateKeyCiphertext: Uint8Array<ArrayBuffer> },
  recipient: Recipient,
): Promise<string> {
  const dataKey = await dataKeyById(scope, row.dataKeyId);
  let plaintext: Buffer | null = null;
  try {
    plaintext = decryptPrivateKey(dataKey.key, scope.tenantId, row.kid, { iv: row.privateKeyIv, tag: row.privateKeyTag, ciphertext: row.privateKeyCiphertext });
    return await new CompactEncrypt(plaintext)
      // The kid is in the protected (authenticated) header: a JWE moved to another key's entry is caught.
      .setProtectedHeader({ alg: recipient.alg, enc: ENC, kid: recipient.kid, cty: "jwk+json", "credo.kid": row.kid })
      .encrypt(recipient.key);
  } finally {
    dataKey.key.fill(0);
    plaintext?.fill(0);
  }
}

export type UnwrapResult = { ok: true; privateJwkBytes: Buffer } | { ok: false; reason: string };

/**
 * The private JWK of `kid` from its JWE, if this installation is the recipient and the key matches
 * the kid; otherwise why not (the key is then imported as public metadata only).
 */
export async function unwrapForInstallation(kid: string, jwe: string, keyring: Keyring = activeKeyring()): Promise<UnwrapResult> {
  let header;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    return { ok: false, reason: "its private key is not a valid JWE" };
  }
  if (header["credo.kid"] !== kid) return { ok: false, reason: "its private key was exported for another key" };
  const priv = typeof header.kid === "string" ? await recipientFor(header.kid, keyring) : null;
  if (!priv || header.alg !== "ECDH-ES+A256KW") return { ok: false, reason: "its private key was exported for another installation's key" };
  try {
    const { plaintext } = await compactDecrypt(jwe, priv, { keyManagementAlgorithms: ["ECDH-ES+A256KW"], contentEncryptionAlgorithms: [ENC] });
    const bytes = Buffer.from(plaintext);
    plaintext.fill(0);
    const jwk = JSON.parse(bytes.toString("utf8")) as JWK;
    const pub: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e };
    for (const k of Object.keys(pub) as (keyof JWK)[]) if (pub[k] === undefined) delete pub[k];
    if (!jwk.d || (await calculateJwkThumbprint(pub, "sha256")) !== kid) {
      bytes.fill(0);
      return { ok: false, reason: "its private key does not match its kid" };
    }
    return { ok: true, privateJwkBytes: bytes };
  } catch {
    return { ok: false, reason: "its private key could not be decrypted" };
  }
}
