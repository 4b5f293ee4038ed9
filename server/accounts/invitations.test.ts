// Invitations: single-use, expiring, revocable tokens (stored hashed); no oracle when inviting;
// tenant isolation of tenant invitations; e-mail really sent over SMTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { inTenant, onPlatform } from "../db/doors";
import { auditorFor } from "../audit/record";
import { callerFor, makeUser, rejection, twoTenantWorld, uniq } from "../testing/fixtures";
import type { TestSmtp } from "../testing/smtp";
import { acceptAsNewUser, acceptAsSignedIn, describeInvitation, inviteMember, INVALID_INVITATION } from "./invitations";
import { hashToken } from "./tokens";
import { tokenFromMail, useTestSmtp } from "../testing/accounts";
import { userCredentials } from "./platform-users-repository";

let smtp: TestSmtp;
let w: Awaited<ReturnType<typeof twoTenantWorld>>;
const STRONG = "correct horse battery staple 42";

beforeAll(async () => {
  smtp = await useTestSmtp();
  w = await twoTenantWorld();
});
afterAll(() => smtp.close());

async function outcome(p: Promise<unknown>): Promise<{ ok: boolean; code?: string; body: unknown }> {
  try {
    const body = await p;
    return { ok: true, body: stripIds(body) };
  } catch (e) {
    if (e instanceof TRPCError) return { ok: false, code: e.code, body: e.message };
    throw e;
  }
}
/** The answer without what differs per invitation anyway (its id, the address, the exact expiry). */
function stripIds(v: unknown) {
  const o = v as Record<string, unknown>;
  return Object.keys(o).sort();
}

