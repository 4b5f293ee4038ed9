// Platform repository: the tenants table itself (no tenant scope). Used only by the security-admin
// tenant list and by provisioning, both through the onPlatform door.
import type { Db } from "../db/doors";

export interface TenantListInput {
  search?: string;
  /** Slug to continue after (keyset paging on the unique slug index). */
  after?: string | null;
  limit: number;
}

export async function listAllTenants(db: Db, input: TenantListInput) {
  const rows = await db.tenant.findMany({
    where: {
      // A deleted tenant is a tombstone (its slug stays reserved): it appears only in the deletions
      // view with its receipt, never as a tenant to open.
      status: { not: "deleted" },
      ...(input.search ? { OR: [{ slug: { contains: input.search.toLowerCase() } }, { name: { contains: input.search, mode: "insensitive" } }] } : {}),
      ...(input.after ? { slug: { gt: input.after } } : {}),
    },
    select: { id: true, slug: true, name: true, status: true, createdAt: true, pausedAt: true },
    orderBy: { slug: "asc" },
    take: input.limit + 1,
  });
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
