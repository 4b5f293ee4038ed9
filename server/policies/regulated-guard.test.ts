// Regulated mode is a compliance control (issue 12): owners may turn it on, only a security admin
// may turn it off — with a reason, in the tenant's trail — whichever path the change takes (the
// switch, a save, a reset, a rollback). A global change that flips an inheriting tenant's mode is
// recorded in that tenant's trail too ("inherited from global"), in the global save's transaction.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callerFor, grant, makeTenant, makeUser, rejection } from "../testing/fixtures";
import { inTenant } from "../db/doors";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
});
afterAll(async () => {
  await pool.end();
});

async function trail(tenantId: string) {
  return inTenant(tenantId as never, (s) =>
    s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetType: "tenant_policy" }, orderBy: { id: "asc" }, select: { action: true, after: true, actorLabel: true, regulated: true } }),
  );
}

describe("turning regulated mode off", () => {
  it("an owner turns it on but cannot turn it off, by any path; a security admin can, with a reason, audited", async () => {
    const t = await makeTenant();
    const owner = await makeUser();
    await grant(t, owner.id, "owner");
    const admin = await makeUser({ platformRole: "security_admin" });
    const o = callerFor(owner.id);

    expect(await o.policies.setRegulatedMode({ tenant: t.slug, regulatedMode: true })).toEqual({ regulatedMode: true });
    const refused = await rejection(o.policies.setRegulatedMode({ tenant: t.slug, regulatedMode: false, reason: "please" }));
    expect(refused).toMatchObject({ code: "FORBIDDEN" });
    expect(refused.message).toMatch(/Only a security admin can turn regulated mode off/);
    const state = await o.policies.state({ tenant: t.slug });
    expect((await rejection(o.policies.save({ tenant: t.slug, document: {}, expectedVersion: state.latest!.version, comment: "drop everything" }))).code).toBe("FORBIDDEN");
    expect((await rejection(o.policies.resetField({ tenant: t.slug, section: "regulated", field: "enabled", expectedVersion: state.latest!.version }))).code).toBe("FORBIDDEN");
    expect((await o.policies.get({ tenant: t.slug })).regulatedMode).toBe(true);

    const a = callerFor(admin.id);
    expect((await rejection(a.policies.setRegulatedMode({ tenant: t.slug, regulatedMode: false }))).message).toMatch(/reason: Say why/);
    expect(await a.policies.setRegulatedMode({ tenant: t.slug, regulatedMode: false, reason: "Contract ended; no regulated data" })).toEqual({ regulatedMode: false });
    expect((await o.policies.get({ tenant: t.slug })).regulatedMode).toBe(false);

    const events = await trail(t.id);
    expect(events.map((e) => e.action)).toEqual(["policy.regulated_mode_on", "policy.regulated_mode_off"]);
    expect(events[1]!.after).toMatchObject({ regulatedMode: false, reason: "Regulated mode off: Contract ended; no regulated data", byRole: "security_admin" });
    expect(events[1]!.actorLabel).toBe(admin.email);
    // The "on" event was written in regulated mode; the "off" one after it.
    expect(events.map((e) => e.regulated)).toEqual([true, false]);
  });
});

describe("a global change inherited by tenants", () => {
  it("records the change in each inheriting tenant's trail, not in a tenant that pins its own value", async () => {
    const inheriting = await makeTenant();
    const pinned = await makeTenant();
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    await admin.policies.save({ tenant: pinned.slug, document: { regulated: { enabled: false } }, expectedVersion: 0, comment: "pin off" });

    // Global on (inserted directly: turning it on through the console is refused while any tenant of
    // this shared test database has a loopback client), then off through the console.
    const latest = (await pool.query(`SELECT version, document FROM global_policy_versions ORDER BY version DESC LIMIT 1`)).rows[0] as { version: number; document: Record<string, unknown> } | undefined;
    const v = (latest?.version ?? 0) + 1;
    await pool.query(`INSERT INTO global_policy_versions (version, document, author_label, comment) VALUES ($1, $2, 'test', 'test')`, [
      v,
      JSON.stringify({ ...(latest?.document ?? {}), regulated: { enabled: true } }),
    ]);
    await admin.platform.policies.resetField({ section: "regulated", field: "enabled", expectedVersion: v, comment: "back to the default" });

    const events = await trail(inheriting.id);
    expect(events.map((e) => e.action)).toEqual(["policy.regulated_mode_off"]);
    expect(events[0]!.after).toMatchObject({ regulatedMode: false, inherited: "global", globalVersion: v + 1 });
    expect(await trail(pinned.id)).toEqual([]);
    // The tenant's chain still verifies with the event appended from the platform transaction.
    expect((await admin.audit.verifyChain({ tenant: inheriting.slug })).intact).toBe(true);
  });
});