describe("inviting to a tenant", () => {
  it("sends a real e-mail whose link opens the invitation; only the token's hash is stored", async () => {
    const email = `${uniq("new")}@example.test`;
    const since = smtp.received.length;
    const inv = await callerFor(w.ownerA.id).invitations.create({ tenant: w.a.slug, email, role: "owner" });
    const token = await tokenFromMail(smtp, email, "invite", since);
    const row = await inTenant(w.a.id, (s) => s.db.tenantInvitation.findUniqueOrThrow({ where: { tenantId_id: { tenantId: s.tenantId, id: inv.id } } }));
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const info = await callerFor(null).account.invitation({ token });
    expect(info).toMatchObject({ email, hasAccount: false, target: "tenant", role: "owner" });
  });

  it("answers the same for an unknown address, an existing account and a security admin (no oracle)", async () => {
    const existing = await makeUser();
    const owner = callerFor(w.ownerA.id);
    const addresses = [`${uniq("nobody")}@example.test`, existing.email, w.admin.email];
    const answers = [];
    const times: number[][] = [[], [], []];
    for (let round = 0; round < 3; round++) {
      for (const [i, email] of addresses.entries()) {
        const t0 = performance.now();
        answers.push(await outcome(owner.invitations.create({ tenant: w.a.slug, email, role: "support", days: 3 })));
        times[i]!.push(performance.now() - t0);
      }
    }
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.ok).toBe(true);
    // Comparable time: the medians differ by far less than an account lookup + hash would reveal.
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const medians = times.map(median);
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(Math.max(50, Math.min(...medians)));
  });

  it("is single-use: a new person accepts once, is a member, and the link is dead afterwards", async () => {
    const email = `${uniq("joiner")}@example.test`;
    const since = smtp.received.length;
    await callerFor(w.ownerA.id).invitations.create({ tenant: w.a.slug, email, role: "support", days: 5 });
    const token = await tokenFromMail(smtp, email, "invite", since);
    const pub = callerFor(null);
    const r = await pub.account.acceptInvitation({ token, name: "Joiner", password: STRONG });
    expect(r).toMatchObject({ email, tenant: { slug: w.a.slug } });
    // The hash is readable only through the sign-in credential function (least privilege).
    const user = (await onPlatform((db) => userCredentials(db, email)))!;
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const tenants = await callerFor(user.id).me.tenants();
    expect(tenants.map((t) => t.slug)).toEqual([w.a.slug]);
    expect(tenants[0]!.role).toBe("support");
    expect(tenants[0]!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);

    const again = await rejection(pub.account.acceptInvitation({ token, name: "Again", password: STRONG }));
    expect(again).toEqual({ code: "NOT_FOUND", message: INVALID_INVITATION });
    expect((await rejection(pub.account.invitation({ token }))).code).toBe("NOT_FOUND");

    const trail = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, action: { in: ["member.invited", "member.joined"] } } }));
    expect(trail.some((e) => e.action === "member.joined" && JSON.stringify(e.after).includes(email))).toBe(true);
    const platform = await onPlatform((db) => db.platformAuditEvent.findMany({ where: { action: { in: ["invitation.sent", "invitation.accepted"] }, subjectTenantId: w.a.id } }));
    expect(platform.map((e) => e.action)).toEqual(expect.arrayContaining(["invitation.sent", "invitation.accepted"]));
    expect(JSON.stringify(platform.map((e) => e.details))).not.toContain(token);
  });

  it("expires after the policy's invitationExpiryHours (72 h by default), on an injected clock", async () => {
    const email = `${uniq("late")}@example.test`;
    const t0 = new Date("2030-01-01T00:00:00Z");
    const since = smtp.received.length;
    await inTenant(w.a.id, (scope) =>
      inviteMember(scope, auditorFor(scope, { type: "user", id: w.ownerA.id, label: w.ownerA.email }, null), { type: "user", id: w.ownerA.id, label: w.ownerA.email }, null, "A", { email, role: "owner" }, t0),
    );
    const token = await tokenFromMail(smtp, email, "invite", since);
    const at = (h: number) => new Date(t0.getTime() + h * 3_600_000);
    await expect(describeInvitation(token, at(71))).resolves.toMatchObject({ email });
    await expect(acceptAsNewUser({ token, name: "Late", password: STRONG }, null, at(72.01))).rejects.toThrow(INVALID_INVITATION);
    await expect(acceptAsNewUser({ token, name: "In time", password: STRONG }, null, at(71.9))).resolves.toMatchObject({ email });
  });

  it("a revoked invitation no longer works, and revoking is audited", async () => {
    const email = `${uniq("revoked")}@example.test`;
    const since = smtp.received.length;
    const owner = callerFor(w.ownerA.id);
    const inv = await owner.invitations.create({ tenant: w.a.slug, email, role: "owner" });
    const token = await tokenFromMail(smtp, email, "invite", since);
    expect((await owner.invitations.list({ tenant: w.a.slug })).map((i) => i.id)).toContain(inv.id);
    await owner.invitations.revoke({ tenant: w.a.slug, invitationId: inv.id });
    expect((await owner.invitations.list({ tenant: w.a.slug })).map((i) => i.id)).not.toContain(inv.id);
    expect((await rejection(callerFor(null).account.acceptInvitation({ token, name: "X", password: STRONG }))).code).toBe("NOT_FOUND");
    const events = await onPlatform((db) => db.platformAuditEvent.findMany({ where: { action: "invitation.revoked", targetId: inv.id } }));
    expect(events).toHaveLength(1);
  });

  it("an existing account accepts after signing in, only for its own address", async () => {
    const existing = await makeUser();
    const other = await makeUser();
    const since = smtp.received.length;
    await callerFor(w.ownerB.id).invitations.create({ tenant: w.b.slug, email: existing.email, role: "owner" });
    const token = await tokenFromMail(smtp, existing.email, "invite", since);
    expect(await describeInvitation(token)).toMatchObject({ hasAccount: true });
    // Setting a password for an existing account through an invitation is refused.
    expect((await rejection(callerFor(null).account.acceptInvitation({ token, name: "Hijack", password: STRONG }))).code).toBe("CONFLICT");
    expect((await rejection(callerFor(other.id).account.acceptInvitationSignedIn({ token }))).code).toBe("FORBIDDEN");
    await callerFor(existing.id).account.acceptInvitationSignedIn({ token });
    expect((await callerFor(existing.id).me.tenants()).map((t) => t.slug)).toEqual([w.b.slug]);
    await expect(acceptAsSignedIn(token, existing, null)).rejects.toThrow(INVALID_INVITATION);
  });

  it("refuses weak and short passwords with a reason", async () => {
    const email = `${uniq("weak")}@example.test`;
    const since = smtp.received.length;
    await callerFor(w.ownerA.id).invitations.create({ tenant: w.a.slug, email, role: "owner" });
    const token = await tokenFromMail(smtp, email, "invite", since);
    const pub = callerFor(null);
    expect((await rejection(pub.account.acceptInvitation({ token, name: "W", password: "short" }))).message).toMatch(/at least 12/);
    expect((await rejection(pub.account.acceptInvitation({ token, name: "W", password: "password1234" }))).message).toMatch(/too easy to guess/);
    // The refused attempts did not use the invitation up.
    await expect(describeInvitation(token)).resolves.toMatchObject({ email });
  });
});

