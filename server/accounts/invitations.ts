// Invitations: the only way into the console and into a tenant.
//   platform  a security admin invites an address to the console (optionally as security admin)
//   tenant    an owner (or security admin) invites an address to one tenant as owner or support
// Inviting never looks the address up: the answer is the same whether it has an account, is a
// security admin or is unknown (no oracle). The token is e-mailed; only its SHA-256 is stored.
// Accepting is single-use (a conditional update), expiring (operators policy invitationExpiryHours)
// and revocable; a new person sets name + password, an existing account signs in first.
import { z } from "zod";
import { onPlatform, enterTenant, type Db, type TenantScope } from "../db/doors";
import type { AuditActor, Auditor, RequestMeta } from "../audit/record";
import { recordAudit } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { readOperatorPolicy } from "../auth/operator-policy";
import { hashPassword } from "../auth/password";
import { AppError } from "../isomorphic/errors";
import { emailInput, inviteMemberInput } from "../isomorphic/accounts/inputs";
import { findMemberByUser, upsertMember } from "../members/repository";
import { createUser, findUserIdentity, findUserRoleAndStatus, setPlatformRole, setUserPassword, userIdByEmail } from "./platform-users-repository";
import {
  findLivePlatformInvitationByHash,
  findLiveTenantInvitationByHash,
  findPendingPlatformInvitations,
  findPendingTenantInvitations,
  findTenantInvitation,
  insertPlatformInvitation,
  insertTenantInvitation,
  markPlatformInvitationRevoked,
  markTenantInvitationRevoked,
  presentTokenHash,
  redeemPlatformInvitation,
  redeemTenantInvitation,
  revokePendingPlatformInvitationsFor,
  revokePendingTenantInvitationsFor,
} from "./invitations-repository";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { invitationMail } from "../mail/messages";
import { sendMail, type MailMessage } from "../mail/send";
import { assertStrongPassword, newPasswordInput } from "./password-policy";
import { hashToken, newEmailToken } from "./tokens";
import { logger, scrubText } from "../observability/logger";

const email = emailInput;

export { inviteMemberInput };

export const invitePlatformInput = z.object({ email, securityAdmin: z.boolean().default(false) });

export const invitationIdInput = z.object({ invitationId: z.string().uuid("Unknown invitation.") });

export const INVALID_INVITATION = "This invitation link is not valid any more: it was used, revoked or has expired. Ask for a new invitation.";

export type InvitationStatus = "pending" | "expired";

