// API-key authentication: `Authorization: Bearer tc_<public id>_<secret>` → the key's ONE tenant.
// The tenant is found from the key (its public id is registered platform-wide in
// global_identifiers), never from the request; the key row is then read in that tenant's scope
// (RLS applies), in the same one transaction, and cached per public id (see keyCache below). Every failure — malformed, unknown, wrong secret, revoked, expired,
// tenant gone — is the same `null`, so callers answer with one 401 and no oracle.
import { enterTenant, inTenant, onPlatform } from "../db/doors";
import { NO_TENANT_GROUP, TenantCache } from "../cache/tenant-cache";
import { isTenantPermission, API_KEY_SCOPES } from "../isomorphic/auth/permissions";
import { findIdentifierOwnerTenant, IDENTIFIER_KINDS } from "../tenancy/global-identifiers-repository";
import { findApiKeyForAuth, touchApiKeyLastUsed } from "./repository";
import type { ApiKeyPrincipal } from "../tenancy/context";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
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

interface CachedKey {
  /** The owner tenant when it is usable (active or paused); NO_TENANT otherwise. */
  readonly tenantId: TenantId;
  readonly tenantSlug: string;
  readonly usable: boolean;
  readonly key: NonNullable<Awaited<ReturnType<typeof findApiKeyForAuth>>> | null;
}

// What authentication reads for a public id — the owner tenant and the key row with its secret
// hash — cached in process per public id, for unknown ids too (NO_TENANT_GROUP), so a repeated
// unknown id costs what a repeated known one does. Never a verdict: the secret, revocation and
// expiry are checked on every request against the cached row, and the row is dropped on every
// instance within a second when the tenant's API keys (creation, revocation), pause or deletion
// state change (server/cache/invalidation.ts); while the bus is down nothing is served from it.
const MAX_KEYS = 20_000;
const globalForKeys = globalThis as unknown as { credoApiKeyCache?: TenantCache<string, CachedKey> };
const keyCache = (globalForKeys.credoApiKeyCache ??= new TenantCache<string, CachedKey>("api keys", MAX_KEYS));

/**
 * ONE transaction whatever the id: the registry entry and its tenant, then the key row in that
 * tenant's scope (RLS). Unknown ids (and unusable tenants) take the same path in a tenant that does
 * not exist, so RLS finds nothing: the same statements as a known id with a wrong secret.
 */
function lookup(publicId: string): Promise<CachedKey> {
  return keyCache.read(publicId, () =>
    onPlatform(async (db) => {
      const tenant = await findIdentifierOwnerTenant(db, IDENTIFIER_KINDS.apiKeyId, publicId);
      // Pending deletion or deleted (server/deletion/): the key answers exactly like an unknown one (401).
      const usable = tenant !== null && tenant.status !== "pending_deletion" && tenant.status !== "deleted";
      const tenantId = usable ? tenantIdFromDatabase(tenant.id) : NO_TENANT;
      const key = await findApiKeyForAuth(await enterTenant(db, tenantId), publicId);
      const value: CachedKey = { tenantId, tenantSlug: usable ? tenant.slug : "", usable, key };
      return { value, tenantId: usable ? tenantId : NO_TENANT_GROUP };
    }),
  );
}

export async function authenticateApiKey(authorization: string, now = new Date()): Promise<ApiKeyPrincipal | null> {
  const token = bearerToken(authorization);
  const parsed = token === null ? null : parseApiKey(token);
  if (!parsed) return null;

  const { tenantId, tenantSlug, usable, key } = await lookup(parsed.publicId);
  // The secret is compared first, so the answer's timing does not tell revoked from wrong.
  const matches = secretMatches(parsed.secret, key?.secretHash ?? STAND_IN_HASH);
  if (!usable || !key || !matches) return null;
  if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await inTenant(tenantId, (scope) => touchApiKeyLastUsed(scope, key.id, now, LAST_USED_RESOLUTION_MS));
    keyCache.update(parsed.publicId, (c) => (c.key && c.key.id === key.id ? { ...c, key: { ...c.key, lastUsedAt: now } } : c));
  }
  return {
    keyId: key.id,
    publicId: key.publicId,
    name: key.name,
    tenantId,
    tenantSlug,
    // Re-checked against today's matrix: a scope later made human-only stops working at once.
    scopes: key.scopes.filter(isTenantPermission).filter((s) => API_KEY_SCOPES.includes(s)),
  };
}
