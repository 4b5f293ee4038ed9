// The documents every verifier of a tenant's tokens fetches, without a session: the JWKS and the
// OpenID discovery document. The tenant comes from the path only (readPublicTenant, in the one
// tenant-context module); the keys are read in that tenant's own transaction, so RLS applies here too.
// Each request counts against the tenant's "public" rate limit (429) and a paused tenant serves
// nothing (423) — see server/http/public-json.ts.
//
// Cached in process per slug (server/cache/tenant-cache.ts): the tenant, its pause state and both
// documents, serialised with their ETags. A change of the tenant's keys, pause or deletion state (or
// its slug) is announced on the invalidation bus (server/cache/invalidation.ts) and drops the entry
// on every instance within a second; while the bus is down nothing is served from the cache. A warm
// request — 200 or 304 — touches no database: pause check, rate-limit admission (config cached,
// counts in Redis), then the prepared document. Unknown and pending-deletion slugs are never cached
// (they answer 404 and are counted per caller IP, as before).
import { TenantCache } from "../cache/tenant-cache";
import { readInTenant } from "../db/doors";
import { PreparedDocument } from "../http/public-json";
import { admitTenantIdRequest } from "../ratelimit/enforce";
import { cachedRateLimitConfig, loadTenantRateLimits } from "../ratelimit/config";
import { readPublicTenant, type PublicTenant } from "../tenancy/context";
import { TenantPausedError, type PauseState } from "../tenancy/paused";
import { issuerFor, jwksUriFor } from "./issuer";
import { SIGNING_ALGORITHMS } from "../isomorphic/signing-keys/algorithms";
import { publicJwks, type Jwks } from "./service";

interface TenantDocuments {
  readonly tenant: PublicTenant;
  readonly pause: PauseState | null;
  /** null while paused (nothing is read for a paused tenant). */
  readonly jwks: PreparedDocument | null;
  readonly discovery: PreparedDocument | null;
}

/** Bound on cached tenants (each entry: two small documents). */
const MAX_TENANTS = 20_000;
const globalForDocs = globalThis as unknown as { credoPublicDocuments?: TenantCache<string, TenantDocuments> };
const documents = (globalForDocs.credoPublicDocuments ??= new TenantCache<string, TenantDocuments>("public documents", MAX_TENANTS));

async function documentsOf(slug: string): Promise<TenantDocuments> {
  const docs = await documents.read(slug, async () => {
    const read = await readPublicTenant(slug, async (tenant, scope) => {
      // Warms the tenant's rate-limit config in the same transaction (admission then needs no database).
      await cachedRateLimitConfig(tenant.tenantId, () => loadTenantRateLimits(scope));
      return publicJwks(scope);
    });
    const value: TenantDocuments = {
      tenant: read.tenant,
      pause: read.pause,
      jwks: read.value ? new PreparedDocument(read.value) : null,
      discovery: read.value ? new PreparedDocument(discoveryDocument(read.tenant.slug, read.value)) : null,
    };
    return { value, tenantId: read.tenant.tenantId };
  });
  if (docs.pause) throw new TenantPausedError(docs.pause);
  await admitTenantIdRequest(docs.tenant.tenantId, "public", () => loadLimits(docs.tenant));
  return docs;
}

/** A config-cache miss outside the documents' transaction (the config was invalidated on its own). */
function loadLimits(tenant: PublicTenant) {
  return readInTenant(tenant.tenantId, (scope) => loadTenantRateLimits(scope));
}

/** The tenant's JWKS (next, current, previous keys; public members only), prepared with its ETag. */
export async function preparedTenantJwks(slug: string): Promise<PreparedDocument> {
  return (await documentsOf(slug)).jwks!;
}

/** The JWKS as an object. */
export async function tenantJwks(slug: string): Promise<Jwks> {
  return (await preparedTenantJwks(slug)).body as Jwks;
}

/** OpenID Connect Discovery 1.0 for the tenant's issuer, prepared with its ETag. */
export async function preparedTenantDiscovery(slug: string): Promise<PreparedDocument> {
  return (await documentsOf(slug)).discovery!;
}

/** The discovery document as an object. */
export async function tenantDiscovery(slug: string): Promise<ReturnType<typeof discoveryDocument>> {
  return (await preparedTenantDiscovery(slug)).body as ReturnType<typeof discoveryDocument>;
}

/**
 * The endpoints are the identity platform's, under the tenant's issuer namespace (ADR-003); this
 * console serves the key-related documents.
 */
function discoveryDocument(slug: string, jwks: Jwks) {
  const issuer = issuerFor(slug);
  // Announce what keys actually exist (current, next, previous), in the supported order.
  const published = new Set(jwks.keys.map((k) => k.alg));
  const algs = SIGNING_ALGORITHMS.filter((a) => published.has(a));
  return {
    issuer,
    jwks_uri: jwksUriFor(slug),
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
