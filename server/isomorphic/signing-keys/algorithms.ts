// The signing algorithms and RSA sizes a tenant may choose: offered by the keys page, enforced by
// server/signing-keys/jose.ts.
/** The algorithms a tenant may sign with; the first is the default. */
export const SIGNING_ALGORITHMS = ["ES256", "RS256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = "ES256";

/** RSA modulus sizes offered for RS256 (below 2048 bits is refused by policy). */
export const RSA_MODULUS_LENGTHS = [2048, 3072, 4096] as const;
export type RsaModulusLength = (typeof RSA_MODULUS_LENGTHS)[number];

export function isSigningAlgorithm(v: unknown): v is SigningAlgorithm {
  return typeof v === "string" && (SIGNING_ALGORITHMS as readonly string[]).includes(v);
}
