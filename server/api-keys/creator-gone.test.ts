// API keys outliving their creator's access (issue 12): removing a member revokes the keys they
// created in that tenant (default), or keeps them when asked — then the list flags them. Only the
// tenant's own keys are touched: the same person's keys in another tenant keep working.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, grant, makeTenant, makeUser, rejection, uniq } from "../testing/fixtures";
import { inTenant } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "../audit/record";
import { revokeApiKeysCreatedBy } from "./service";

let a: { id: string; slug: string };
let b: { id: string; slug: string };
let boss: { id: string };
beforeAll(async () => {
  a = await makeTenant(uniq("a"));
  b = await makeTenant(uniq("b"));
  boss = await makeUser();
  await grant(a as never, boss.id, "owner");
});

async function ownerOfBoth() {
  const u = await makeUser();
  await grant(a as never, u.id, "owner");
  await grant(b as never, u.id, "owner");
  return u;
}

const keyOf = (tenant: string, userId: string, name = `key ${Math.random()}`) =>
  callerFor(userId).apiKeys.create({ tenant, name, scopes: ["keys.read"], expiresInDays: 30 });

async function membershipOf(tenant: string, userId: string) {
  const list = await callerFor(boss.id).members.list({ tenant });
  return list.items.find((m) => m.user.id === userId)!;
}

describe("removing a member and their API keys", () => {
  it("by default revokes the keys they created in this tenant only, audited per key", async () => {
    const leaver = await ownerOfBoth();
    const k1 = await keyOf(a.slug, leaver.id);
    const k2 = await keyOf(a.slug, leaver.id);
    const inB = await keyOf(b.slug, leaver.id);
    const bosses = await keyOf(a.slug, boss.id);
    const m = await membershipOf(a.slug, leaver.id);

    expect(await callerFor(boss.id).members.removalImpact({ tenant: a.slug, membershipId: m.id })).toEqual({ apiKeys: 2 });
    const res = await callerFor(boss.id).members.remove({ tenant: a.slug, membershipId: m.id });
    expect(res.revokedApiKeys).toBe(2);

    const listA = (await callerFor(boss.id).apiKeys.list({ tenant: a.slug })).items;
    for (const k of [k1, k2]) {
      const row = listA.find((x) => x.id === k.key.id)!;
      expect(row.status).toBe("revoked");
      expect(row.creatorGone).toBe(true);
    }
    expect(listA.find((x) => x.id === bosses.key.id)).toMatchObject({ status: "active", creatorGone: false });
    // Tenant B: untouched, and its creator is still a member there.
    const listB = (await callerFor(leaver.id).apiKeys.list({ tenant: b.slug })).items;
    expect(listB.find((x) => x.id === inB.key.id)).toMatchObject({ status: "active", creatorGone: false });

    const events = await callerFor(boss.id).audit.list({ tenant: a.slug, actionPrefix: "api_key.revoked", limit: 200 });
    const items = (events as { items: { targetId: string | null }[] }).items;
    expect(items.map((e) => e.targetId).sort()).toEqual(expect.arrayContaining([k1.key.id, k2.key.id]));
  });

  it("keeps the keys when asked, and the list flags them as having no creator any more", async () => {
    const leaver = await ownerOfBoth();
    const k = await keyOf(a.slug, leaver.id);
    const m = await membershipOf(a.slug, leaver.id);
    const res = await callerFor(boss.id).members.remove({ tenant: a.slug, membershipId: m.id, revokeApiKeys: false });
    expect(res.revokedApiKeys).toBe(0);
    const row = (await callerFor(boss.id).apiKeys.list({ tenant: a.slug })).items.find((x) => x.id === k.key.id)!;
    expect(row).toMatchObject({ status: "active", creatorGone: true });
  });

  it("revokeApiKeysCreatedBy (for suspensions) touches only the scope's tenant", async () => {
    const u = await ownerOfBoth();
    const inA = await keyOf(a.slug, u.id);
    const inB = await keyOf(b.slug, u.id);
    const revoked = await inTenant(a.id as never, (scope) => revokeApiKeysCreatedBy(scope, u.id, auditorFor(scope, SYSTEM_ACTOR, null), { reason: "creator_suspended" }));
    expect(revoked).toEqual([inA.key.publicId]);
    const listB = (await callerFor(u.id).apiKeys.list({ tenant: b.slug })).items;
    expect(listB.find((x) => x.id === inB.key.id)!.status).toBe("active");
    // A second run has nothing left to do.
    expect(await inTenant(a.id as never, (scope) => revokeApiKeysCreatedBy(scope, u.id, auditorFor(scope, SYSTEM_ACTOR, null)))).toEqual([]);
  });

  it("tenant B's owner cannot ask about or remove tenant A's members", async () => {
    const ownerB = await makeUser();
    await grant(b as never, ownerB.id, "owner");
    const leaver = await ownerOfBoth();
    const m = await membershipOf(a.slug, leaver.id);
    expect(await rejection(callerFor(ownerB.id).members.removalImpact({ tenant: a.slug, membershipId: m.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(callerFor(ownerB.id).members.removalImpact({ tenant: b.slug, membershipId: m.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(callerFor(ownerB.id).members.remove({ tenant: b.slug, membershipId: m.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
