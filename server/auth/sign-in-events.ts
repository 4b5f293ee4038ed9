// What happens in the database when an operator signs in or fails to: a server-side session row
// (server/auth/sessions.ts) and platform audit events (signin.succeeded / signin.failed /
// signin.locked). The person at the form learns none of the failure reasons (one message for
// all); the reason is only in the platform stream.
import { onPlatform } from "../db/doors";
import { recordPlatformAudit } from "../audit/platform-record";
import type { RequestMeta } from "../audit/record";
import { readOperatorPolicy } from "./operator-policy";
import { createSession, revokeSession } from "./sessions";

export type SignInFailureReason = "invalid" | "throttled" | "suspended" | "unverified_email" | "unknown_user";

export interface SignInMeta {
  ip: string | null;
  userAgent: string | null;
  requestId?: string | null;
}

function metaOf(m: SignInMeta): RequestMeta {
  return { requestId: m.requestId ?? crypto.randomUUID(), ip: m.ip, userAgent: m.userAgent };
}

/** Creates the session and records signin.succeeded, in one transaction. Returns the session id. */
export async function startOperatorSession(user: { id: string; email: string }, method: "password" | "oidc", meta: SignInMeta, now = new Date()): Promise<string> {
  return onPlatform(async (db) => {
    const policy = await readOperatorPolicy(db);
    const s = await createSession(db, { userId: user.id, authMethod: method, ip: meta.ip, userAgent: meta.userAgent }, policy, now);
    await recordPlatformAudit(db, { type: "user", id: user.id, label: user.email }, metaOf(meta), {
      action: "signin.succeeded",
      targetType: "session",
      targetId: s.id,
      details: { method },
    });
    return s.id;
  });
}

/** A refused sign-in (the form says the same thing whatever the reason). */
export async function recordSignInFailure(
  attempt: { email: string; userId?: string | null },
  reason: SignInFailureReason,
  method: "password" | "oidc",
  meta: SignInMeta,
): Promise<void> {
  await onPlatform((db) =>
    recordPlatformAudit(db, { type: "user", id: attempt.userId ?? null, label: attempt.email.slice(0, 320) || null }, metaOf(meta), {
      action: "signin.failed",
      targetType: "user",
      targetId: attempt.userId ?? null,
      outcome: "failure",
      details: { method, reason },
    }),
  );
}

/** The failure that made the throttle lock the account (at this address) for a while. */
export async function recordSignInLocked(attempt: { email: string; userId?: string | null }, retryAfterSeconds: number, meta: SignInMeta): Promise<void> {
  await onPlatform((db) =>
    recordPlatformAudit(db, { type: "user", id: attempt.userId ?? null, label: attempt.email.slice(0, 320) || null }, metaOf(meta), {
      action: "signin.locked",
      targetType: "user",
      targetId: attempt.userId ?? null,
      outcome: "failure",
      details: { retryAfterSeconds },
    }),
  );
}

/** Auth.js sign-out: the session row is revoked, so the (still signed) cookie stops working. */
export async function endOperatorSession(userId: string | null, sessionId: string | null, meta: SignInMeta | null): Promise<void> {
  if (!sessionId || !userId) return;
  await onPlatform((db) =>
    revokeSession(db, sessionId, "signed_out", { userId, actor: { type: "user", id: userId, label: null }, meta: meta ? metaOf(meta) : null }),
  );
}
