// Password reset by e-mail (no oracle, single-use, 1 hour, revokes every session) and password change
// (current password required, other sessions revoked). E-mail goes through a real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { onPlatform } from "../db/doors";
import { createSession } from "../auth/sessions";
import { readOperatorPolicy } from "../auth/operator-policy";
import { authenticate } from "../auth/credentials";
import { hashPassword } from "../auth/password";
import { callerFor, makeUser, rejection, rejectionDetail, sessionFor, uniq } from "../testing/fixtures";
import type { TestSmtp } from "../testing/smtp";
import { INVALID_RESET, RESET_REQUESTED, requestPasswordReset, resetPassword } from "./passwords";
import { tokenFromMail, useTestSmtp } from "../testing/accounts";
import { setUserPassword } from "./platform-users-repository";
import { installStatementLog, recordCalls } from "../db/statement-log";

let smtp: TestSmtp;
const OLD = "an old but decent passphrase 1";
const NEW = "purple elephants juggle quietly 7";

beforeAll(async () => {
  smtp = await useTestSmtp();
});
afterAll(() => smtp.close());

async function userWithPassword() {
  const u = await makeUser({ email: `${uniq("pw")}@example.test` });
  const passwordHash = await hashPassword(OLD);
  await onPlatform((db) => setUserPassword(db, u.id, passwordHash));
  return u;
}

async function sessionsOf(userId: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await onPlatform(async (db) => (await createSession(db, { userId, authMethod: "password", ip: null, userAgent: "vitest" }, await readOperatorPolicy(db))).id));
  }
  return ids;
}

async function liveSessions(userId: string) {
  return onPlatform((db) => db.operatorSession.findMany({ where: { userId, revokedAt: null }, select: { id: true } }));
}

async function answer(p: Promise<unknown>) {
  try {
    return { ok: true, body: await p };
  } catch (e) {
    if (e instanceof TRPCError) return { ok: false, code: e.code, body: e.message };
    throw e;
  }
}

