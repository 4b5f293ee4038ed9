// The audit mechanism: every mutation writes its event in the same transaction; if the audit write
// fails the mutation is rolled back; secrets never reach the trail.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, grant, makeUser, twoTenantWorld } from "../testing/fixtures";
import { inTenant } from "../db/doors";
import { recordAudit } from "./record";
import { upsertMember, findMemberByUser } from "../members/repository";
import { REDACTED, redactSecrets } from "./redact";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});

describe("audit events", () => {
  it("a mutation through tRPC writes one event with actor, action, target, before/after and request metadata", async () => {
    const u = await makeUser();
    const granted = await grant(w.a, u.id, "support");
    await callerFor(w.ownerA.id).members.remove({ tenant: w.a.slug, membershipId: granted.id });
    const events = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetId: granted.id } }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "member.support_revoked",
      actorType: "user",
      actorId: w.ownerA.id,
      targetType: "membership",
      ip: "203.0.113.7",
      userAgent: "vitest",
    });
    expect(events[0]!.requestId).toBeTruthy();
    expect(events[0]!.before).toMatchObject({ user: u.email, role: "support" });
  });

  it("if the audit write fails, the mutation is rolled back", async () => {
    const u = await makeUser();
    await expect(
      inTenant(w.a.id, async (scope) => {
        await upsertMember(scope, { userId: u.id, role: "owner", expiresAt: null, createdBy: null });
        // An action longer than the column allows: the INSERT fails inside the same transaction.
        await recordAudit(scope, { type: "user", id: null, label: null }, null, { action: "x".repeat(500), targetType: "membership" });
      }),
    ).rejects.toThrow();
    expect(await inTenant(w.a.id, (s) => findMemberByUser(s, u.id))).toBeNull();
  });

  it("a refused mutation changes nothing and writes nothing", async () => {
    const before = await inTenant(w.a.id, (s) => s.db.auditEvent.count({ where: { tenantId: s.tenantId } }));
    const own = await inTenant(w.a.id, (s) => findMemberByUser(s, w.ownerA.id));
    await expect(callerFor(w.ownerA.id).members.remove({ tenant: w.a.slug, membershipId: own!.id })).rejects.toThrow(/at least one owner/);
    const after = await inTenant(w.a.id, (s) => s.db.auditEvent.count({ where: { tenantId: s.tenantId } }));
    expect(after).toBe(before);
  });

  it("secret-looking fields are redacted from before/after summaries", () => {
    expect(redactSecrets({ name: "k1", secret: "s", nested: { passwordHash: "h", d: "jwk-private" }, list: [{ apiKey: "x" }] })).toEqual({
      name: "k1",
      secret: REDACTED,
      nested: { passwordHash: REDACTED, d: REDACTED },
      list: [{ apiKey: REDACTED }],
    });
  });
});
