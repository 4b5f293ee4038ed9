// The security admins' Users page procedures: search with keyset paging, suspend/reactivate
// (suspension ends every session), force a password reset (mail over SMTP, old password dead),
// revoke all sessions — each audited with its reason; refused to everyone but security admins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, inTenant, onPlatform } from "../db/doors";
import { installStatementLog, recordCalls, summarize } from "../db/statement-log";
import { upsertMember } from "../members/repository";
import { createSession } from "../auth/sessions";
import { readOperatorPolicy } from "../auth/operator-policy";
import { authenticate } from "../auth/credentials";
import { hashPassword } from "../auth/password";
import { env } from "../env";
import { callerFor, makeUser, rejection, twoTenantWorld, uniq } from "../testing/fixtures";
import type { TestSmtp } from "../testing/smtp";
import { tokenFromMail, useTestSmtp } from "../testing/accounts";
import { setUserPassword } from "./platform-users-repository";

let smtp: TestSmtp;
let w: Awaited<ReturnType<typeof twoTenantWorld>>;

beforeAll(async () => {
  installStatementLog();
  smtp = await useTestSmtp();
  w = await twoTenantWorld();
});
afterAll(() => smtp.close());

async function withSession(email = `${uniq("acct")}@example.test`) {
  const u = await makeUser({ email });
  const passwordHash = await hashPassword("a perfectly fine passphrase 3");
  await onPlatform(async (db) => {
    await setUserPassword(db, u.id, passwordHash);
    await createSession(db, { userId: u.id, authMethod: "password", ip: null, userAgent: "vitest" }, await readOperatorPolicy(db));
  });
  return u;
}
const live = (userId: string) => onPlatform((db) => db.operatorSession.count({ where: { userId, revokedAt: null } }));
const events = (userId: string, action: string) => onPlatform((db) => db.platformAuditEvent.findMany({ where: { targetId: userId, action } }));

