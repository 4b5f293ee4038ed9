// The security admins' view of console accounts: search, status, last sign-in, memberships, and the
// account actions (suspend, reactivate, force a password reset, revoke all sessions). Each action
// writes a platform audit event with the admin's reason.
import { z } from "zod";
import { asUser, enterTenant, inTenant, onPlatform, type Db } from "../db/doors";
import { auditorFor, type AuditActor, type RequestMeta } from "../audit/record";
import { countApiKeysCreatedBy, revokeApiKeysCreatedBy } from "../api-keys/service";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { recordPlatformAudit } from "../audit/platform-record";
import { revokeAllSessionsOf } from "../auth/sessions";
import { clearUserPassword, confirmedFactorCounts, findUserStatus, lastSessionStarts, pageUsers, setUserStatus, usersWithPassword } from "./platform-users-repository";
import { membershipsByUser, ownMembershipTenants } from "../members/repository";
import { newestOutboxMessages } from "../mail/outbox-repository";
import { AppError } from "../isomorphic/errors";
import { sendInTransaction } from "./invitations";
import { issueResetToken } from "./passwords";

export const PAGE_SIZE = 25;

export const listUsersInput = z.object({
  search: z.string().trim().max(320, "Search for at most 320 characters.").optional(),
  /** E-mail to continue after (keyset paging on the unique e-mail index). */
  after: z.string().max(320).nullish(),
  limit: z.number().int().min(1).max(100).default(PAGE_SIZE),
});

export const userActionInput = z.object({
  userId: z.string().uuid("Unknown user."),
  reason: z.string().trim().min(3, "Give a reason (at least 3 characters); it is kept in the platform audit trail.").max(500, "A reason has at most 500 characters."),
});

export interface SecondFactorState {
  totp: boolean;
  passkeys: number;
}
const NO_SECOND_FACTOR: SecondFactorState = { totp: false, passkeys: 0 };

/** Confirmed factors of a page of users, in one query (never secrets: kinds and counts only). */
async function secondFactorStates(db: Db, userIds: string[]): Promise<Map<string, SecondFactorState>> {
  if (userIds.length === 0) return new Map();
  const rows = await confirmedFactorCounts(db, userIds);
  const states = new Map<string, SecondFactorState>();
  for (const r of rows) {
    const s = states.get(r.userId) ?? { ...NO_SECOND_FACTOR };
    if (r.kind === "passkey") s.passkeys += r.count;
    else s.totp = true;
    states.set(r.userId, s);
  }
  return states;
}

export async function listUsers(input: z.infer<typeof listUsersInput>, now = new Date()) {
  const search = input.search?.toLowerCase();
  return onPlatform(async (db) => {
    const rows = await pageUsers(db, { search, after: input.after, limit: input.limit });
    const hasMore = rows.length > input.limit;
    const page = hasMore ? rows.slice(0, input.limit) : rows;
    const ids = page.map((u) => u.id);
    // Last sign-in: the newest server-side session of each user on the page.
    const lastSignIn = await lastSessionStarts(db, ids);
    // The runtime cannot read password hashes (least privilege): only whether one is set.
    const withPassword = await usersWithPassword(db, ids);
    const mfa = await secondFactorStates(db, ids);
    // Memberships are tenant-owned rows: each user's are read in that user's own scope (RLS shows a
    // user their own memberships), never through a door that sees every tenant.
    const memberships = await membershipsByUser(db, ids);
    const items = page.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      status: u.status,
      platformRole: u.platformRole,
      lastSignInAt: lastSignIn.get(u.id) ?? null,
      createdAt: u.createdAt,
      passwordChangedAt: u.passwordChangedAt,
      hasPassword: withPassword.has(u.id),
      secondFactor: mfa.get(u.id) ?? NO_SECOND_FACTOR,
      memberships: (memberships.get(u.id) ?? []).map((m) => ({
        ...m,
        expired: m.expiresAt !== null && m.expiresAt.getTime() <= now.getTime(),
      })),
    }));
    return { items, nextAfter: hasMore ? page[page.length - 1]!.email : null };
  });
}

async function target(db: Db, userId: string) {
  const u = await findUserStatus(db, userId);
  if (!u) throw new AppError("NOT_FOUND", "User not found.");
  return u;
}

export const suspendUserInput = userActionInput.extend({
  /** Revoke the API keys the user created, in every tenant they belong to (default: yes). */
  revokeApiKeys: z.boolean({ error: "revokeApiKeys is true or false." }).default(true),
});

