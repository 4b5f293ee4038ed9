// The Users page's second-factor column (one query for the page, kinds and counts only) and
// suspension revoking the API keys the user created — in every tenant they belong to, each key
// audited in its own tenant's trail, and nobody else's keys.
import { describe, expect, it } from "vitest";
import { inTenant, onPlatform } from "../db/doors";
import { callerFor, grant, makeTenant, makeUser, twoTenantWorld, uniq } from "../testing/fixtures";
import { generate } from "otplib";
import { confirmTotpEnrolment, startTotpEnrolment } from "../mfa/totp";

async function withTotp(user: { id: string; email: string }) {
  const now = new Date();
  const enrolment = await onPlatform((db) => startTotpEnrolment(db, user));
  const code = await generate({ secret: enrolment.secret, epoch: Math.floor(now.getTime() / 1000) });
  expect(await onPlatform((db) => confirmTotpEnrolment(db, user.id, enrolment.factorId, code, now))).toBe(true);
}

async function withPasskey(userId: string) {
  await onPlatform((db) =>
    db.userFactor.create({
      data: { userId, kind: "passkey", name: `key ${uniq("pk")}`, credentialId: uniq("cred"), publicKey: Buffer.from("not a real key"), signCount: 0n, confirmedAt: new Date() },
    }),
  );
}

describe("second factor column", () => {
  it("shows TOTP, the number of passkeys, or none — unconfirmed enrolments don't count, no secrets", async () => {
    const w = await twoTenantWorld();
    const tag = uniq("mfa");
    const none = await makeUser({ email: `${tag}-0none@example.test` });
    const totp = await makeUser({ email: `${tag}-1totp@example.test` });
    const both = await makeUser({ email: `${tag}-2both@example.test` });
    await withTotp(totp);
    await withTotp(both);
    await withPasskey(both.id);
    await withPasskey(both.id);
    await onPlatform((db) => startTotpEnrolment(db, none)); // started, never confirmed
    const list = await callerFor(w.admin.id).platform.users.list({ search: tag });
    expect(list.items.map((u) => [u.email, u.secondFactor])).toEqual([
      [none.email, { totp: false, passkeys: 0 }],
      [totp.email, { totp: true, passkeys: 0 }],
      [both.email, { totp: true, passkeys: 2 }],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/secret|publicKey|credential/i);
  });
});

describe("suspension and the user's API keys", () => {
  const keyOf = (tenant: string, userId: string) => callerFor(userId).apiKeys.create({ tenant, name: uniq("key"), scopes: ["keys.read"], expiresInDays: 30 });
  const revokedIds = async (tenant: string, ownerId: string) =>
    new Set((await callerFor(ownerId).apiKeys.list({ tenant })).items.filter((k) => k.revokedAt).map((k) => k.id));

  it("counts and by default revokes the keys they created in each of their tenants, audited in each tenant's trail; other keys stay", async () => {
    const w = await twoTenantWorld();
    const leaver = await makeUser();
    await grant(w.a, leaver.id, "owner");
    await grant(w.b, leaver.id, "owner");
    const a1 = await keyOf(w.a.slug, leaver.id);
    const a2 = await keyOf(w.a.slug, leaver.id);
    const b1 = await keyOf(w.b.slug, leaver.id);
    const othersA = await keyOf(w.a.slug, w.ownerA.id);
    const othersB = await keyOf(w.b.slug, w.ownerB.id);
    const admin = callerFor(w.admin.id);

    const impact = await admin.platform.users.suspensionImpact({ userId: leaver.id });
    expect(impact.apiKeys).toBe(3);
    expect(impact.tenants.map((t) => [t.slug, t.apiKeys]).sort()).toEqual([[w.a.slug, 2], [w.b.slug, 1]].sort());

    const res = await admin.platform.users.suspend({ userId: leaver.id, reason: "left the company" });
    expect(res.revokedApiKeys).toBe(3);
    const inA = await revokedIds(w.a.slug, w.ownerA.id);
    const inB = await revokedIds(w.b.slug, w.ownerB.id);
    expect(inA.has(a1.key.id) && inA.has(a2.key.id) && inB.has(b1.key.id)).toBe(true);
    expect(inA.has(othersA.key.id) || inB.has(othersB.key.id)).toBe(false);

    // Each revocation is in its own tenant's trail, and only there.
    const trail = (tenantId: string) =>
      inTenant(tenantId as never, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, action: "api_key.revoked" }, select: { targetId: true } }));
    expect((await trail(w.a.id)).map((e) => e.targetId).sort()).toEqual([a1.key.id, a2.key.id].sort());
    expect((await trail(w.b.id)).map((e) => e.targetId)).toEqual([b1.key.id]);
    expect((await admin.platform.users.suspensionImpact({ userId: leaver.id })).apiKeys).toBe(0);
  });

  it("keeps the keys when asked, and touches no tenant the user does not belong to", async () => {
    const w = await twoTenantWorld();
    const c = await makeTenant(uniq("c"));
    const ownerC = await makeUser();
    await grant(c, ownerC.id, "owner");
    const keeper = await makeUser();
    await grant(w.a, keeper.id, "owner");
    const kept = await keyOf(w.a.slug, keeper.id);
    const inC = await keyOf(c.slug, ownerC.id);
    await callerFor(w.admin.id).platform.users.suspend({ userId: keeper.id, reason: "on leave", revokeApiKeys: false });
    expect((await revokedIds(w.a.slug, w.ownerA.id)).has(kept.key.id)).toBe(false);
    expect((await revokedIds(c.slug, ownerC.id)).has(inC.key.id)).toBe(false);
  });
});
