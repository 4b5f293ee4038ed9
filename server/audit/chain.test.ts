// The tenant audit hash chain: intact after real mutations; an edited payload, a deleted row,
// reordered rows and a truncated tail are each reported at the right sequence number; 200 parallel
// appends for one tenant form one linear chain without blocking another tenant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { inTenant } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "./record";
import { verifyChain } from "./chain";
import { makeTenant } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";
import type { TenantId } from "../tenancy/tenant-id";

let pool: pg.Pool;
beforeAll(() => {
  pool = superuserPool();
});
afterAll(async () => {
  await pool.end();
});

async function appendEvents(tenantId: TenantId, n: number) {
  for (let i = 0; i < n; i++) {
    await inTenant(tenantId, (s) =>
      auditorFor(s, SYSTEM_ACTOR, { requestId: `r${i}`, ip: "198.51.100.1", userAgent: "t" }).record({
        action: "test.event",
        targetType: "thing",
        targetId: String(i),
        after: { n: i, nested: { z: 1, a: [1, "x", null], when: new Date(0) } },
      }),
    );
  }
}

const verify = (id: TenantId) => inTenant(id, verifyChain);

async function tenantWithEvents(extra = 5) {
  const t = await makeTenant(); // provisioning already writes chained events
  await appendEvents(t.id, extra);
  const v = await verify(t.id);
  expect(v).toMatchObject({ intact: true, problem: null, firstBrokenSeq: null });
  return { t, total: v.checked };
}

describe("audit hash chain", () => {
  it("is intact after provisioning and further events, and the head names the last one", async () => {
    const { t, total } = await tenantWithEvents(5);
    const v = await verify(t.id);
    expect(v.checked).toBe(total);
    expect(v.headSeq).toBe(String(total));
    expect(total).toBeGreaterThanOrEqual(7);
  });

  it("an edited payload is reported at its sequence number", async () => {
    const { t } = await tenantWithEvents();
    await pool.query(`UPDATE audit_events SET after = jsonb_set(after, '{n}', '99') WHERE tenant_id = $1 AND seq = 4`, [t.id]);
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: "4", problem: "edited" });
  });

  it("an edited actor or timestamp is reported too", async () => {
    const { t } = await tenantWithEvents();
    await pool.query(`UPDATE audit_events SET occurred_at = occurred_at + interval '1 second' WHERE tenant_id = $1 AND seq = 3`, [t.id]);
    expect(await verify(t.id)).toMatchObject({ firstBrokenSeq: "3", problem: "edited" });
  });

  it("a deleted row is reported as missing", async () => {
    const { t } = await tenantWithEvents();
    await pool.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 5`, [t.id]);
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: "5", problem: "missing" });
  });

  it("reordered rows are reported at the first moved position", async () => {
    const { t } = await tenantWithEvents();
    // Swap events 3 and 6 (through a parking value: the (tenant_id, seq) index is checked per row).
    for (const [from, to] of [[3, 1_000_000], [6, 3], [1_000_000, 6]]) {
      await pool.query(`UPDATE audit_events SET seq = $2 WHERE tenant_id = $1 AND seq = $3`, [t.id, to, from]);
    }
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: "3", problem: "relinked" });
  });

  it("removing the newest events is detected against the chain head", async () => {
    const { t, total } = await tenantWithEvents();
    await pool.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq >= $2`, [t.id, total - 1]);
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: String(total - 1), problem: "tail_truncated" });
  });

  it("200 parallel appends for one tenant form one linear chain; another tenant appends meanwhile", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const before = (await verify(a.id)).checked;
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) =>
        inTenant(a.id, (s) => auditorFor(s, SYSTEM_ACTOR, null).record({ action: "test.parallel", targetType: "thing", targetId: String(i) })),
      ),
      appendEvents(b.id, 10),
    ]);
    const va = await verify(a.id);
    expect(va).toMatchObject({ intact: true, checked: before + 200, headSeq: String(before + 200) });
    const seqs = await pool.query(`SELECT seq FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [a.id]);
    expect(seqs.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: before + 200 }, (_, i) => i + 1));
    expect((await verify(b.id)).intact).toBe(true);
  });

  it("a rolled-back mutation leaves no gap", async () => {
    const { t, total } = await tenantWithEvents(1);
    await expect(
      inTenant(t.id, async (s) => {
        await auditorFor(s, SYSTEM_ACTOR, null).record({ action: "test.rolled_back", targetType: "thing" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await appendEvents(t.id, 1);
    expect(await verify(t.id)).toMatchObject({ intact: true, checked: total + 1 });
  });
});
