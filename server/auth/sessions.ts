// Server-side operator sessions. The Auth.js JWT carries only the user id (uid) and this row's id
// (sid); loadOperator (server/tenancy/context.ts) checks the row on EVERY request, so sign-out,
// revocation, suspension, password changes, idle timeout and the absolute lifetime end a session
// on the next request, even while a copied cookie is still a validly signed JWT.
//
// Rows are visible to the user door (the user's own) and the platform door (all); RLS hides them
// from tenant-scoped transactions. A revocation is final (trigger).
import type { Db } from "../db/doors";
import { recordPlatformAudit } from "../audit/platform-record";
import { SYSTEM_ACTOR, type AuditActor, type RequestMeta } from "../audit/record";
import type { OperatorPolicy } from "./operator-policy";

/**
 * Why a session ended (revoked_reason, at most 64 characters); shown on the Sessions pages. Other
 * modules may add their own reasons (e.g. "factor_removed").
 */
export type RevokeReason = KnownRevokeReason | (string & {});
export type KnownRevokeReason =
  | "signed_out"
  | "revoked"
  | "signed_out_everywhere"
  | "revoked_by_admin"
  | "password_changed"
  | "password_reset"
  | "suspended"
  | "no_membership"
  | "idle"
  | "expired";

/** What tRPC procedures see of the current session (ctx.operatorSession). */
export interface OperatorSessionInfo {
  readonly id: string;
  readonly secondFactorVerifiedAt: Date | null;
  readonly lastVerifiedAt: Date;
  readonly createdAt: Date;
}

/** last_seen_at is written at most this often: the per-request check stays a read. */
export const LAST_SEEN_GRANULARITY_MS = 60_000;

export interface NewSession {
  userId: string;
  authMethod: "password" | "oidc" | string;
  ip: string | null;
  userAgent: string | null;
  /** Whether the sign-in itself proved a second factor (e.g. an IdP with MFA); default no. */
  secondFactorVerified?: boolean;
}

/** Creates the row at sign-in (the caller passes the platform door's db and the current policy). */
export async function createSession(db: Db, s: NewSession, policy: OperatorPolicy, now = new Date()): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + policy.sessionAbsoluteHours * 3_600_000);
  const row = await db.operatorSession.create({
    data: {
      userId: s.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: s.ip?.slice(0, 64) ?? null,
      userAgent: s.userAgent?.slice(0, 512) ?? null,
      authMethod: s.authMethod.slice(0, 32),
      secondFactorVerifiedAt: s.secondFactorVerified ? now : null,
      lastVerifiedAt: now,
    },
    select: { id: true, expiresAt: true },
  });
  return row;
}

/** The row as loadOperator reads it. */
export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  secondFactorVerifiedAt: Date | null;
  lastVerifiedAt: Date;
}

/**
 * Why a stored session may not be used at `now` (null = usable): revoked, past its absolute
 * lifetime (the shorter of the lifetime at sign-in and the current policy), or idle too long.
 */
export function sessionEndReason(s: SessionRow, policy: OperatorPolicy, now: Date): "revoked" | "expired" | "idle" | null {
  if (s.revokedAt) return "revoked";
  const absoluteEnd = Math.min(s.expiresAt.getTime(), s.createdAt.getTime() + policy.sessionAbsoluteHours * 3_600_000);
  if (now.getTime() >= absoluteEnd) return "expired";
  if (now.getTime() - s.lastSeenAt.getTime() >= policy.sessionIdleMinutes * 60_000) return "idle";
  return null;
}

/** Whether touchSession would write (last_seen_at is at least LAST_SEEN_GRANULARITY_MS old). */
export function sessionTouchDue(s: Pick<SessionRow, "lastSeenAt">, now: Date): boolean {
  return now.getTime() - s.lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY_MS;
}

/** Marks a session used (at most once a minute per session). */
export async function touchSession(db: Db, s: Pick<SessionRow, "id" | "lastSeenAt">, now: Date): Promise<void> {
  if (!sessionTouchDue(s, now)) return;
  await db.operatorSession.updateMany({ where: { id: s.id, revokedAt: null }, data: { lastSeenAt: now } });
}

/** Ends a timed-out session for good (idle/expired), recorded in the platform stream. */
export async function endTimedOutSession(db: Db, s: Pick<SessionRow, "id" | "userId">, reason: "idle" | "expired", now: Date): Promise<void> {
  const n = await db.operatorSession.updateMany({ where: { id: s.id, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
  if (n.count > 0) {
    await recordPlatformAudit(db, SYSTEM_ACTOR, null, { action: "session.ended", targetType: "session", targetId: s.id, details: { userId: s.userId, reason } });
  }
}

/**
 * Revokes one session. Returns false when it was not found for that user or already ended.
 * `userId` guards that a user can only revoke their own (security admins pass the owner's id).
 */
export async function revokeSession(
  db: Db,
  sessionId: string,
  reason: RevokeReason,
  opts: { userId?: string; actor?: AuditActor; meta?: RequestMeta | null; now?: Date } = {},
): Promise<boolean> {
  const now = opts.now ?? new Date();
  const n = await db.operatorSession.updateMany({
    where: { id: sessionId, revokedAt: null, ...(opts.userId ? { userId: opts.userId } : {}) },
    data: { revokedAt: now, revokedReason: reason.slice(0, 64) },
  });
  if (n.count === 0) return false;
  await recordPlatformAudit(db, opts.actor ?? SYSTEM_ACTOR, opts.meta ?? null, {
    action: "session.revoked",
    targetType: "session",
    targetId: sessionId,
    details: { reason, ...(opts.userId ? { userId: opts.userId } : {}) },
  });
  return true;
}

/**
 * Revokes every live session of a user (password change/reset, suspension, last membership
 * removed, "sign out everywhere"), optionally except the current one. Returns how many ended;
 * records one "session.revoked_all" event when any did.
 */
export async function revokeAllSessionsOf(
  db: Db,
  userId: string,
  reason: RevokeReason,
  opts: { except?: string; actor?: AuditActor; meta?: RequestMeta | null; now?: Date } = {},
): Promise<number> {
  const now = opts.now ?? new Date();
  const n = await db.operatorSession.updateMany({
    where: { userId, revokedAt: null, ...(opts.except ? { id: { not: opts.except } } : {}) },
    data: { revokedAt: now, revokedReason: reason.slice(0, 64) },
  });
  if (n.count > 0) {
    await recordPlatformAudit(db, opts.actor ?? SYSTEM_ACTOR, opts.meta ?? null, {
      action: "session.revoked_all",
      targetType: "user",
      targetId: userId,
      details: { reason, count: n.count, keptCurrent: Boolean(opts.except) },
    });
  }
  return n.count;
}

/** The second factor was verified in this session (after password sign-in). */
export async function markSecondFactorVerified(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.operatorSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { secondFactorVerifiedAt: now, lastVerifiedAt: now } });
}

/** The user proved password or factor again (step-up). */
export async function markReauthenticated(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.operatorSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastVerifiedAt: now } });
}

/** Sessions listed on the Sessions pages: live ones first, newest first, plus recently ended ones. */
export async function listSessionsOf(db: Db, userId: string, now = new Date()) {
  const rows = await db.operatorSession.findMany({
    where: { userId, OR: [{ revokedAt: null, expiresAt: { gt: now } }, { revokedAt: { gt: new Date(now.getTime() - 7 * 86_400_000) } }] },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, revokedAt: true, revokedReason: true, ip: true, userAgent: true, authMethod: true, secondFactorVerifiedAt: true },
  });
  return rows;
}