describe("password reset request", () => {
  it("answers the same, with the same calls, for a known and an unknown address; only the known one gets mail", async () => {
    // No timing in tests: what would make the timing differ is work that depends on the address. The
    // calls the request sends before it answers (SQL and Redis, statement-log) are the same for both,
    // and none of them reads the users table — the lookup runs after the answer (deliverLater).
    installStatementLog();
    const known = await userWithPassword();
    const unknown = `${uniq("ghost")}@example.test`;
    const pub = callerFor(null);
    const since = smtp.received.length;
    const sent: Record<"known" | "unknown", string[]> = { known: [], unknown: [] };
    for (const [k, email] of [["known", known.email], ["unknown", unknown]] as const) {
      const { result, calls } = await recordCalls(() => answer(pub.account.requestPasswordReset({ email })));
      expect(result).toEqual({ ok: true, body: { message: RESET_REQUESTED } });
      sent[k] = calls.map((c) => `${c.kind}:${c.text.replace(/'[^']*'|\$\d+/g, "?")}`);
      // The known address's deferred work ends with its mail: wait for it, so that none of it is
      // recorded as the unknown address's request.
      if (k === "known") await tokenFromMail(smtp, known.email, "reset-password", since);
    }
    expect(sent.known).toEqual(sent.unknown);
    expect(sent.known.some((c) => /\busers\b|password_reset/i.test(c))).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.slice(since).some((m) => m.to.includes(unknown))).toBe(false);
  });

  it("is rate limited per address and IP, known or not", async () => {
    const pub = callerFor(null);
    const email = `${uniq("flood")}@example.test`;
    for (let i = 0; i < 5; i++) await pub.account.requestPasswordReset({ email });
    expect((await rejection(pub.account.requestPasswordReset({ email }))).code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("password reset", () => {
  it("sets the new password, revokes every session, and works once", async () => {
    const u = await userWithPassword();
    await sessionsOf(u.id, 2);
    const since = smtp.received.length;
    await callerFor(null).account.requestPasswordReset({ email: u.email });
    const token = await tokenFromMail(smtp, u.email, "reset-password", since);
    const stored = await onPlatform((db) => db.passwordResetToken.findFirstOrThrow({ where: { userId: u.id, usedAt: null } }));
    expect(stored.tokenHash).not.toContain(token);

    await expect(callerFor(null).account.resetPassword({ token, password: NEW })).resolves.toEqual({ email: u.email });
    expect(await liveSessions(u.id)).toEqual([]);
    expect((await authenticate({ email: u.email, password: NEW }, "198.51.100.1")).ok).toBe(true);
    expect((await authenticate({ email: u.email, password: OLD }, "198.51.100.2")).ok).toBe(false);

    const again = await rejection(callerFor(null).account.resetPassword({ token, password: "another fine passphrase 9" }));
    expect(again).toEqual({ code: "NOT_FOUND", message: INVALID_RESET });
    const events = await onPlatform((db) => db.platformAuditEvent.findMany({ where: { targetId: u.id, action: { in: ["password.reset", "session.revoked_all"] } } }));
    expect(events.map((e) => e.action).sort()).toEqual(["password.reset", "session.revoked_all"]);
  });

  it("expires after one hour (injected clock); a newer request replaces the older link", async () => {
    const u = await userWithPassword();
    const t0 = new Date("2031-05-01T10:00:00Z");
    let since = smtp.received.length;
    await requestPasswordReset({ email: u.email }, null, t0);
    const first = await tokenFromMail(smtp, u.email, "reset-password", since);
    await expect(resetPassword({ token: first, password: NEW }, null, new Date(t0.getTime() + 3_601_000))).rejects.toThrow(INVALID_RESET);

    since = smtp.received.length;
    await requestPasswordReset({ email: u.email }, null, t0);
    const second = await tokenFromMail(smtp, u.email, "reset-password", since);
    await expect(resetPassword({ token: first, password: NEW }, null, t0)).rejects.toThrow(INVALID_RESET);
    await expect(resetPassword({ token: second, password: NEW }, null, new Date(t0.getTime() + 3_500_000))).resolves.toEqual({ email: u.email });
  });

  it("refuses a weak password without using up the link", async () => {
    const u = await userWithPassword();
    const since = smtp.received.length;
    await callerFor(null).account.requestPasswordReset({ email: u.email });
    const token = await tokenFromMail(smtp, u.email, "reset-password", since);
    expect((await rejection(callerFor(null).account.resetPassword({ token, password: "aaaaaaaaaaaa" }))).message).toMatch(/too easy to guess/);
    await expect(callerFor(null).account.resetPassword({ token, password: NEW })).resolves.toEqual({ email: u.email });
  });
});

describe("change password", () => {
  it("requires the current password, then revokes the other sessions", async () => {
    const u = await userWithPassword();
    await sessionsOf(u.id, 2);
    const me = callerFor(u.id);
    const current = (await sessionFor(u.id)).sid;
    const wrong = await rejection(me.account.changePassword({ currentPassword: "not my password at all", newPassword: NEW }));
    expect(wrong).toEqual({ code: "BAD_REQUEST", message: "The current password is not correct." });
    // Forms put it beside the field it names (error.data.field / appCode), not by parsing the text.
    expect(await rejectionDetail(me.account.changePassword({ currentPassword: "not my password at all", newPassword: NEW }))).toEqual({
      field: "currentPassword",
      appCode: "WRONG_PASSWORD",
    });
    expect(await rejectionDetail(me.account.changePassword({ currentPassword: OLD, newPassword: "aaaaaaaaaaaa" }))).toEqual({
      field: "newPassword",
      appCode: "PASSWORD_TOO_WEAK",
    });
    expect(await liveSessions(u.id)).toHaveLength(3);

    await expect(me.account.changePassword({ currentPassword: OLD, newPassword: NEW })).resolves.toEqual({ ok: true });
    // The session that changed the password stays; the two others end.
    expect(await liveSessions(u.id)).toEqual([{ id: current }]);
    expect((await authenticate({ email: u.email, password: NEW }, "198.51.100.3")).ok).toBe(true);
  });

  it("the profile shows name and e-mail, never the hash", async () => {
    const u = await userWithPassword();
    const p = await callerFor(u.id).account.profile();
    expect(p).toMatchObject({ email: u.email, hasPassword: true });
    expect(JSON.stringify(p)).not.toContain("argon2");
    await callerFor(u.id).account.updateName({ name: "Renamed Person" });
    expect((await callerFor(u.id).account.profile()).name).toBe("Renamed Person");
  });
});
