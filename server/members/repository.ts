// Tenant-owned repository: memberships (owners and support grants) of one tenant.
// Every function takes a TenantScope and filters by its tenantId (RLS enforces the same).
import { likeLiteral } from "../lists/like";
import { Prisma } from "../db/generated/client";
import type { Db, TenantScope } from "../db/doors";
import { queryRows } from "../db/rows";
import type { TenantRole } from "../isomorphic/auth/permissions";
import { keyset, toPage, type ListPage, type SortDirection } from "../lists/keyset";

const memberSelect = {
  id: true,
  role: true,
  expiresAt: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true, status: true } },
} as const;

export function listMembers(scope: TenantScope) {
  return scope.db.membership.findMany({
    where: { tenantId: scope.tenantId },
    select: memberSelect,
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    take: 1000,
  });
}

export const MEMBER_SORTS = ["createdAt", "role"] as const;
export interface MemberPageInput {
  search?: string;
  sort?: (typeof MEMBER_SORTS)[number];
  direction?: SortDirection;
  cursor?: string | null;
  limit: number;
}
export type MemberRow = Awaited<ReturnType<typeof findMember>> & {};

/**
 * One page of the tenant's members, keyset-ordered on (tenant_id, sort column, id) indexes; search is
 * a case-insensitive match on the member's e-mail or name, read at most `limit + 1` rows.
 */
export async function pageMembers(scope: TenantScope, input: MemberPageInput): Promise<ListPage<MemberRow>> {
  const sort = input.sort ?? "createdAt";
  const page = keyset(sort, input.direction ?? "asc", input.cursor);
  const search = input.search
    ? { user: { OR: [{ email: { contains: likeLiteral(input.search), mode: "insensitive" as const } }, { name: { contains: likeLiteral(input.search), mode: "insensitive" as const } }] } }
    : {};
  const rows = await scope.db.membership.findMany({
    where: { tenantId: scope.tenantId, AND: [search, page.where] },
    select: memberSelect,
    orderBy: page.orderBy,
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, (r) => r[sort]);
}

export function findMember(scope: TenantScope, membershipId: string) {
  return scope.db.membership.findUnique({
    where: { tenantId_id: { tenantId: scope.tenantId, id: membershipId } },
    select: memberSelect,
  });
}

export function findMemberByUser(scope: TenantScope, userId: string) {
  return scope.db.membership.findUnique({
    where: { tenantId_userId: { tenantId: scope.tenantId, userId } },
    select: memberSelect,
  });
}

export function upsertMember(
  scope: TenantScope,
  data: { userId: string; role: TenantRole; expiresAt: Date | null; createdBy: string | null },
) {
  return scope.db.membership.upsert({
    where: { tenantId_userId: { tenantId: scope.tenantId, userId: data.userId } },
    create: { tenantId: scope.tenantId, ...data },
    update: { role: data.role, expiresAt: data.expiresAt },
    select: memberSelect,
  });
}

export async function deleteMember(scope: TenantScope, membershipId: string): Promise<boolean> {
  const res = await scope.db.membership.deleteMany({ where: { tenantId: scope.tenantId, id: membershipId } });
  return res.count === 1;
}

export function countOwners(scope: TenantScope) {
  return scope.db.membership.count({ where: { tenantId: scope.tenantId, role: "owner" } });
}

/** Platform table read used when adding a member: the console user with this e-mail, if any. */
export function findActiveUserByEmail(db: Db, email: string) {
  return db.user.findFirst({ where: { email: email.toLowerCase(), status: "active" }, select: { id: true, email: true, platformRole: true } });
}

/** Support grants of the tenant that have not expired at `now`. */
export function countActiveSupportGrants(scope: TenantScope, now: Date) {
  return scope.db.membership.count({ where: { tenantId: scope.tenantId, role: "support", expiresAt: { gt: now } } });
}

// Inside asUser (the user's own scope: RLS shows a user their own memberships, across tenants).

/** The user's memberships with their tenants, by tenant slug, at most 50. */
export interface UserMembership {
  tenantSlug: string;
  tenantName: string;
  role: string;
  expiresAt: Date | null;
}

/**
 * Each user's memberships (at most 50, by slug), each read in that user's own scope as the RLS
 * policy own_memberships_read allows: credo_memberships_by_user() walks the users in the database,
 * one statement for a page of users (migration 20261210100000).
 */
export async function membershipsByUser(db: Db, userIds: readonly string[]): Promise<Map<string, UserMembership[]>> {
  const byUser = new Map<string, UserMembership[]>();
  if (userIds.length === 0) return byUser;
  const rows = await queryRows<{ member_id: string; tenant_slug: string; tenant_name: string; member_role: string; member_expires_at: Date | null }>(
    db,
    Prisma.sql`SELECT * FROM credo_memberships_by_user(${[...userIds]}::uuid[])`,
    { keepPlan: true },
  );
  for (const r of rows) {
    const list = byUser.get(r.member_id) ?? [];
    list.push({ tenantSlug: r.tenant_slug, tenantName: r.tenant_name, role: r.member_role, expiresAt: r.member_expires_at });
    byUser.set(r.member_id, list);
  }
  return byUser;
}

/**
 * The tenants a signed-in user may open (their unexpired memberships of tenants not deleted), by
 * slug: the console's tenant switcher. In the user's own scope (asUser: RLS shows a user only their
 * memberships); one statement on the transaction's connection (server/db/rows.ts).
 */
export function openableTenants(db: Db, userId: string, now: Date) {
  return queryRows<{ slug: string; name: string; status: string; paused: boolean; role: TenantRole; expiresAt: Date | null }>(
    db,
    Prisma.sql`SELECT t.slug, t.name, t.status::text AS status, t.paused_at IS NOT NULL AS paused, m.role::text AS role, m.expires_at AS "expiresAt"
                 FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                WHERE m.user_id = ${userId}::uuid AND (m.expires_at IS NULL OR m.expires_at > ${now}::timestamptz) AND t.status <> 'deleted'
                ORDER BY t.slug LIMIT 500`,
    { keepPlan: true },
  );
}

/** The tenants the user belongs to, by slug. */
export function ownMembershipTenants(db: Db, userId: string) {
  return db.membership.findMany({ where: { userId }, select: { tenant: { select: { id: true, slug: true, name: true } } }, orderBy: { tenant: { slug: "asc" } } });
}
