// Automatic promotion (npm run keys:auto-promote): a next key staged AUTO_PROMOTE_AFTER_HOURS ago
// becomes current; a younger one does not. The sweep covers every tenant of the shared test
// database, so assertions are about this file's tenants only.
import { describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { SYSTEM_ACTOR } from "../audit/record";
import { makeTenant } from "../testing/fixtures";
import { autoPromoteDueKeys } from "./auto-promote";
import { AUTO_PROMOTE_AFTER_HOURS, stageNextKey } from "./service";
import { auditEvents, inState, keysOf, lastAuditId, superuserPool, systemAuditor } from "../testing/signing-keys";

const HOUR = 3_600_000;
const GRACE = AUTO_PROMOTE_AFTER_HOURS * HOUR;

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
const stageAt = (t: Tenant, at: Date) => inTenant(t.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }, at));

describe("autoPromoteDueKeys", () => {
  it("promotes a next key staged longer ago than the grace period, and leaves one staged just now", async () => {
    const due = await makeTenant();
    const young = await makeTenant();
    const [dueOld] = await keysOf(due.id);
    const dueKey = await stageAt(due, new Date(Date.now() - GRACE - HOUR));
    expect(dueKey.autoPromoteAt!.getTime()).toBe(dueKey.createdAt.getTime() + GRACE);
    const youngKey = await stageAt(young, new Date());
    const mark = await lastAuditId(due.id);

    const now = new Date();
    const result = await autoPromoteDueKeys(now);
    expect(result.failed.filter((f) => f.tenant === due.slug || f.tenant === young.slug)).toEqual([]);
    expect(result.promoted).toContainEqual({ tenant: due.slug, kid: dueKey.kid });
    expect(result.promoted.some((p) => p.tenant === young.slug)).toBe(false);

    const dueKeys = await keysOf(due.id);
    expect(inState(dueKeys, "current").map((k) => k.id)).toEqual([dueKey.id]);
    expect(inState(dueKeys, "current")[0]!.activatedAt).toEqual(now);
    expect(inState(dueKeys, "previous").map((k) => k.id)).toEqual([dueOld!.id]);
    expect(inState(dueKeys, "next")).toEqual([]);
    const events = await auditEvents(due.id, mark);
    expect(events.map((e) => [e.action, e.actorType])).toEqual([
      ["signing_key.retired", "system"],
      ["signing_key.promoted", "system"],
    ]);

    const youngKeys = await keysOf(young.id);
    expect(youngKeys.find((k) => k.id === youngKey.id)!.state).toBe("next");
    expect(inState(youngKeys, "current")).toHaveLength(1);

    // Nothing left to do for the promoted tenant on the next run.
    const again = await autoPromoteDueKeys(now);
    expect(again.promoted.some((p) => p.tenant === due.slug || p.tenant === young.slug)).toBe(false);
  });

  it("is due exactly at the grace period, not a second before", async () => {
    const t = await makeTenant();
    const stagedAt = new Date(Date.now() - HOUR);
    const key = await stageAt(t, stagedAt);
    const justBefore = new Date(stagedAt.getTime() + GRACE - 1000);
    expect((await autoPromoteDueKeys(justBefore)).promoted.some((p) => p.tenant === t.slug)).toBe(false);
    expect((await keysOf(t.id)).find((k) => k.id === key.id)!.state).toBe("next");
    const exactly = new Date(stagedAt.getTime() + GRACE);
    expect((await autoPromoteDueKeys(exactly)).promoted).toContainEqual({ tenant: t.slug, kid: key.kid });
    expect((await keysOf(t.id)).find((k) => k.id === key.id)!.state).toBe("current");
  });

  it("skips a tenant pending deletion", async () => {
    const t = await makeTenant();
    const key = await stageAt(t, new Date(Date.now() - GRACE - HOUR));
    const pool = superuserPool();
    try {
      await pool.query("UPDATE tenants SET status = 'pending_deletion' WHERE id = $1", [t.id]);
    } finally {
      await pool.end();
    }
    const result = await autoPromoteDueKeys();
    expect(result.promoted.some((p) => p.tenant === t.slug)).toBe(false);
    expect((await keysOf(t.id)).find((k) => k.id === key.id)!.state).toBe("next");
  });
});
