// Password reset by e-mail and password change.
//   request  same answer and comparable time for known and unknown addresses: the lookup happens,
//            the e-mail (known, active accounts only) is sent after the response, not before it.
//   reset    single-use, 1-hour token; every session of the account is revoked.
//   change   the current password is required; the user's other sessions are revoked.
import { z } from "zod";
import { onPlatform, type Db } from "../db/doors";
import type { AuditActor, RequestMeta } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { revokeAllSessionsOf } from "../auth/sessions";
import { findUserStatusByEmail, setUserPassword, userCredentials } from "./platform-users-repository";
import { consumeResetToken, expireUnusedResetTokens, findLiveResetToken, insertResetToken } from "./reset-tokens-repository";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../auth/password";
import { recordFailedSignIn, recordSuccessfulSignIn, signInBlockedFor } from "../auth/throttle";
import { AppError } from "../isomorphic/errors";
import { deliverLater, passwordResetMail } from "../mail/messages";
import { sendMail, type MailMessage } from "../mail/send";
import { changePasswordInput, newPasswordInput } from "../isomorphic/accounts/inputs";
import { assertStrongPassword } from "./password-policy";
import { hashToken, newEmailToken } from "./tokens";

export const RESET_TOKEN_HOURS = 1;
export const INVALID_RESET = "This password reset link is not valid any more: it was used or has expired. Ask for a new one.";
export const RESET_REQUESTED = "If an account uses this address, we have sent it a link to choose a new password. The link expires in 1 hour.";

export const requestResetInput = z.object({ email: z.string().trim().toLowerCase().email("Enter a valid e-mail address.").max(320) });
export const resetPasswordInput = z.object({ token: z.string().min(1, "This password reset link is not valid."), password: newPasswordInput });
// Shared with the change-password form (isomorphic module).
export { changePasswordInput } from "../isomorphic/accounts/inputs";

/** Inside a platform transaction: a fresh reset token for the user; earlier unused ones stop working. */
export async function issueResetToken(db: Db, user: { id: string; email: string }, forced: boolean, now: Date): Promise<MailMessage> {
  await expireUnusedResetTokens(db, user.id, now);
  const { token, hash } = newEmailToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_HOURS * 3_600_000);
  await insertResetToken(db, { userId: user.id, tokenHash: hash, expiresAt, createdAt: now });
  return passwordResetMail({ to: user.email, token, expiresAt, forced });
}

export async function requestPasswordReset(input: z.infer<typeof requestResetInput>, meta: RequestMeta | null, now = new Date()) {
  // Everything that depends on whether the address is known — the lookup, the token, the audit event
  // and the e-mail — happens after the response, so the answer's timing tells nothing (the token and
  // audit writes alone took ~100 ms more than an unknown address under load).
  deliverLater(async () => {
    const mail = await onPlatform(async (db) => {
      const user = await findUserStatusByEmail(db, input.email);
      if (!user || user.status !== "active") return null;
      const m = await issueResetToken(db, user, false, now);
      await recordPlatformAudit(db, { type: "user", id: null, label: null }, meta, { action: "password.reset_requested", targetType: "user", targetId: user.id });
      return m;
    });
    if (mail) await sendMail(mail);
  }, "password reset");
  return { message: RESET_REQUESTED };
}

export async function resetPassword(input: z.infer<typeof resetPasswordInput>, meta: RequestMeta | null, now = new Date()) {
  const hash = hashToken(input.token);
  const found = await onPlatform((db) => findLiveResetToken(db, hash, now));
  if (!found || found.user.status !== "active") throw new AppError("NOT_FOUND", INVALID_RESET);
  assertStrongPassword(input.password, [found.user.email, found.user.name]);
  const passwordHash = await hashPassword(input.password);
  return onPlatform(async (db) => {
    // Single use: only the request that flips used_at goes on.
    if (!(await consumeResetToken(db, found.id, now))) throw new AppError("NOT_FOUND", INVALID_RESET);
    await expireUnusedResetTokens(db, found.user.id, now);
    await setUserPassword(db, found.user.id, passwordHash, now);
    await revokeAllSessionsOf(db, found.user.id, "password_reset", { actor: { type: "user", id: found.user.id, label: found.user.email }, meta });
    await recordPlatformAudit(db, { type: "user", id: found.user.id, label: found.user.email }, meta, { action: "password.reset", targetType: "user", targetId: found.user.id });
    return { email: found.user.email };
  });
}

export async function changePassword(
  operator: { id: string; email: string; name: string },
  currentSessionId: string | null,
  input: z.infer<typeof changePasswordInput>,
  meta: RequestMeta | null,
  now = new Date(),
) {
  const ip = meta?.ip ?? "unknown";
  if ((await signInBlockedFor(operator.email, ip)) > 0) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many wrong passwords. Try again in a few minutes.");
  }
  // The hash is read only through the sign-in credential function (least privilege), by e-mail.
  const cred = await onPlatform((db) => userCredentials(db, operator.email));
  const stored = cred?.id === operator.id ? cred : null;
  const ok = stored?.passwordHash ? await verifyPassword(stored.passwordHash, input.currentPassword) : (await burnPasswordCheck(input.currentPassword), false);
  if (!ok) {
    await recordFailedSignIn(operator.email, ip);
    throw new AppError("WRONG_PASSWORD", "The current password is not correct.", { field: "currentPassword" });
  }
  await recordSuccessfulSignIn(operator.email, ip);
  if (input.newPassword === input.currentPassword) throw new AppError("PASSWORD_UNCHANGED", "Choose a password different from the current one.", { field: "newPassword" });
  assertStrongPassword(input.newPassword, [operator.email, operator.name], "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await onPlatform(async (db) => {
    await setUserPassword(db, operator.id, passwordHash, now);
    const actor: AuditActor = { type: "user", id: operator.id, label: operator.email };
    await revokeAllSessionsOf(db, operator.id, "password_changed", { ...(currentSessionId ? { except: currentSessionId } : {}), actor, meta });
    await recordPlatformAudit(db, actor, meta, { action: "password.changed", targetType: "user", targetId: operator.id });
  });
  return { ok: true as const };
}
