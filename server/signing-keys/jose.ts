// The JOSE side of signing keys, all through `jose` (no hand-written JOSE): key generation, JWK
// export, RFC 7638 thumbprints as kids, and the public-members-only view published in JWKS.
import { type RsaModulusLength, type SigningAlgorithm } from "../isomorphic/signing-keys/algorithms";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

/** JWK members that carry private or symmetric key material; never published. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] as const;

/** The public members of a JWK as published in a JWKS: key members plus kid, alg and use. */
export interface PublicJwk {
  kty: string;
  kid: string;
  alg: SigningAlgorithm;
  use: "sig";
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/**
 * Copies only the members a public key needs (an allow-list), and then drops the private ones again
 * (the deny-list, in case the allow-list ever grows carelessly). Used on write AND on every read.
 */
export function publicMembersOnly(jwk: Record<string, unknown>): PublicJwk {
  const out: Record<string, unknown> = {};
  for (const member of ["kty", "crv", "x", "y", "n", "e", "kid", "alg", "use"]) {
    if (typeof jwk[member] === "string") out[member] = jwk[member];
  }
  for (const member of PRIVATE_MEMBERS) delete out[member];
  return out as unknown as PublicJwk;
}

export interface GeneratedSigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: PublicJwk;
  /** The private JWK as UTF-8 JSON: encrypt it, then zero the buffer. */
  readonly privateJwkBytes: Buffer;
}

/** A new key pair for `alg`; kid = RFC 7638 SHA-256 thumbprint of the public key. */
export async function generateSigningKey(alg: SigningAlgorithm, modulusLength: RsaModulusLength = 2048): Promise<GeneratedSigningKey> {
  const options = alg === "RS256" ? { modulusLength } : alg === "EdDSA" ? { crv: "Ed25519" } : {};
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...options, extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub, "sha256");
  const publicJwk = publicMembersOnly({ ...pub, kid, alg, use: "sig" });
  const privateJwkBytes = Buffer.from(JSON.stringify(await exportJWK(privateKey)), "utf8");
  return { kid, alg, publicJwk, privateJwkBytes };
}

/** Imports a decrypted private JWK for signing with `alg` (jose checks the key fits the alg). */
export async function importPrivateJwk(privateJwkBytes: Buffer, alg: SigningAlgorithm): Promise<CryptoKey> {
  const jwk = JSON.parse(privateJwkBytes.toString("utf8")) as JWK;
  const key = await importJWK(jwk, alg);
  if (key instanceof Uint8Array || key.type !== "private") throw new Error("Stored signing key is not a private key.");
  return key;
}
