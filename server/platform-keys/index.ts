// The PLATFORM signing key: one Ed25519 key (EdDSA, via `jose`) that belongs to the console itself,
// not to any tenant. It signs what the platform vouches for to third parties — audit export
// manifests, audit chain checkpoints, deletion receipts — and its public half is published at
// GET /api/public/platform-keys (a JWKS) so anyone can verify offline (`npm run export:verify`).
//
//   PLATFORM_SIGNING_KEY           the private key as a JWK (JSON: {"kty":"OKP","crv":"Ed25519","d":…,"x":…})
//                                  or a PKCS#8 PEM (literal "\n" line breaks accepted).
//                                  Required in production on a real database (refused missing, like
//                                  KEY_ENCRYPTION_KEY); generate one with `npm run platform-key:generate`.
//   (unset, dev / embedded)        a dev-only key is generated once into <CREDO_DATA_DIR>/platform-signing-key.json.
//   PLATFORM_PREVIOUS_PUBLIC_KEYS  retired public keys (a JWKS), still published after a rotation so
//                                  older signatures keep verifying.
//
// Signatures are DETACHED compact JWS (RFC 7515 appendix F): "<protected header>..<signature>" over
// the canonical JSON of the signed object (server/audit/canonical.ts: sorted keys), so the
// object can be stored or shipped as ordinary JSON next to its signature. The kid is the key's
// RFC 7638 thumbprint.
import "server-only";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, CompactSign, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JSONWebKeySet, type JWK } from "jose";
import { canonical } from "../audit/canonical";
import { env, type Env } from "../env";

export const PLATFORM_ALG = "EdDSA";

/** Misconfiguration a person must fix (missing or malformed key in production). */
export class PlatformKeyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlatformKeyConfigError";
  }
}

/** A signature that does not verify (wrong key, unknown kid, changed payload, malformed JWS). */
export class PlatformSignatureError extends Error {
  constructor(message = "The platform signature does not verify.") {
    super(message);
    this.name = "PlatformSignatureError";
  }
}

export interface PlatformPublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg: typeof PLATFORM_ALG;
  use: "sig";
}

export interface PlatformKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: PlatformPublicJwk;
}

/** The dev key may stand in only for local use: not production, or the embedded database. */
export function devPlatformKeyAllowed(e: Env = env): boolean {
  return e.NODE_ENV !== "production" || e.CREDO_EMBEDDED === "1";
}

export function devPlatformKeyFile(e: Env = env): string {
  return path.resolve(/*turbopackIgnore: true*/ e.CREDO_DATA_DIR, "platform-signing-key.json");
}

function parsePrivateJwk(json: string, where: string): JWK {
  let jwk: unknown;
  try {
    jwk = JSON.parse(json);
  } catch {
    throw new PlatformKeyConfigError(`${where} is not JSON: it must be a private Ed25519 JWK.`);
  }
  const k = jwk as Record<string, unknown>;
  if (!k || typeof k !== "object" || k.kty !== "OKP" || k.crv !== "Ed25519" || typeof k.d !== "string" || typeof k.x !== "string") {
    throw new PlatformKeyConfigError(`${where} must be a private Ed25519 JWK ({"kty":"OKP","crv":"Ed25519","d":…,"x":…}).`);
  }
  return k as JWK;
}

/** A PKCS#8 PEM Ed25519 private key as a private JWK. */
async function jwkFromPkcs8(pem: string): Promise<JWK> {
  try {
    const key = await importPKCS8(pem.trim().replaceAll("\\n", "\n"), PLATFORM_ALG, { extractable: true });
    const jwk = await exportJWK(key);
    return parsePrivateJwk(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }), "PLATFORM_SIGNING_KEY");
  } catch (err) {
    if (err instanceof PlatformKeyConfigError) throw err;
    throw new PlatformKeyConfigError("PLATFORM_SIGNING_KEY is a PEM but not a PKCS#8 Ed25519 private key.");
  }
}

/** A fresh platform key as a private JWK (what PLATFORM_SIGNING_KEY holds). */
export async function generatePlatformPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(PLATFORM_ALG, { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d };
}

export async function platformKeyFromJwk(jwk: JWK): Promise<PlatformKey> {
  const publicOnly = { kty: "OKP", crv: "Ed25519", x: jwk.x! };
  const kid = await calculateJwkThumbprint(publicOnly, "sha256");
  const privateKey = (await importJWK({ ...jwk, alg: PLATFORM_ALG }, PLATFORM_ALG)) as CryptoKey;
  return { kid, privateKey, publicJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x!, kid, alg: PLATFORM_ALG, use: "sig" } };
}

