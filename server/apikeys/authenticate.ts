// API-key authentication: `Authorization: Bearer tc_<public id>_<secret>` → the key's ONE tenant.
// The tenant is found from the key (its public id is registered platform-wide in
// global_identifiers), never from the request; the key is then checked inside that tenant's own
// transaction (RLS applies). Every failure — malformed, unknown, wrong secret, revoked, expired,
// tenant gone — is the same `null`, so callers answer with one 401 and no oracle.
import { inTenant, onPlatform } from "../db/doors";
import { isTenantPermission, API_KEY_SCOPES } from "../auth/permissions";
import { findIdentifierOwnerTenant, IDENTIFIER_KINDS } from "../repos/global-identifiers";
import { findApiKeyForAuth, touchApiKeyLastUsed } from "../repos/api-keys";
import type { ApiKeyPrincipal } from "../tenancy/context";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { randomBytes } from "node:crypto";
import { API_KEY_LENGTH, hashSecret, parseApiKey, secretMatches } from "./format";

/** last_used_at is written at most this often per key (a busy key must not write on every call). */
export const LAST_USED_RESOLUTION_MS = 60_000;

const SCHEME = "bearer ";

/** A well-formed tenant id no tenant has (tenant ids are random v4 UUIDs; this one is all zeros). */
const NO_TENANT = tenantIdFromDatabase("00000000-0000-0000-0000-000000000000");
/** Compared against when there is no key, so that path hashes and compares like a wrong secret. */
const STAND_IN_HASH = hashSecret(randomBytes(32).toString("base64url"));

/** The key in an Authorization header value, or null when it cannot be one (checked before any work). */
export function bearerToken(header: string): string | null {
  if (header.length > SCHEME.length + API_KEY_LENGTH + 8) return null;
  if (header.slice(0, SCHEME.length).toLowerCase() !== SCHEME) return null;
  return header.slice(SCHEME.length).trim();
}

export async function authenticateApiKey(authorization: string, now = new Date()): Promise<ApiKeyPrincipal | null> {
  const token = bearerToken(authorization);
  const parsed = token === null ? null : parseApiKey(token);
  if (!parsed) return null;

  const tenant = await onPlatform((db) => findIdentifierOwnerTenant(db, IDENTIFIER_KINDS.apiKeyId, parsed.publicId));
  // Pending deletion or deleted (server/deletion/): the key answers exactly like an unknown one (401).
  const usable = tenant !== null && tenant.status !== "pending_deletion" && tenant.status !== "deleted";
  // Unknown ids (and unusable tenants) take the same path as a known id with a wrong secret: a second
  // transaction, the same key lookup (in a tenant that does not exist, so RLS finds nothing) and the
  // same hash comparison against a stand-in, so the answer's timing does not tell whether an id exists.
  const tenantId = usable ? tenantIdFromDatabase(tenant.id) : NO_TENANT;
  return inTenant(tenantId, async (scope) => {
    const key = await findApiKeyForAuth(scope, parsed.publicId);
    // The secret is compared first, so the answer's timing does not tell revoked from wrong.
    const matches = secretMatches(parsed.secret, key?.secretHash ?? STAND_IN_HASH);
    if (!usable || !key || !matches) return null;
    if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
    await touchApiKeyLastUsed(scope, key.id, now, LAST_USED_RESOLUTION_MS);
    return {
      keyId: key.id,
      publicId: key.publicId,
      name: key.name,
      tenantId,
      tenantSlug: tenant.slug,
      // Re-checked against today's matrix: a scope later made human-only stops working at once.
      scopes: key.scopes.filter(isTenantPermission).filter((s) => API_KEY_SCOPES.includes(s)),
    };
  });
}
