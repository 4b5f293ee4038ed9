// E-mail + password verification for the sign-in form, independent of Auth.js so it can be tested
// directly. Unknown user, suspended user, SSO-only user and wrong password all give "invalid" after
// the same amount of work.
import { z } from "zod";
import { onPlatform } from "../db/doors";
import { findUserContact, userCredentials } from "../accounts/platform-users-repository";
import { burnPasswordCheck, verifyPassword } from "./password";
import { recordFailedSignIn, recordSuccessfulSignIn, signInBlockedFor } from "./throttle";
import { recordSignInFailure, recordSignInLocked, type SignInMeta } from "./sign-in-events";
import { logger } from "../observability/logger";

export const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().max(320).email(),
  password: z.string().min(1).max(1024),
});

export type AuthenticateResult =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export async function authenticate(raw: unknown, ip: string, userAgent: string | null = null): Promise<AuthenticateResult> {
  const parsed = credentialsInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const meta: SignInMeta = { ip, userAgent };

  const retryAfterSeconds = await signInBlockedFor(email, ip);
  if (retryAfterSeconds > 0) {
    await recordSignInFailure({ email }, "throttled", "password", meta);
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }

  const user = await onPlatform(async (db) => {
    const cred = await userCredentials(db, email);
    if (!cred) return null;
    const profile = await findUserContact(db, cred.id);
    return profile ? { ...cred, ...profile } : null;
  });
  const valid = user?.passwordHash && user.status === "active" ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!valid || !user) {
    await recordFailedSignIn(email, ip);
    // Recorded, never told: the form answers the same for every reason.
    const reason = user && user.status !== "active" && user.passwordHash ? "suspended" : "invalid";
    await recordSignInFailure({ email, userId: user?.id ?? null }, reason, "password", meta);
    const lockedFor = await signInBlockedFor(email, ip);
    if (lockedFor > 0) await recordSignInLocked({ email, userId: user?.id ?? null }, lockedFor, meta);
    // For operations: the user id when known — never the e-mail address or anything typed.
    logger.info({ reason, userId: user?.id ?? null, locked: lockedFor > 0 }, "sign-in failed");
    return { ok: false, reason: "invalid" };
  }
  await recordSuccessfulSignIn(email, ip);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
