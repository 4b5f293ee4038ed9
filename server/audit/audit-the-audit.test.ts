// "Audit the audit": reading the trail is recorded once per operator and window; exporting and
// downloading are recorded every time (see export/export.test.ts for those).
import { describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { installStatementLog, recordCalls } from "../db/statement-log";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { forgetAuditViews, noteAuditViewed } from "./audit-the-audit";

const viewedCount = (tenantId: Parameters<typeof inTenant>[0], actorId: string) =>
  inTenant(tenantId, (s) => s.db.auditEvent.count({ where: { tenantId, action: "audit.viewed", actorId } }));

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

  it("a view already in the trail is remembered: later pages send no lookup; a view written and rolled back is not", async () => {
    installStatementLog();
    const w = await twoTenantWorld();
    const owner = callerFor(w.ownerA.id);
    const lookups = async (call: () => Promise<unknown>) =>
      (await recordCalls(call)).calls.filter((c) => c.kind === "sql" && c.text.includes("'audit.viewed'")).length;
    forgetAuditViews();
    expect(await lookups(() => owner.audit.list({ tenant: w.a.slug }))).toBeGreaterThan(0); // recorded now
    expect(await lookups(() => owner.audit.list({ tenant: w.a.slug }))).toBe(1); // found, committed: remembered
    expect(await lookups(() => owner.audit.list({ tenant: w.a.slug, limit: 5 }))).toBe(0);
    expect(await viewedCount(w.a.id, w.ownerA.id)).toBe(1);
    // Remembered per tenant: B's trail is looked up (and written) on its own.
    const ownerB = callerFor(w.ownerB.id);
    expect(await lookups(() => ownerB.audit.list({ tenant: w.b.slug }))).toBeGreaterThan(0);

    // A transaction that wrote the view, saw it, and rolled back leaves nothing remembered.
    forgetAuditViews();
    const actor = { type: "user" as const, id: w.supportA.id, label: w.supportA.email };
    await expect(
      inTenant(w.a.id, async (scope) => {
        expect(await noteAuditViewed(scope, actor, null)).toBe(true);
        expect(await noteAuditViewed(scope, actor, null)).toBe(false); // its own, uncommitted
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await viewedCount(w.a.id, w.supportA.id)).toBe(0);
    expect(await inTenant(w.a.id, (scope) => noteAuditViewed(scope, actor, null))).toBe(true);
    expect(await viewedCount(w.a.id, w.supportA.id)).toBe(1);
  });
});

