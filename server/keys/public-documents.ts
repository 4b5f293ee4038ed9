// The documents every verifier of a tenant's tokens fetches, without a session: the JWKS and the
// OpenID discovery document. The tenant comes from the path only (resolvePublicTenant, in the one
// tenant-context module); the keys are read in that tenant's own transaction, so RLS applies here too.
// Each request counts against the tenant's "public" rate limit (429) and a paused tenant serves
// nothing (423) — see server/http/public-json.ts.
import { admitTenantRequest } from "../ratelimit/enforce";
import { inPublicTenant } from "../tenancy/context";
import { issuerFor, jwksUriFor } from "./issuer";
import { SIGNING_ALGORITHMS } from "./jose";
import { publicJwks, type Jwks } from "./signing-keys";

/** The tenant's JWKS (next, current, previous keys; public members only). */
export async function tenantJwks(slug: string): Promise<Jwks> {
  return inPublicTenant(slug, async (_tenant, scope) => {
    await admitTenantRequest(scope, "public");
    return publicJwks(scope);
  });
}

/**
 * OpenID Connect Discovery 1.0 for the tenant's issuer. The endpoints are the identity platform's,
 * under the tenant's issuer namespace (ADR-003); this console serves the key-related documents.
 */
export async function tenantDiscovery(slug: string) {
  const { tenant, jwks } = await inPublicTenant(slug, async (tenant, scope) => {
    await admitTenantRequest(scope, "public");
    return { tenant, jwks: await publicJwks(scope) };
  });
  const issuer = issuerFor(tenant.slug);
  // Announce what keys actually exist (current, next, previous), in the supported order.
  const published = new Set(jwks.keys.map((k) => k.alg));
  const algs = SIGNING_ALGORITHMS.filter((a) => published.has(a));
  return {
    issuer,
    jwks_uri: jwksUriFor(tenant.slug),
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: algs.length ? algs : [...SIGNING_ALGORITHMS],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt", "none"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
  };
}
