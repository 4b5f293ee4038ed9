// Repository of invitations: tenant invitations (tenant-owned, take a TenantScope and filter by its
// tenantId; RLS enforces the same) and platform invitations (platform table, inside onPlatform). A
// token is looked up by its SHA-256 only after presenting it (the "token_holder" RLS policies show
// the one row made for that token, whatever tenant it belongs to).
import type { Db, TenantScope } from "../db/doors";

const invitationSelect = { id: true, email: true, expiresAt: true, acceptedAt: true, revokedAt: true, createdAt: true } as const;

/** Inside a door transaction: present a token's hash, so RLS shows the one row made for that token. */
export async function presentTokenHash(db: Db, hash: string): Promise<void> {
  await db.$queryRaw`SELECT set_config('app.token_hash', ${hash}, true)`;
}

// ---------------------------------------------------------------------------------------------
// Tenant invitations

/** The address's pending invitations in this tenant stop working (revoked at `now`). */
export async function revokePendingTenantInvitationsFor(scope: TenantScope, email: string, now: Date): Promise<void> {
  await scope.db.tenantInvitation.updateMany({
    where: { tenantId: scope.tenantId, email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
}

export function insertTenantInvitation(
  scope: TenantScope,
  data: { email: string; role: string; supportDays: number | null; tokenHash: string; expiresAt: Date; invitedBy: string | null; createdAt: Date },
) {
  return scope.db.tenantInvitation.create({
    data: { tenantId: scope.tenantId, ...data },
    select: { id: true, email: true, role: true, expiresAt: true, supportDays: true },
  });
}

/** The tenant's pending (not accepted, not revoked) invitations, newest first, at most 200. */
export function findPendingTenantInvitations(scope: TenantScope) {
  return scope.db.tenantInvitation.findMany({
    where: { tenantId: scope.tenantId, acceptedAt: null, revokedAt: null },
    select: { ...invitationSelect, role: true, supportDays: true },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

export function findTenantInvitation(scope: TenantScope, invitationId: string) {
  return scope.db.tenantInvitation.findUnique({ where: { tenantId_id: { tenantId: scope.tenantId, id: invitationId } }, select: { ...invitationSelect, role: true } });
}

export async function markTenantInvitationRevoked(scope: TenantScope, invitationId: string, now: Date): Promise<void> {
  await scope.db.tenantInvitation.updateMany({ where: { tenantId: scope.tenantId, id: invitationId, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
}

/** The live tenant invitation with this token hash (after presentTokenHash), with its tenant. */
export function findLiveTenantInvitationByHash(db: Db, tokenHash: string, now: Date) {
  return db.tenantInvitation.findFirst({
    where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true, supportDays: true, tenantId: true, tenant: { select: { slug: true, name: true, status: true } } },
  });
}

/** Single use: true only for the one request that marks a still-live invitation accepted. */
export async function redeemTenantInvitation(scope: TenantScope, invitationId: string, userId: string, now: Date): Promise<boolean> {
  const res = await scope.db.tenantInvitation.updateMany({
    where: { tenantId: scope.tenantId, id: invitationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedBy: userId },
  });
  return res.count === 1;
}

// ---------------------------------------------------------------------------------------------
// Platform invitations

/** The address's pending console invitations stop working (revoked at `now`). */
export async function revokePendingPlatformInvitationsFor(db: Db, email: string, now: Date): Promise<void> {
  await db.platformInvitation.updateMany({ where: { email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
}

export function insertPlatformInvitation(
  db: Db,
  data: { email: string; platformRole: string | null; tokenHash: string; expiresAt: Date; invitedBy: string | null; createdAt: Date },
) {
  return db.platformInvitation.create({ data, select: { id: true, email: true, platformRole: true, expiresAt: true } });
}

/** Pending console invitations, newest first, at most 200. */
export function findPendingPlatformInvitations(db: Db) {
  return db.platformInvitation.findMany({
    where: { acceptedAt: null, revokedAt: null },
    select: { ...invitationSelect, platformRole: true },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

/** false when no pending invitation has this id. */
export async function markPlatformInvitationRevoked(db: Db, invitationId: string, now: Date): Promise<boolean> {
  const res = await db.platformInvitation.updateMany({ where: { id: invitationId, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  return res.count === 1;
}

/** The live console invitation with this token hash (after presentTokenHash). */
export function findLivePlatformInvitationByHash(db: Db, tokenHash: string, now: Date) {
  return db.platformInvitation.findFirst({
    where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, platformRole: true, invitedBy: true },
  });
}

/** Single use: true only for the one request that marks a still-live invitation accepted. */
export async function redeemPlatformInvitation(db: Db, invitationId: string, userId: string, now: Date): Promise<boolean> {
  const res = await db.platformInvitation.updateMany({
    where: { id: invitationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedBy: userId },
  });
  return res.count === 1;
}