/** Reads (or, locally, creates) the dev-only key file. Refused in production. */
async function devKey(e: Env): Promise<JWK> {
  const file = devPlatformKeyFile(e);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const jwk = await generatePlatformPrivateJwk();
    try {
      // "wx": another process that got there first wins; both then read the same key.
      writeFileSync(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return parsePrivateJwk(readFileSync(file, "utf8"), file);
}

/** The key the configuration describes; refuses production without PLATFORM_SIGNING_KEY. */
export async function platformKeyFromEnv(e: Env = env): Promise<PlatformKey> {
  if (e.PLATFORM_SIGNING_KEY) {
    // A PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", e.g. `openssl genpkey -algorithm ed25519`) works too.
    if (e.PLATFORM_SIGNING_KEY.trim().startsWith("-----BEGIN")) return platformKeyFromJwk(await jwkFromPkcs8(e.PLATFORM_SIGNING_KEY));
    return platformKeyFromJwk(parsePrivateJwk(e.PLATFORM_SIGNING_KEY, "PLATFORM_SIGNING_KEY"));
  }
  if (!devPlatformKeyAllowed(e)) {
    throw new PlatformKeyConfigError(
      "PLATFORM_SIGNING_KEY is not set. In production the platform signing key (audit exports, checkpoints, " +
        "deletion receipts) must come from configuration: generate one with `npm run platform-key:generate` and " +
        "keep it in your secret store (the dev-only key is refused in production).",
    );
  }
  return platformKeyFromJwk(await devKey(e));
}

const globalForKeys = globalThis as unknown as { credoPlatformKey?: Promise<PlatformKey> };

/** The process's platform key, loaded on first use. */
export function activePlatformKey(): Promise<PlatformKey> {
  globalForKeys.credoPlatformKey ??= platformKeyFromEnv().catch((err: unknown) => {
    globalForKeys.credoPlatformKey = undefined;
    throw err;
  });
  return globalForKeys.credoPlatformKey;
}

function previousPublicKeys(e: Env): PlatformPublicJwk[] {
  if (!e.PLATFORM_PREVIOUS_PUBLIC_KEYS) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(e.PLATFORM_PREVIOUS_PUBLIC_KEYS);
  } catch {
    throw new PlatformKeyConfigError("PLATFORM_PREVIOUS_PUBLIC_KEYS is not JSON: it must be a JWKS ({\"keys\":[…]}).");
  }
  const keys = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new PlatformKeyConfigError("PLATFORM_PREVIOUS_PUBLIC_KEYS must be a JWKS ({\"keys\":[…]}).");
  return keys.map((k: Record<string, unknown>) => {
    if (k?.kty !== "OKP" || k.crv !== "Ed25519" || typeof k.x !== "string" || typeof k.kid !== "string" || "d" in k) {
      throw new PlatformKeyConfigError("PLATFORM_PREVIOUS_PUBLIC_KEYS may only hold public Ed25519 JWKs with a kid.");
    }
    return { kty: "OKP", crv: "Ed25519", x: k.x, kid: k.kid, alg: PLATFORM_ALG, use: "sig" };
  });
}

/** The public JWKS: the current key first, then retired ones. Never any private member. */
export async function platformPublicJwks(e: Env = env): Promise<{ keys: PlatformPublicJwk[] }> {
  const current = e === env ? await activePlatformKey() : await platformKeyFromEnv(e);
  const previous = previousPublicKeys(e).filter((k) => k.kid !== current.kid);
  return { keys: [current.publicJwk, ...previous] };
}

const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

/**
 * Signs the canonical JSON of `obj` with the platform key: a detached compact JWS
 * ("<header>..<signature>"). `typ` names what is signed (e.g. "credo-audit-export+json").
 */
export async function signPlatformJson(obj: unknown, opts: { typ?: string; key?: PlatformKey } = {}): Promise<string> {
  const key = opts.key ?? (await activePlatformKey());
  const jws = await new CompactSign(new TextEncoder().encode(canonical(obj)))
    .setProtectedHeader({ alg: PLATFORM_ALG, kid: key.kid, ...(opts.typ ? { typ: opts.typ } : {}) })
    .sign(key.privateKey);
  const [header, , signature] = jws.split(".");
  return `${header}..${signature}`;
}

export interface VerifiedPlatformJws {
  /** The signed object (parsed from the canonical JSON). */
  payload: unknown;
  kid: string;
  typ: string | null;
}

/**
 * Verifies a platform JWS against a public JWKS (the published one, or a file). `detachedPayload`:
 * the object a detached JWS was made over (its canonical JSON is re-attached). Throws
 * PlatformSignatureError when anything is off.
 */
export async function verifyPlatformJws(jws: string, publicJwks: JSONWebKeySet, detachedPayload?: unknown): Promise<VerifiedPlatformJws> {
  const parts = typeof jws === "string" ? jws.split(".") : [];
  if (parts.length !== 3) throw new PlatformSignatureError("Not a compact JWS.");
  let compact = jws;
  if (parts[1] === "") {
    if (detachedPayload === undefined) throw new PlatformSignatureError("A detached JWS needs the payload it was made over.");
    compact = `${parts[0]}.${b64url(canonical(detachedPayload))}.${parts[2]}`;
  }
  const keys = { keys: publicJwks.keys.map((k) => ({ ...k, alg: k.alg ?? PLATFORM_ALG })) };
  try {
    const { payload, protectedHeader } = await compactVerify(compact, createLocalJWKSet(keys), { algorithms: [PLATFORM_ALG] });
    return {
      payload: JSON.parse(new TextDecoder().decode(payload)) as unknown,
      kid: protectedHeader.kid ?? "",
      typ: protectedHeader.typ ?? null,
    };
  } catch (err) {
    throw new PlatformSignatureError(`The platform signature does not verify (${err instanceof Error ? err.message : String(err)}).`);
  }
}

/** Installs another key for this process (tests: rotation, forged signatures). Returns the old one. */
export async function replaceActivePlatformKey(next: PlatformKey): Promise<PlatformKey> {
  const before = await activePlatformKey();
  globalForKeys.credoPlatformKey = Promise.resolve(next);
  return before;
}
