// POST /api/public/authorize-check — what the identity platform's authorization endpoint asks
// before redirecting anywhere: may `client_id` send the user back to `redirect_uri`? The tenant is
// the client's (resolved from client_id in server/tenancy/context.ts), never the caller's. The
// answer for an unknown client, a disabled client, a client without the authorization-code grant
// and an unregistered URI is the same, so the endpoint is no oracle for client ids.
//
// Rate limits: a known client's request counts against its tenant's "public" limit; an unknown
// client_id has no tenant, so it counts per caller IP in a global bucket of its own (it can neither
// drain a tenant's budget nor go unlimited). Over a limit → RateLimitedError (429); a paused
// tenant → TenantPausedError (423); the route turns both into responses.
import { readTenantPolicy } from "../policies/tenant-repository";
import { findClientByClientId } from "./repository";
import { admitTenantIdRequest, admitUnknownTenantRequest } from "../ratelimit/enforce";
import { cachedRateLimitConfig, loadTenantRateLimits } from "../ratelimit/config";
import { readClientTenant, TenantNotFoundError, type PublicTenant } from "../tenancy/context";
import { TenantPausedError, type PauseState } from "../tenancy/paused";
import { TenantCache } from "../cache/tenant-cache";
import { readInTenant } from "../db/doors";
import { issuerFor } from "../signing-keys/issuer";
import { pkceRequired } from "../isomorphic/clients/client-types";
import { checkRedirectUri, redirectUriMatches, type ClientType } from "../isomorphic/clients/redirect-uris";

export type AuthorizeCheckResult =
  | { allowed: true; reason: "registered"; issuer: string; pkce_required: boolean }
  | { allowed: false; reason: typeof NOT_ALLOWED };

export const NOT_ALLOWED = "The client is unknown or disabled, or this redirect_uri is not registered for it.";
const refused = { allowed: false, reason: NOT_ALLOWED } as const;

interface CachedClient {
  readonly tenant: PublicTenant;
  readonly pause: PauseState | null;
  /** null: no usable client (unknown row, disabled, no authorization-code grant) — refused. */
  readonly client: { readonly type: ClientType; readonly redirectUris: readonly string[] } | null;
  readonly regulatedMode: boolean;
}

// What authorize-check needs of a client_id, cached in process per client_id and dropped on every
// instance when the tenant's clients, policies (regulated mode), pause or deletion state — or the
// global policy — change (server/cache/invalidation.ts). Unknown client_ids are not cached: they
// go to the database and are counted per caller IP, as before.
const MAX_CLIENTS = 50_000;
const globalForClients = globalThis as unknown as { credoAuthorizeCheckClients?: TenantCache<string, CachedClient> };
const clients = (globalForClients.credoAuthorizeCheckClients ??= new TenantCache<string, CachedClient>("authorize-check clients", MAX_CLIENTS));

function clientOf(clientId: string): Promise<CachedClient> {
  return clients.read(clientId, async () => {
    const read = await readClientTenant(clientId, async (tenant, scope) => {
      await cachedRateLimitConfig(tenant.tenantId, () => loadTenantRateLimits(scope));
      const client = await findClientByClientId(scope, clientId);
      const { regulatedMode } = await readTenantPolicy(scope);
      const usable = client && client.enabled && client.grantTypes.includes("authorization_code");
      return { client: usable ? { type: client.type as ClientType, redirectUris: [...client.redirectUris] } : null, regulatedMode };
    });
    const value: CachedClient = { tenant: read.tenant, pause: read.pause, client: read.value?.client ?? null, regulatedMode: read.value?.regulatedMode ?? false };
    return { value, tenantId: read.tenant.tenantId };
  });
}

/** `callerIp`: the request's client address, for the unknown-client bucket (null = one shared bucket). */
export async function authorizeCheck(clientId: string, redirectUri: string, callerIp: string | null = null): Promise<AuthorizeCheckResult> {
  let cached: CachedClient;
  try {
    cached = await clientOf(clientId);
  } catch (e) {
    if (e instanceof TenantNotFoundError) {
      await admitUnknownTenantRequest("authorize-check", callerIp);
      return refused;
    }
    throw e;
  }
  const { tenant, pause, client, regulatedMode } = cached;
  if (pause) throw new TenantPausedError(pause);
  await admitTenantIdRequest(tenant.tenantId, "public", () => readInTenant(tenant.tenantId, (scope) => loadTenantRateLimits(scope)));
  if (!client) return refused;
  const type = client.type;
  if (!redirectUriMatches(client.redirectUris, redirectUri, { clientType: type })) return refused;
  // A URI registered before regulated mode was switched on must meet today's rules too.
  if (regulatedMode && !checkRedirectUri(redirectUri, { clientType: type, regulated: true }).ok) return refused;
  return { allowed: true, reason: "registered", issuer: issuerFor(tenant.slug), pkce_required: pkceRequired(type, regulatedMode) } as const;
}
