// Token verification bound to ONE tenant: the signature must check against that tenant's published
// keys (its JWKS), `iss` must be that tenant's issuer and `aud` must name the expected audience.
// So a token signed with tenant A's key fails for B (B's JWKS lacks the kid, and the issuer
// differs), and the classic JOSE confusions are refused by construction:
//   alg "none"          never in the allowed list (jose refuses unsecured JWTs in jwtVerify anyway)
//   HS256 + public key  only asymmetric algorithms are allowed, and a JWKS holds no symmetric keys
//   alg/key mismatch    the key is picked by kid AND alg, and jose checks the key fits the alg
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { readInTenant } from "../db/doors";
import type { PublicTenant } from "../tenancy/context";
import { issuerFor } from "./issuer";
import { SIGNING_ALGORITHMS } from "../isomorphic/signing-keys/algorithms";
import { publicJwks } from "./service";
import { findOwnTenant } from "../tenants/repository";

export interface VerifyOptions {
  /** The audience the token must be meant for (one of, if several). */
  readonly audience: string | readonly string[];
  /** Seconds of clock skew tolerated on exp/nbf/iat (default 30). */
  readonly clockToleranceSeconds?: number;
  readonly now?: Date;
}

/** The token was not accepted. `reason` is for logs and tests; the message says nothing useful to an attacker. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: string) {
    super("The token is not valid for this tenant.");
    this.name = "TokenRejectedError";
  }
}

/** Verifies `token` for `tenant`; returns its claims or throws TokenRejectedError. */
export async function verifyTenantToken(tenant: PublicTenant, token: string, options: VerifyOptions): Promise<JWTPayload> {
  if (typeof token !== "string" || token.length === 0 || token.length > 16_384) throw new TokenRejectedError("malformed");
  // The tenant's state is read in the same transaction as its keys: a tenant pending deletion (or
  // deleted) accepts no token, as its JWKS answers 404.
  const jwks = await readInTenant(tenant.tenantId, async (scope) => {
    const row = await findOwnTenant(scope);
    if (!row || row.status === "pending_deletion" || row.status === "deleted") return null;
    return publicJwks(scope);
  });
  if (!jwks) throw new TokenRejectedError("tenant_unavailable");
  const keySet = createLocalJWKSet({ keys: jwks.keys.map((k) => ({ ...k })) });
  try {
    const { payload } = await jwtVerify(token, keySet, {
      issuer: issuerFor(tenant.slug),
      audience: [...(typeof options.audience === "string" ? [options.audience] : options.audience)],
      algorithms: [...SIGNING_ALGORITHMS],
      requiredClaims: ["exp"],
      clockTolerance: options.clockToleranceSeconds ?? 30,
      currentDate: options.now,
    });
    return payload;
  } catch (e) {
    if (e instanceof errors.JOSEError) throw new TokenRejectedError(e.code);
    throw new TokenRejectedError("malformed");
  }
}