describe("platform users", () => {
  it("searches by e-mail or name, pages by e-mail, and shows memberships and last sign-in", async () => {
    const tag = uniq("srch");
    for (let i = 0; i < 3; i++) await withSession(`${tag}-${i}@example.test`);
    const admin = callerFor(w.admin.id);
    const first = await admin.platform.users.list({ search: tag, limit: 2 });
    expect(first.items.map((u) => u.email)).toEqual([`${tag}-0@example.test`, `${tag}-1@example.test`]);
    const second = await admin.platform.users.list({ search: tag, limit: 2, after: first.nextAfter });
    expect(second.items.map((u) => u.email)).toEqual([`${tag}-2@example.test`]);
    expect(second.nextAfter).toBeNull();
    expect(first.items[0]!.lastSignInAt).toBeInstanceOf(Date);

    const owner = (await admin.platform.users.list({ search: w.ownerA.email })).items[0]!;
    expect(owner.memberships).toEqual([expect.objectContaining({ tenantSlug: w.a.slug, role: "owner" })]);
    expect(JSON.stringify(owner)).not.toContain("argon2");
  });

  it("lists every user's memberships across tenants (expired ones flagged) in a handful of statements, whatever the page size", async () => {
    const tag = uniq("mships");
    const users: { id: string }[] = [];
    for (let i = 0; i < 6; i++) users.push(await makeUser({ email: `${tag}-${i}@example.test` }));
    const past = new Date(Date.now() - 60_000);
    await inTenant(w.a.id, (scope) => upsertMember(scope, { userId: users[0]!.id, role: "support", expiresAt: past, createdBy: null }));
    await inTenant(w.b.id, (scope) => upsertMember(scope, { userId: users[0]!.id, role: "owner", expiresAt: null, createdBy: null }));
    await inTenant(w.b.id, (scope) => upsertMember(scope, { userId: users[3]!.id, role: "owner", expiresAt: null, createdBy: null }));
    const admin = callerFor(w.admin.id);
    await admin.platform.users.list({ search: tag });
    const { result, calls } = await recordCalls(() => admin.platform.users.list({ search: tag }));
    const bySlug = <M extends { tenantSlug: string }>(list: M[]) => [...list].sort((x, y) => x.tenantSlug.localeCompare(y.tenantSlug));
    expect(bySlug(result.items[0]!.memberships)).toEqual(
      bySlug([
        { tenantSlug: w.a.slug, tenantName: expect.any(String), role: "support", expiresAt: past, expired: true },
        { tenantSlug: w.b.slug, tenantName: expect.any(String), role: "owner", expiresAt: null, expired: false },
      ]),
    );
    expect(result.items[3]!.memberships).toEqual([expect.objectContaining({ tenantSlug: w.b.slug, role: "owner", expired: false })]);
    expect(result.items.filter((_, i) => i !== 0 && i !== 3).every((u) => u.memberships.length === 0)).toBe(true);
    // One statement for all six users' memberships (it was two per user).
    expect(summarize(calls).statements).toBeLessThanOrEqual(8);
  });

  it("credo_memberships_by_user reads in each user's own scope and leaves the caller's scope as it was", async () => {
    const after = await asUser(w.ownerA.id, async (db) => {
      const rows = await db.$queryRaw<{ member_id: string }[]>`SELECT member_id FROM credo_memberships_by_user(${[w.ownerB.id, w.supportA.id]}::uuid[])`;
      const [scope] = await db.$queryRaw<{ user: string }[]>`SELECT current_setting('app.user_id', true) AS user`;
      return { members: rows.map((r) => r.member_id).sort(), user: scope!.user };
    });
    expect(after.members).toEqual([w.ownerB.id, w.supportA.id].sort());
    expect(after.user).toBe(w.ownerA.id);
  });

  it("suspending ends every session and sign-in; reactivating restores sign-in; both audited with the reason", async () => {
    const u = await withSession();
    const admin = callerFor(w.admin.id);
    await admin.platform.users.suspend({ userId: u.id, reason: "left the company" });
    expect(await live(u.id)).toBe(0);
    expect((await authenticate({ email: u.email, password: "a perfectly fine passphrase 3" }, "192.0.2.10")).ok).toBe(false);
    expect((await events(u.id, "user.suspended"))[0]!.details).toMatchObject({ reason: "left the company" });
    await admin.platform.users.reactivate({ userId: u.id, reason: "came back" });
    expect((await authenticate({ email: u.email, password: "a perfectly fine passphrase 3" }, "192.0.2.11")).ok).toBe(true);
    expect(await events(u.id, "user.reactivated")).toHaveLength(1);
    expect((await rejection(admin.platform.users.suspend({ userId: w.admin.id, reason: "oops" }))).code).toBe("BAD_REQUEST");
    expect((await rejection(admin.platform.users.suspend({ userId: u.id, reason: "" }))).message).toMatch(/reason/);
  });

  it("forcing a password reset kills the password and the sessions and e-mails a reset link", async () => {
    const u = await withSession();
    const since = smtp.received.length;
    await callerFor(w.admin.id).platform.users.forcePasswordReset({ userId: u.id, reason: "credentials leaked" });
    expect(await live(u.id)).toBe(0);
    expect((await authenticate({ email: u.email, password: "a perfectly fine passphrase 3" }, "192.0.2.12")).ok).toBe(false);
    const token = await tokenFromMail(smtp, u.email, "reset-password", since);
    await callerFor(null).account.resetPassword({ token, password: "brand new passphrase for me 5" });
    expect((await authenticate({ email: u.email, password: "brand new passphrase for me 5" }, "192.0.2.13")).ok).toBe(true);
    expect((await events(u.id, "password.reset_forced"))[0]!.details).toMatchObject({ reason: "credentials leaked" });
  });

  it("revokes all sessions of a user", async () => {
    const u = await withSession();
    await callerFor(w.admin.id).platform.users.revokeSessions({ userId: u.id, reason: "lost laptop" });
    expect(await live(u.id)).toBe(0);
    expect((await events(u.id, "user.sessions_revoked"))[0]!.details).toMatchObject({ reason: "lost laptop", count: 1 });
  });

  it("is refused to owners and support", async () => {
    for (const id of [w.ownerA.id, w.supportA.id]) {
      const c = callerFor(id);
      expect((await rejection(c.platform.users.list({}))).code).toBe("FORBIDDEN");
      expect((await rejection(c.platform.users.suspend({ userId: w.admin.id, reason: "takeover" }))).code).toBe("FORBIDDEN");
      expect((await rejection(c.platform.users.outbox({}))).code).toBe("FORBIDDEN");
    }
  });
});

describe("dev outbox", () => {
  it("without SMTP_URL, e-mail lands in the outbox, readable by security admins only", async () => {
    const saved = env.SMTP_URL;
    env.SMTP_URL = undefined;
    try {
      const email = `${uniq("outbox")}@example.test`;
      await callerFor(w.ownerA.id).invitations.create({ tenant: w.a.slug, email, role: "owner" });
      const box = await callerFor(w.admin.id).platform.users.outbox({});
      expect(box.delivery).toBe("outbox");
      const msg = box.messages.find((m) => m.to === email);
      expect(msg?.text).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    } finally {
      env.SMTP_URL = saved;
    }
  });
});
