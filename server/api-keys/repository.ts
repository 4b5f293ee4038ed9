// Tenant-owned repository: the API keys of one tenant. Every function takes a TenantScope and
// filters by its tenantId (RLS enforces the same). Only findApiKeyForAuth reads the secret hash.
import { likeLiteral } from "../lists/like";
import { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";
import { toPage, type ListPage, type SortDirection } from "../lists/keyset";
import { keysetSql } from "../db/keyset-sql";
import { queryRows } from "../db/rows";
import { tenantDataChanged } from "../cache/invalidation";

/** Everything a list shows; never the secret hash. */
const listSelect = {
  id: true,
  publicId: true,
  name: true,
  scopes: true,
  createdBy: true,
  createdByLabel: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  revokedByLabel: true,
} as const;

export type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof listSelect }>;

/** Upper bound of one tenant's list (a tenant with more keys than this has a different problem). */
export const API_KEY_LIST_LIMIT = 500;

export function listApiKeys(scope: TenantScope): Promise<ApiKeyRow[]> {
  return scope.db.apiKey.findMany({
    where: { tenantId: scope.tenantId },
    select: listSelect,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: API_KEY_LIST_LIMIT,
  });
}

export const API_KEY_SORTS = ["createdAt", "name"] as const;
export interface ApiKeyPageInput {
  search?: string;
  sort?: (typeof API_KEY_SORTS)[number];
  direction?: SortDirection;
  cursor?: string | null;
  limit: number;
}

/** A list row with whether its creator has gone (see pageApiKeysWithCreators). */
export type ApiKeyListRow = ApiKeyRow & { creatorGone: boolean };

/**
 * pageApiKeys and departedCreators in ONE statement (issue 16: the list page's second read cost a
 * round trip and a planning of its own, ~0.6 ms of a 2.3 ms request). The same page — keyset on
 * (sort column, id) within the tenant, the search on name or public prefix — and for each key
 * whether its creator has gone: no longer an active operator, or neither a security admin nor a
 * member of this tenant at `now`. The tenant is explicit here and enforced by RLS as well; users
 * are readable by the runtime role, memberships only within this tenant.
 */
export async function pageApiKeysWithCreators(scope: TenantScope, input: ApiKeyPageInput, now: Date): Promise<ListPage<ApiKeyListRow>> {
  const sort = input.sort ?? "createdAt";
  const direction = input.direction ?? (sort === "createdAt" ? "desc" : "asc");
  const column = sort === "createdAt" ? Prisma.sql`k.created_at` : Prisma.sql`k.name`;
  const { after, orderBy } = keysetSql(column, Prisma.sql`k.id`, direction, input.cursor);
  const pattern = input.search ? `%${likeLiteral(input.search)}%` : null;
  const search = pattern ? Prisma.sql`AND (k.name ILIKE ${pattern} OR k.public_id ILIKE ${pattern})` : Prisma.empty;
  const rows = await queryRows<{ id: string; public_id: string; name: string; scopes: string[]; created_by: string | null; created_by_label: string; created_at: Date; expires_at: Date | null; last_used_at: Date | null; revoked_at: Date | null; revoked_by_label: string | null; creator_gone: boolean }>(
    scope.db,
    Prisma.sql`
    SELECT k.id::text AS id, k.public_id, k.name, k.scopes::text[] AS scopes, k.created_by::text AS created_by, k.created_by_label,
           k.created_at, k.expires_at, k.last_used_at, k.revoked_at, k.revoked_by_label,
           (k.created_by IS NOT NULL AND (
              u.id IS NULL OR u.status::text <> 'active'
              OR (u.platform_role IS DISTINCT FROM 'security_admin' AND NOT EXISTS (
                    SELECT 1 FROM memberships m
                     WHERE m.tenant_id = k.tenant_id AND m.user_id = u.id AND (m.expires_at IS NULL OR m.expires_at > ${now}::timestamptz)))
           )) AS creator_gone
      FROM api_keys k LEFT JOIN users u ON u.id = k.created_by
     WHERE k.tenant_id = ${scope.tenantId}::uuid ${search} ${after}
     ORDER BY ${orderBy}
     LIMIT ${input.limit + 1}`,
    { keepPlan: true },
  );
  const items: ApiKeyListRow[] = rows.map((r) => ({
    id: r.id,
    publicId: r.public_id,
    name: r.name,
    scopes: r.scopes,
    createdBy: r.created_by,
    createdByLabel: r.created_by_label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    revokedByLabel: r.revoked_by_label,
    creatorGone: r.creator_gone,
  }));
  return toPage(items, input.limit, (r) => r[sort]);
}

export function findApiKey(scope: TenantScope, id: string): Promise<ApiKeyRow | null> {
  return scope.db.apiKey.findUnique({ where: { tenantId_id: { tenantId: scope.tenantId, id } }, select: listSelect });
}

/** For authentication only: the row with its secret hash. */
export function findApiKeyForAuth(scope: TenantScope, publicId: string) {
  return scope.db.apiKey.findUnique({
    where: { tenantId_publicId: { tenantId: scope.tenantId, publicId } },
    select: { id: true, publicId: true, name: true, scopes: true, secretHash: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
}

export interface NewApiKeyRow {
  publicId: string;
  name: string;
  secretHash: Uint8Array<ArrayBuffer>;
  scopes: string[];
  createdBy: string | null;
  createdByLabel: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export function insertApiKey(scope: TenantScope, data: NewApiKeyRow): Promise<ApiKeyRow> {
  tenantDataChanged(scope.tenantId);
  return scope.db.apiKey.create({ data: { tenantId: scope.tenantId, ...data }, select: listSelect });
}

/** Revokes a key that is not revoked yet; false if it already was (or is not this tenant's). */
export async function markApiKeyRevoked(scope: TenantScope, id: string, by: string, at: Date): Promise<boolean> {
  tenantDataChanged(scope.tenantId);
  const res = await scope.db.apiKey.updateMany({
    where: { tenantId: scope.tenantId, id, revokedAt: null },
    data: { revokedAt: at, revokedByLabel: by },
  });
  return res.count === 1;
}

/** Records use, at most once per `resolutionMs` per key, so busy keys do not write on every request. */
export async function touchApiKeyLastUsed(scope: TenantScope, id: string, at: Date, resolutionMs: number): Promise<void> {
  await scope.db.apiKey.updateMany({
    where: {
      tenantId: scope.tenantId,
      id,
      OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at.getTime() - resolutionMs) } }],
    },
    data: { lastUsedAt: at },
  });
}

/** The tenant's keys created by this user that are not revoked yet (expired ones included). */
export function listUnrevokedApiKeysCreatedBy(scope: TenantScope, userId: string): Promise<ApiKeyRow[]> {
  return scope.db.apiKey.findMany({
    where: { tenantId: scope.tenantId, createdBy: userId, revokedAt: null },
    select: listSelect,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: API_KEY_LIST_LIMIT,
  });
}

/** Which of `ids` are this tenant's keys, and whether each is revoked (a bulk selection is checked whole). */
export function findApiKeyRevocations(scope: TenantScope, ids: readonly string[]) {
  return scope.db.apiKey.findMany({ where: { tenantId: scope.tenantId, id: { in: [...ids] } }, select: { id: true, revokedAt: true } });
}