/** The tenants a user belongs to, read in that user's own scope (RLS shows a user their memberships). */
async function tenantsOf(userId: string) {
  return asUser(userId, (db) => ownMembershipTenants(db, userId)).then((rows) => rows.map((r) => ({ id: tenantIdFromDatabase(r.tenant.id), slug: r.tenant.slug, name: r.tenant.name })));
}

/** What suspending would also end: the working API keys the user created, per tenant they belong to. */
export async function suspensionImpact(userId: string) {
  const tenants = [];
  for (const t of await tenantsOf(userId)) {
    const apiKeys = await inTenant(t.id, (scope) => countApiKeysCreatedBy(scope, userId));
    if (apiKeys > 0) tenants.push({ slug: t.slug, name: t.name, apiKeys });
  }
  return { apiKeys: tenants.reduce((n, t) => n + t.apiKeys, 0), tenants };
}

export async function suspendUser(actor: AuditActor, meta: RequestMeta | null, input: z.input<typeof suspendUserInput>) {
  if (actor.id === input.userId) throw new AppError("BAD_REQUEST", "You cannot suspend your own account.");
  const tenants = input.revokeApiKeys === false ? [] : await tenantsOf(input.userId);
  let revokedApiKeys = 0;
  await onPlatform(async (db) => {
    const u = await target(db, input.userId);
    if (u.status === "suspended") throw new AppError("CONFLICT", `${u.email} is suspended already.`);
    await revokeAllSessionsOf(db, u.id, "suspended", { actor, meta });
    await setUserStatus(db, u.id, "suspended");
    await recordPlatformAudit(db, actor, meta, {
      action: "user.suspended", targetType: "user", targetId: u.id,
      details: { email: u.email, reason: input.reason, revokeApiKeys: input.revokeApiKeys !== false },
    });
    // Same transaction: each tenant's keys are revoked in that tenant's scope, one event per key in
    // that tenant's own trail (platform rows are done above; the scope only moves between tenants).
    for (const t of tenants) {
      const scope = await enterTenant(db, t.id);
      revokedApiKeys += (await revokeApiKeysCreatedBy(scope, u.id, auditorFor(scope, actor, meta), { byLabel: actor.label ?? actor.type, reason: "creator_suspended" })).length;
    }
  });
  return { ok: true as const, revokedApiKeys };
}

export async function reactivateUser(actor: AuditActor, meta: RequestMeta | null, input: z.infer<typeof userActionInput>) {
  await onPlatform(async (db) => {
    const u = await target(db, input.userId);
    if (u.status === "active") throw new AppError("CONFLICT", `${u.email} is active already.`);
    await setUserStatus(db, u.id, "active");
    await recordPlatformAudit(db, actor, meta, { action: "user.reactivated", targetType: "user", targetId: u.id, details: { email: u.email, reason: input.reason } });
  });
  return { ok: true as const };
}

/** The password stops working at once, every session ends, and a reset link is e-mailed. */
export async function forcePasswordReset(actor: AuditActor, meta: RequestMeta | null, input: z.infer<typeof userActionInput>, now = new Date()) {
  await onPlatform(async (db) => {
    const u = await target(db, input.userId);
    await clearUserPassword(db, u.id);
    await revokeAllSessionsOf(db, u.id, "password_reset", { actor, meta });
    const mail = await issueResetToken(db, u, true, now);
    await recordPlatformAudit(db, actor, meta, { action: "password.reset_forced", targetType: "user", targetId: u.id, details: { email: u.email, reason: input.reason } });
    await sendInTransaction(db, mail, "password reset");
  });
  return { ok: true as const };
}

export async function revokeUserSessions(actor: AuditActor, meta: RequestMeta | null, input: z.infer<typeof userActionInput>) {
  await onPlatform(async (db) => {
    const u = await target(db, input.userId);
    const count = await revokeAllSessionsOf(db, u.id, "revoked_by_admin", { actor, meta });
    await recordPlatformAudit(db, actor, meta, { action: "user.sessions_revoked", targetType: "user", targetId: u.id, details: { email: u.email, reason: input.reason, count } });
  });
  return { ok: true as const };
}

export const outboxInput = z.object({ limit: z.number().int().min(1).max(200).default(50) });

/** The dev outbox (no SMTP_URL): newest first. Security admins only (the procedure checks). */
export function listOutbox(input: z.infer<typeof outboxInput>) {
  return onPlatform((db) => newestOutboxMessages(db, input.limit));
}