describe("tenant isolation of invitations", () => {
  it("an owner of A cannot invite into B, list B's invitations or revoke them", async () => {
    const b = callerFor(w.ownerB.id);
    const inv = await b.invitations.create({ tenant: w.b.slug, email: `${uniq("b")}@example.test`, role: "owner" });
    const a = callerFor(w.ownerA.id);
    expect((await rejection(a.invitations.create({ tenant: w.b.slug, email: "x@example.test", role: "owner" }))).code).toBe("NOT_FOUND");
    expect((await rejection(a.invitations.list({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
    expect((await a.invitations.list({ tenant: w.a.slug })).map((i) => i.id)).not.toContain(inv.id);
    expect((await rejection(a.invitations.revoke({ tenant: w.a.slug, invitationId: inv.id }))).code).toBe("NOT_FOUND");
    expect((await b.invitations.list({ tenant: w.b.slug })).map((i) => i.id)).toContain(inv.id);
  });

  it("RLS alone: A's transaction sees none of B's invitation rows, the platform door none at all", async () => {
    const inA = await inTenant(w.a.id, (s) => s.db.tenantInvitation.findMany({ where: { tenantId: w.b.id } }));
    expect(inA).toEqual([]);
    expect(await onPlatform((db) => db.tenantInvitation.count())).toBe(0);
  });

  it("support cannot invite", async () => {
    expect((await rejection(callerFor(w.supportA.id).invitations.create({ tenant: w.a.slug, email: "x@example.test", role: "support", days: 1 }))).code).toBe("FORBIDDEN");
  });
});

describe("platform invitations", () => {
  it("a security admin invites someone as security admin; accepting creates that account", async () => {
    const email = `${uniq("sa")}@example.test`;
    const since = smtp.received.length;
    await callerFor(w.admin.id).platform.users.invite({ email, securityAdmin: true });
    const token = await tokenFromMail(smtp, email, "invite", since);
    expect(await describeInvitation(token)).toMatchObject({ target: "platform", role: "security_admin" });
    await callerFor(null).account.acceptInvitation({ token, name: "New Admin", password: STRONG });
    const u = await onPlatform((db) => db.user.findUniqueOrThrow({ where: { email }, select: { platformRole: true } }));
    expect(u.platformRole).toBe("security_admin");
  });

  it("owners cannot invite to the platform", async () => {
    expect((await rejection(callerFor(w.ownerA.id).platform.users.invite({ email: "x@example.test", securityAdmin: true }))).code).toBe("FORBIDDEN");
  });
});

describe("step-up on inviting", () => {
  /** A caller whose session proved the user 11 minutes ago (the policy's stepUpMinutes is 10). */
  async function staleCaller(userId: string) {
    const { randomUUID } = await import("node:crypto");
    const { createCaller } = await import("../api/root");
    const { createTRPCContext } = await import("../api/trpc");
    const { createSession } = await import("../auth/sessions");
    const { readOperatorPolicy } = await import("../auth/operator-policy");
    const { superuserPool } = await import("../testing/signing-keys");
    const row = await onPlatform(async (db) => createSession(db, { userId, authMethod: "password", ip: null, userAgent: "vitest", secondFactorVerified: true }, await readOperatorPolicy(db)));
    const pool = superuserPool();
    try {
      await pool.query(`UPDATE operator_sessions SET last_verified_at = now() - interval '11 minutes' WHERE id = $1`, [row.id]);
    } finally {
      await pool.end();
    }
    return createCaller(createTRPCContext({ session: { user: { id: userId }, sid: row.id }, meta: { requestId: randomUUID(), ip: "203.0.113.7", userAgent: "vitest" } }));
  }

  it("refuses invitations.create after a stale verification, sends nothing, and accepts with a fresh one", async () => {
    const email = `${uniq("stale")}@example.test`;
    const since = smtp.received.length;
    const refused = await rejection((await staleCaller(w.ownerA.id)).invitations.create({ tenant: w.a.slug, email, role: "owner" }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("step-up");
    const pending = await callerFor(w.ownerA.id).invitations.list({ tenant: w.a.slug });
    expect(pending.map((i: { email: string }) => i.email)).not.toContain(email);
    expect(smtp.received.slice(since).some((m) => JSON.stringify(m).includes(email))).toBe(false);
    await expect(callerFor(w.ownerA.id).invitations.create({ tenant: w.a.slug, email, role: "owner" })).resolves.toBeTruthy();
  });

  it("refuses platform invitations, suspension and forced resets after a stale verification", async () => {
    const victim = await makeUser();
    const stale = await staleCaller(w.admin.id);
    // Thunks, called one at a time: a promise created early would reject before it is awaited.
    for (const call of [
      () => stale.platform.users.invite({ email: `${uniq("stale")}@example.test`, securityAdmin: true }),
      () => stale.platform.users.suspend({ userId: victim.id, reason: "left the company" }),
      () => stale.platform.users.forcePasswordReset({ userId: victim.id, reason: "phished" }),
    ]) {
      const refused = await rejection(call());
      expect(refused.code).toBe("FORBIDDEN");
      expect(refused.message).toContain("step-up");
    }
    const row = await onPlatform((db) => db.user.findUniqueOrThrow({ where: { id: victim.id }, select: { status: true } }));
    expect(row.status).toBe("active");
  });
});
