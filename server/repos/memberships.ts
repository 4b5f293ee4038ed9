// Tenant-owned repository: memberships (owners and support grants) of one tenant.
// Every function takes a TenantScope and filters by its tenantId (RLS enforces the same).
import type { Db, TenantScope } from "../db/doors";
import type { TenantRole } from "../auth/permissions";

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
