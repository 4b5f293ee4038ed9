// "Audit the audit": reading the trail is recorded once per operator and window; exporting and
// downloading are recorded every time (see export/export.test.ts for those).
import { describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { callerFor, twoTenantWorld } from "../testing/fixtures";

describe("audit the audit", () => {
  it("audit.viewed: once per operator and tenant per window, however many pages and filters", async () => {
    const w = await twoTenantWorld();
    const owner = callerFor(w.ownerA.id);
    const support = callerFor(w.supportA.id);
    await owner.audit.list({ tenant: w.a.slug });
    await owner.audit.list({ tenant: w.a.slug, actionPrefix: "member." });
    await Promise.all([support.audit.list({ tenant: w.a.slug }), support.audit.list({ tenant: w.a.slug, limit: 5 })]);
    await support.audit.list({ tenant: w.a.slug });
    const viewed = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: w.a.id, action: "audit.viewed" }, select: { actorId: true, actorLabel: true } }));
    expect(viewed.map((v) => v.actorId).sort()).toEqual([w.ownerA.id, w.supportA.id].sort());
    // The next page load shows the view in the trail itself, and the chain still verifies.
    const page = await owner.audit.list({ tenant: w.a.slug, actionPrefix: "audit.viewed" });
    expect(page.items).toHaveLength(2);
    expect((await owner.audit.verifyChain({ tenant: w.a.slug })).intact).toBe(true);
    // Nothing is written into B's trail.
    const inB = await inTenant(w.b.id, (s) => s.db.auditEvent.count({ where: { tenantId: w.b.id, action: "audit.viewed" } }));
    expect(inB).toBe(0);
  });
});