function statusOf(i: { expiresAt: Date }, now: Date): InvitationStatus {
  return i.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

async function expiryFrom(db: Db, now: Date): Promise<Date> {
  const policy = await readOperatorPolicy(db);
  return new Date(now.getTime() + policy.invitationExpiryHours * 3_600_000);
}

/** Sends an e-mail as part of the caller's transaction: if it cannot be sent, nothing is saved. */
export async function sendInTransaction(db: Db, mail: MailMessage, what: string): Promise<void> {
  try {
    await sendMail(mail, { db });
  } catch (e) {
    logger.error({ error: scrubText(e instanceof Error ? e.message : String(e)) }, `${what} e-mail could not be sent`);
    throw new AppError("PRECONDITION_FAILED", `The ${what} e-mail could not be sent, so nothing was changed. Try again in a few minutes.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Tenant invitations (inside the tenant's transaction: tenantProcedure's scope)

export async function inviteMember(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  meta: RequestMeta | null,
  tenantName: string,
  input: z.infer<typeof inviteMemberInput>,
  now = new Date(),
): Promise<{ id: string; email: string; role: string; expiresAt: Date }> {
  const { token, hash } = newEmailToken();
  const expiresAt = await expiryFrom(scope.db, now);
  // A new invitation replaces the address's earlier pending ones in this tenant.
  await revokePendingTenantInvitationsFor(scope, input.email, now);
  const inv = await insertTenantInvitation(scope, {
    email: input.email,
    role: input.role,
    supportDays: input.role === "support" ? input.days! : null,
    tokenHash: hash,
    expiresAt,
    invitedBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
  });
  const details = { email: inv.email, role: inv.role, supportDays: inv.supportDays, expiresAt: inv.expiresAt };
  await audit.record({ action: "member.invited", targetType: "invitation", targetId: inv.id, after: details });
  await recordPlatformAudit(scope.db, actor, meta, { action: "invitation.sent", targetType: "invitation", targetId: inv.id, tenantId: scope.tenantId, details });
  const what = `${tenantName} as ${inv.role === "owner" ? "owner" : `support (read-only, ${inv.supportDays} days)`}`;
  await sendInTransaction(scope.db, invitationMail({ to: inv.email, token, what, expiresAt, inviter: actor.label ?? "A Credo Console operator" }), "invitation");
  return { id: inv.id, email: inv.email, role: inv.role, expiresAt: inv.expiresAt };
}

export async function listTenantInvitations(scope: TenantScope, now = new Date()) {
  const rows = await findPendingTenantInvitations(scope);
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, supportDays: r.supportDays, expiresAt: r.expiresAt, createdAt: r.createdAt, status: statusOf(r, now) }));
}

export async function revokeTenantInvitation(scope: TenantScope, audit: Auditor, actor: AuditActor, meta: RequestMeta | null, invitationId: string, now = new Date()) {
  const inv = await findTenantInvitation(scope, invitationId);
  if (!inv || inv.acceptedAt || inv.revokedAt) throw new AppError("NOT_FOUND", "No pending invitation with this id in this tenant.");
  await markTenantInvitationRevoked(scope, inv.id, now);
  const details = { email: inv.email, role: inv.role };
  await audit.record({ action: "member.invitation_revoked", targetType: "invitation", targetId: inv.id, before: details });
  await recordPlatformAudit(scope.db, actor, meta, { action: "invitation.revoked", targetType: "invitation", targetId: inv.id, tenantId: scope.tenantId, details });
}

// ---------------------------------------------------------------------------------------------
// Platform invitations (security admins; onPlatform transaction)

export async function invitePlatformUser(db: Db, actor: AuditActor, meta: RequestMeta | null, input: z.infer<typeof invitePlatformInput>, now = new Date()) {
  const { token, hash } = newEmailToken();
  const expiresAt = await expiryFrom(db, now);
  await revokePendingPlatformInvitationsFor(db, input.email, now);
  const inv = await insertPlatformInvitation(db, {
    email: input.email,
    platformRole: input.securityAdmin ? "security_admin" : null,
    tokenHash: hash,
    expiresAt,
    invitedBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
  });
  await recordPlatformAudit(db, actor, meta, {
    action: "invitation.sent",
    targetType: "invitation",
    targetId: inv.id,
    details: { email: inv.email, platformRole: inv.platformRole, expiresAt: inv.expiresAt },
  });
  const what = inv.platformRole ? "the console as security admin" : "the console";
  await sendInTransaction(db, invitationMail({ to: inv.email, token, what, expiresAt, inviter: actor.label ?? "A security admin" }), "invitation");
  return inv;
}

export async function listPlatformInvitations(db: Db, now = new Date()) {
  const rows = await findPendingPlatformInvitations(db);
  return rows.map((r) => ({ id: r.id, email: r.email, platformRole: r.platformRole, expiresAt: r.expiresAt, createdAt: r.createdAt, status: statusOf(r, now) }));
}

export async function revokePlatformInvitation(db: Db, actor: AuditActor, meta: RequestMeta | null, invitationId: string, now = new Date()) {
  if (!(await markPlatformInvitationRevoked(db, invitationId, now))) throw new AppError("NOT_FOUND", "No pending invitation with this id.");
  await recordPlatformAudit(db, actor, meta, { action: "invitation.revoked", targetType: "invitation", targetId: invitationId });
}

// ---------------------------------------------------------------------------------------------
// Accepting (public: the token is the credential)

type Found =
  | { kind: "platform"; id: string; email: string; platformRole: string | null; invitedBy: string | null }
  | { kind: "tenant"; id: string; email: string; role: "owner" | "support"; supportDays: number | null; tenantId: string; tenantSlug: string; tenantName: string };

/** The usable invitation for a token, or null (unknown, used, revoked, expired all alike). */
async function findByToken(db: Db, token: string, now: Date): Promise<Found | null> {
  const hash = hashToken(token);
  await presentTokenHash(db, hash);
  const p = await findLivePlatformInvitationByHash(db, hash, now);
  if (p) return { kind: "platform", ...p };
  const t = await findLiveTenantInvitationByHash(db, hash, now);
  if (!t || t.tenant.status !== "active") return null;
  return { kind: "tenant", id: t.id, email: t.email, role: t.role === "owner" ? "owner" : "support", supportDays: t.supportDays, tenantId: t.tenantId, tenantSlug: t.tenant.slug, tenantName: t.tenant.name };
}

/** What the accept page shows the token holder (the addressee). */
export async function describeInvitation(token: string, now = new Date()) {
  return onPlatform(async (db) => {
    const inv = await findByToken(db, token, now);
    if (!inv) throw new AppError("NOT_FOUND", INVALID_INVITATION);
    const accountId = await userIdByEmail(db, inv.email);
    return {
      email: inv.email,
      hasAccount: accountId !== null,
      target: inv.kind,
      tenantName: inv.kind === "tenant" ? inv.tenantName : null,
      role: inv.kind === "tenant" ? inv.role : inv.platformRole === "security_admin" ? "security_admin" : "operator",
      supportDays: inv.kind === "tenant" ? inv.supportDays : null,
    };
  });
}

export const acceptNewInput = z.object({
  token: z.string().min(1, "This invitation link is not valid."),
  name: z.string().trim().min(1, "Enter your name.").max(200, "A name has at most 200 characters."),
  password: newPasswordInput,
});

/** Marks the invitation used (exactly once) and adds what it grants to `user`, with audit events. */
async function redeem(db: Db, inv: Found, user: { id: string; email: string; platformRole: string | null }, meta: RequestMeta | null, now: Date) {
  const actor: AuditActor = { type: "user", id: user.id, label: user.email };
  if (inv.kind === "platform") {
    if (!(await redeemPlatformInvitation(db, inv.id, user.id, now))) throw new AppError("NOT_FOUND", INVALID_INVITATION);
    if (inv.platformRole === "security_admin" && user.platformRole !== "security_admin") {
      // The role is granted by the security admin who invited (the database insists on another,
      // active security admin): an invitation outlives nothing its author could no longer do.
      const inviter = inv.invitedBy ? await findUserRoleAndStatus(db, inv.invitedBy) : null;
      if (!inviter || inviter.platformRole !== "security_admin" || inviter.status !== "active" || inv.invitedBy === user.id) {
        throw new AppError("FORBIDDEN", "The security admin who sent this invitation can no longer grant the role. Ask a security admin for a new invitation.");
      }
      await setPlatformRole(db, inv.invitedBy!, user.id, "security_admin");
    }
    await recordPlatformAudit(db, actor, meta, { action: "invitation.accepted", targetType: "invitation", targetId: inv.id, details: { email: user.email, platformRole: inv.platformRole } });
    return { tenant: null as { slug: string; name: string } | null };
  }
  const scope = await enterTenant(db, tenantIdFromDatabase(inv.tenantId));
  if (!(await redeemTenantInvitation(scope, inv.id, user.id, now))) throw new AppError("NOT_FOUND", INVALID_INVITATION);
  // Security admins open every tenant already; the invitation is simply used up.
  if (user.platformRole !== "security_admin") {
    const before = await findMemberByUser(scope, user.id);
    // Accepting never downgrades: an owner invited as support stays owner.
    const role = before?.role === "owner" ? "owner" : inv.role;
    const expiresAt = role === "support" ? new Date(now.getTime() + inv.supportDays! * 86_400_000) : null;
    const m = await upsertMember(scope, { userId: user.id, role, expiresAt, createdBy: null });
    await recordAudit(scope, actor, meta, {
      action: "member.joined",
      targetType: "membership",
      targetId: m.id,
      before: before ? { user: user.email, role: before.role, expiresAt: before.expiresAt } : null,
      after: { user: user.email, role: m.role, expiresAt: m.expiresAt, invitation: inv.id },
    });
  }
  await recordPlatformAudit(db, actor, meta, {
    action: "invitation.accepted",
    targetType: "invitation",
    targetId: inv.id,
    tenantId: inv.tenantId,
    details: { email: user.email, role: inv.role },
  });
  return { tenant: { slug: inv.tenantSlug, name: inv.tenantName } };
}

/** A new person: creates the account (name + password) and accepts. Returns the e-mail to sign in with. */
export async function acceptAsNewUser(input: z.infer<typeof acceptNewInput>, meta: RequestMeta | null, now = new Date()) {
  const passwordHash = await hashPassword(input.password);
  return onPlatform(async (db) => {
    const inv = await findByToken(db, input.token, now);
    if (!inv) throw new AppError("NOT_FOUND", INVALID_INVITATION);
    assertStrongPassword(input.password, [inv.email, input.name]);
    if ((await userIdByEmail(db, inv.email)) !== null) throw new AppError("CONFLICT", `An account for ${inv.email} exists already: sign in, then accept the invitation.`);
    const platformRole = inv.kind === "platform" && inv.platformRole === "security_admin" ? "security_admin" : null;
    // Through the narrow functions (least privilege): the account without a role, its password with
    // the time it was set; a platform role is granted by redeem(), with the inviter as actor.
    const created = await createUser(db, { email: inv.email, name: input.name, passwordHash: null });
    await setUserPassword(db, created.id, passwordHash, now);
    const user = { id: created.id, email: created.email, platformRole: null as string | null };
    await recordPlatformAudit(db, { type: "user", id: user.id, label: user.email }, meta, {
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, platformRole, invitation: inv.id },
    });
    const r = await redeem(db, inv, user, meta, now);
    return { email: user.email, tenant: r.tenant };
  });
}

/** A signed-in operator accepts an invitation addressed to their own e-mail. */
export async function acceptAsSignedIn(token: string, operator: { id: string; email: string }, meta: RequestMeta | null, now = new Date()) {
  return onPlatform(async (db) => {
    const inv = await findByToken(db, token, now);
    if (!inv) throw new AppError("NOT_FOUND", INVALID_INVITATION);
    if (inv.email !== operator.email.toLowerCase()) {
      throw new AppError("FORBIDDEN", `This invitation is for ${inv.email}. Sign out and sign in with that address to accept it.`);
    }
    const user = await findUserIdentity(db, operator.id);
    if (!user) throw new AppError("NOT_FOUND", INVALID_INVITATION);
    return redeem(db, inv, user, meta, now);
  });
}
