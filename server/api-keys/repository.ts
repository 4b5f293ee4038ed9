// Tenant-owned repository: the API keys of one tenant. Every function takes a TenantScope and
// filters by its tenantId (RLS enforces the same). Only findApiKeyForAuth reads the secret hash.
import type { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";
import { keyset, toPage, type ListPage, type SortDirection } from "../lists/keyset";
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

/**
 * One page of the tenant's keys, keyset-ordered on (tenant_id, sort column, id) indexes; search is
 * a case-insensitive match on the name or the public prefix, read at most `limit + 1` rows.
 */
export async function pageApiKeys(scope: TenantScope, input: ApiKeyPageInput): Promise<ListPage<ApiKeyRow>> {
  const sort = input.sort ?? "createdAt";
  const page = keyset(sort, input.direction ?? (sort === "createdAt" ? "desc" : "asc"), input.cursor);
  const search = input.search
    ? { OR: [{ name: { contains: input.search, mode: "insensitive" as const } }, { publicId: { contains: input.search, mode: "insensitive" as const } }] }
    : {};
  const rows = await scope.db.apiKey.findMany({
    where: { tenantId: scope.tenantId, AND: [search, page.where] },
    select: listSelect,
    orderBy: page.orderBy,
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, (r) => r[sort]);
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

/**
 * Of these creators, the ones who can no longer act in this tenant: no membership here (or an
 * expired support grant) unless they are a security admin, or no active console account at all.
 */
export async function departedCreators(scope: TenantScope, userIds: readonly string[], now: Date): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  // One statement (the list page's latency budget): each creator with their membership in this tenant.
  const rows = await scope.db.$queryRaw<{ id: string; status: string; platform_role: string | null; member: boolean; expires_at: Date | null }[]>`
    SELECT u.id::text AS id, u.status::text AS status, u.platform_role::text AS platform_role, m.user_id IS NOT NULL AS member, m.expires_at
      FROM users u LEFT JOIN memberships m ON m.tenant_id = ${scope.tenantId}::uuid AND m.user_id = u.id
     WHERE u.id = ANY(${[...userIds]}::uuid[])`;
  const byId = new Map(rows.map((u) => [u.id, { status: u.status, platformRole: u.platform_role }]));
  const memberNow = new Set(rows.filter((m) => m.member && (!m.expires_at || m.expires_at > now)).map((m) => m.id));
  const gone = new Set<string>();
  for (const id of userIds) {
    const u = byId.get(id);
    if (!u || u.status !== "active") gone.add(id);
    else if (u.platformRole !== "security_admin" && !memberNow.has(id)) gone.add(id);
  }
  return gone;
}

/** Which of `ids` are this tenant's keys, and whether each is revoked (a bulk selection is checked whole). */
export function findApiKeyRevocations(scope: TenantScope, ids: readonly string[]) {
  return scope.db.apiKey.findMany({ where: { tenantId: scope.tenantId, id: { in: [...ids] } }, select: { id: true, revokedAt: true } });
}
