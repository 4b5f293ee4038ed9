// Platform repository: the tenants table itself (no tenant scope). Used only by the security-admin
// tenant list and by provisioning, both through the onPlatform door.
import type { Db } from "../db/doors";
import { Prisma } from "../db/generated/client";
import { queryRows } from "../db/rows";
import { likeLiteral } from "../lists/like";

export interface TenantListInput {
  search?: string;
  /** Slug to continue after (keyset paging on the unique slug index). */
  after?: string | null;
  limit: number;
}

interface TenantListRow {
  id: string;
  slug: string;
  name: string;
  status: string;
  createdAt: Date;
  pausedAt: Date | null;
}

/**
 * A page of tenants in slug order (keyset on the unique slug index), deleted ones left out: a
 * deleted tenant is a tombstone (its slug stays reserved) that appears only in the deletions view
 * with its receipt, never as a tenant to open. Read with queryRows (issue 16: through Prisma's
 * findMany the page cost 3.9× its raw SQL); the unfiltered pages keep their plan.
 */
export async function listAllTenants(db: Db, input: TenantListInput) {
  const term = input.search ? likeLiteral(input.search) : null;
  const rows = await queryRows<TenantListRow>(
    db,
    Prisma.sql`SELECT id, slug, name, status, created_at AS "createdAt", paused_at AS "pausedAt" FROM tenants
                WHERE status <> 'deleted'
                ${term === null ? Prisma.empty : Prisma.sql`AND (slug LIKE ${`%${term.toLowerCase()}%`} OR name ILIKE ${`%${term}%`})`}
                ${input.after ? Prisma.sql`AND slug > ${input.after}` : Prisma.empty}
                ORDER BY slug LIMIT ${input.limit + 1}`,
    { keepPlan: term === null },
  );
  const hasMore = rows.length > input.limit;
  const items = hasMore ? rows.slice(0, input.limit) : rows;
  return { items, nextAfter: hasMore ? items[items.length - 1]!.slug : null };
}

export function findTenantBySlug(db: Db, slug: string) {
  return db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, status: true } });
}

/**
 * The tenant row itself (provisioning only): through credo_create_tenant, the runtime role's only way
 * to INSERT into tenants (migration 20261205200000_least_privilege). Unique slug violations surface
 * as P2010/23505 like a Prisma create's.
 */
export async function insertTenant(db: Db, slug: string, name: string): Promise<{ id: string; slug: string; name: string }> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT credo_create_tenant(${slug}, ${name}) AS id`;
  return { id: rows[0]!.id, slug, name };
}
