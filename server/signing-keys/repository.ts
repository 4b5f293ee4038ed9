// Tenant-owned repository: signing keys of one tenant. Every function takes a TenantScope and filters
// by its tenantId (RLS enforces the same). Reads select explicit columns: only findSigningMaterial
// touches the encrypted private key, and nothing here ever sees it decrypted.
import { Prisma } from "../db/generated/client";
import type { TenantReadScope, TenantScope } from "../db/doors";
import { queryRows } from "../db/rows";
import { tenantDataChanged } from "../cache/invalidation";

export type KeyState = "next" | "current" | "previous" | "revoked";

/** Everything about a key except its private material. */
const keySelect = {
  id: true,
  kid: true,
  alg: true,
  state: true,
  createdAt: true,
  activatedAt: true,
  retiredAt: true,
  revokedAt: true,
  createdBy: true,
} as const;

export type SigningKeyRow = Prisma.SigningKeyGetPayload<{ select: typeof keySelect }>;

/** The list page's read, on the transaction's own connection (server/db/rows.ts: issue 16). */
export function listSigningKeys(scope: TenantScope): Promise<SigningKeyRow[]> {
  return queryRows<SigningKeyRow>(
    scope.db,
    Prisma.sql`SELECT id::text AS id, kid, alg, state, created_at AS "createdAt", activated_at AS "activatedAt", retired_at AS "retiredAt",
                      revoked_at AS "revokedAt", created_by::text AS "createdBy"
                 FROM signing_keys WHERE tenant_id = ${scope.tenantId}::uuid ORDER BY created_at DESC, id ASC LIMIT 1000`,
    { keepPlan: true },
  );
}

export function findSigningKey(scope: TenantScope, id: string): Promise<SigningKeyRow | null> {
  return scope.db.signingKey.findUnique({ where: { tenantId_id: { tenantId: scope.tenantId, id } }, select: keySelect });
}

/** The key in a single-holder state (current, next); the partial unique indexes allow at most one. */
export function findKeyInState(scope: TenantScope, state: "current" | "next"): Promise<SigningKeyRow | null> {
  return scope.db.signingKey.findFirst({ where: { tenantId: scope.tenantId, state }, select: keySelect });
}

/**
 * Most keys a tenant may publish at once (next + current + previous). Enforced when a key is staged
 * (the only step that adds a published key); the JWKS read refuses rather than cut the list.
 */
export const MAX_PUBLISHED_KEYS = 100;

/** A published key as the JWKS needs it (public members only). */
export interface PublishedKeyRow {
  kid: string;
  alg: string;
  state: string;
  publicJwk: Prisma.JsonValue;
  activatedAt: Date | null;
  createdAt: Date;
}

/**
 * Published keys (next, current, previous) with their public JWKs, for the JWKS: one more than the
 * cap, to notice. Read with queryRows, so the read door (token verification) can run it.
 */
export function findPublishedKeys(scope: TenantReadScope): Promise<PublishedKeyRow[]> {
  return queryRows<PublishedKeyRow>(
    scope.db,
    Prisma.sql`SELECT kid, alg, state, public_jwk AS "publicJwk", activated_at AS "activatedAt", created_at AS "createdAt"
               FROM signing_keys WHERE tenant_id = ${scope.tenantId}::uuid AND state IN ('next', 'current', 'previous')
               ORDER BY created_at DESC, kid ASC LIMIT ${MAX_PUBLISHED_KEYS + 1}`,
  );
}

export function countPublishedKeys(scope: TenantScope): Promise<number> {
  return scope.db.signingKey.count({ where: { tenantId: scope.tenantId, state: { in: ["next", "current", "previous"] } } });
}

/** The current key with its encrypted private key: for signing only. */
export function findSigningMaterial(scope: TenantScope) {
  return scope.db.signingKey.findFirst({
    where: { tenantId: scope.tenantId, state: "current" },
    select: { kid: true, alg: true, dataKeyId: true, privateKeyIv: true, privateKeyTag: true, privateKeyCiphertext: true },
  });
}

export interface NewSigningKeyRow {
  kid: string;
  alg: string;
  state: "next" | "current";
  publicJwk: Prisma.InputJsonValue;
  privateKeyIv: Uint8Array<ArrayBuffer>;
  privateKeyTag: Uint8Array<ArrayBuffer>;
  privateKeyCiphertext: Uint8Array<ArrayBuffer>;
  dataKeyId: string;
  createdAt: Date;
  activatedAt: Date | null;
  createdBy: string | null;
}

export function insertSigningKey(scope: TenantScope, data: NewSigningKeyRow): Promise<SigningKeyRow> {
  tenantDataChanged(scope.tenantId);
  return scope.db.signingKey.create({
    data: { tenantId: scope.tenantId, ...data },
    select: keySelect,
  });
}

/**
 * Moves a key from one state to the next, only if it is still in `from` (a compare-and-set: the
 * lifecycle lock makes a miss impossible, and a miss throws rather than continuing on stale state).
 */
export async function moveKeyState(
  scope: TenantScope,
  id: string,
  from: KeyState,
  to: KeyState,
  dates: { activatedAt?: Date; retiredAt?: Date; revokedAt?: Date },
): Promise<void> {
  tenantDataChanged(scope.tenantId);
  const res = await scope.db.signingKey.updateMany({
    where: { tenantId: scope.tenantId, id, state: from },
    data: { state: to, ...dates },
  });
  if (res.count !== 1) throw new Error(`Signing key ${id} was not ${from} any more.`);
}

/** Second argument of hashtextextended: keeps these locks apart from other per-tenant advisory locks. */
const SIGNING_KEYS_LOCK_SEED = 42;

// One tenant's key changes happen one at a time: every lifecycle operation (stage, promote, revoke,
// rotate-and-revoke, auto-promotion, KEK re-wrap) takes this lock first, inside its tenant
// transaction, and reads the key states only afterwards. A transaction-scoped advisory lock is
// released by COMMIT or ROLLBACK, so nothing can leak it; other tenants are never blocked.
// (The partial unique indexes on signing_keys are the database's own backstop.)
export async function lockTenantKeys(scope: TenantScope): Promise<void> {
  await scope.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${scope.tenantId}::text, ${SIGNING_KEYS_LOCK_SEED}))`;
}

/** The tenant's previous keys (verifying, no longer signing), oldest first. */
export function findPreviousKeys(scope: TenantScope) {
  return scope.db.signingKey.findMany({
    where: { tenantId: scope.tenantId, state: "previous" },
    select: { id: true, kid: true, alg: true, retiredAt: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}
