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
import { readTenantPolicy } from "../repos/tenant-policies";
import { findClientByClientId } from "../repos/oauth-clients";
import { admitTenantRequest, admitUnknownTenantRequest } from "../ratelimit/enforce";
import { inClientTenant, TenantNotFoundError } from "../tenancy/context";
import { issuerFor } from "../keys/issuer";
import { pkceRequired } from "./client-types";
import { checkRedirectUri, redirectUriMatches, type ClientType } from "./redirect-uris";

export type AuthorizeCheckResult =
  | { allowed: true; reason: "registered"; issuer: string; pkce_required: boolean }
  | { allowed: false; reason: typeof NOT_ALLOWED };

export const NOT_ALLOWED = "The client is unknown or disabled, or this redirect_uri is not registered for it.";
const refused = { allowed: false, reason: NOT_ALLOWED } as const;

/** `callerIp`: the request's client address, for the unknown-client bucket (null = one shared bucket). */
export async function authorizeCheck(clientId: string, redirectUri: string, callerIp: string | null = null): Promise<AuthorizeCheckResult> {
  try {
    return await inClientTenant(clientId, async (tenant, scope) => {
      await admitTenantRequest(scope, "public");
      const client = await findClientByClientId(scope, clientId);
      if (!client || !client.enabled || !client.grantTypes.includes("authorization_code")) return refused;
      const type = client.type as ClientType;
      const { regulatedMode } = await readTenantPolicy(scope);
      if (!redirectUriMatches(client.redirectUris, redirectUri, { clientType: type })) return refused;
      // A URI registered before regulated mode was switched on must meet today's rules too.
      if (regulatedMode && !checkRedirectUri(redirectUri, { clientType: type, regulated: true }).ok) return refused;
      return { allowed: true, reason: "registered", issuer: issuerFor(tenant.slug), pkce_required: pkceRequired(type, regulatedMode) } as const;
    });
  } catch (e) {
    if (e instanceof TenantNotFoundError) {
      await admitUnknownTenantRequest("authorize-check", callerIp);
      return refused;
    }
    throw e;
  }
}
