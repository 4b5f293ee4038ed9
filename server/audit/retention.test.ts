// Retention: events past the tenant's policy are purged from the old end of the chain, in batches,
// through the SQL door audit_retention_purge, each batch with a signed retention checkpoint — and the
// chain that remains still verifies. The door refuses anything else.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { inTenant } from "../db/doors";
import { insertTenantVersion, TENANT_SCOPE_KEY } from "../policies/repository";
import { callerFor, grant, makeUser } from "../testing/fixtures";
import { recordHeadCheckpoint, verifyChain } from "./chain";
import { insertCheckpoint } from "./checkpoints";
import { retentionInfo, runRetentionPurge } from "./retention";
import { appendChained, bareTenant, daysAgo } from "../testing/audit";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
});
afterAll(async () => {
  await pool.end();
});

async function seqs(tenantId: string): Promise<number[]> {
  const r = await pool.query(`SELECT seq FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [tenantId]);
  return r.rows.map((x) => Number(x.seq));
}

describe("audit retention", () => {
  it("purges events older than the policy (default 365 days) in batches; the remaining chain verifies", async () => {
    const t = await bareTenant();
    await appendChained(t.id, [
      ...Array.from({ length: 7 }, (_, i) => ({ at: daysAgo(500 - i), action: "old.event" })),
      ...Array.from({ length: 3 }, (_, i) => ({ at: daysAgo(100 - i), action: "recent.event" })),
    ]);
    // A checkpoint from before the purge keeps holding (it vouches for seq 10, which stays).
    await inTenant(t.id, (s) => recordHeadCheckpoint(s));

    const run = await runRetentionPurge(t.id, { batchSize: 3 });
    expect(run).toMatchObject({ retentionDays: 365, removed: 7, batches: 3, error: null });
    // 1..7 removed; 8..10 stay; one audit.retention_purged event per batch appended (11..13).
    expect(await seqs(t.id)).toEqual([8, 9, 10, 11, 12, 13]);
    const v = await inTenant(t.id, (s) => verifyChain(s));
    expect(v).toMatchObject({ intact: true, purgedThroughSeq: "7", checked: 6 });
    expect(v.message).toMatch(/retention purge/);

    const checkpoints = await pool.query(`SELECT first_seq, seq, event_count FROM audit_checkpoints WHERE tenant_id = $1 AND kind = 'retention' ORDER BY id`, [t.id]);
    expect(checkpoints.rows.map((r) => [Number(r.first_seq), Number(r.seq), Number(r.event_count)])).toEqual([[1, 3, 3], [4, 6, 3], [7, 7, 1]]);

    // Running again removes nothing and still verifies; the state records both runs.
    expect((await runRetentionPurge(t.id)).removed).toBe(0);
    expect((await inTenant(t.id, (s) => verifyChain(s))).intact).toBe(true);
    const info = await inTenant(t.id, (s) => retentionInfo(s));
    expect(info).toMatchObject({ retentionDays: 365, purgedThroughSeq: "7", lastRun: { removed: "0", totalRemoved: "7", error: null } });
  });

  it("follows the tenant's policy (dataRetention.auditRetentionDays), shown through tRPC", async () => {
    const t = await bareTenant();
    const owner = await makeUser();
    await grant(t, owner.id, "owner");
    await appendChained(t.id, [{ at: daysAgo(200) }, { at: daysAgo(40) }, { at: daysAgo(1) }]);
    const caller = callerFor(owner.id);
    await inTenant(t.id, (s) =>
      insertTenantVersion(s, TENANT_SCOPE_KEY, null, { version: 1, document: { dataRetention: { auditRetentionDays: 30 } }, authorId: null, authorLabel: "test", comment: "short retention", createdAt: new Date() }),
    );
    const before = await caller.audit.retention({ tenant: t.slug });
    expect(before).toMatchObject({ retentionDays: 30, lastRun: null });
    expect((await runRetentionPurge(t.id)).removed).toBe(2);
    const after = await caller.audit.retention({ tenant: t.slug });
    expect(after.lastRun).toMatchObject({ removed: "2" });
    expect((await caller.audit.verifyChain({ tenant: t.slug })).intact).toBe(true);
  });

  it("never purges a segment that does not verify (that would launder tampering)", async () => {
    const t = await bareTenant();
    await appendChained(t.id, Array.from({ length: 4 }, (_, i) => ({ at: daysAgo(400 - i) })));
    await pool.query(`UPDATE audit_events SET target_id = 'tampered' WHERE tenant_id = $1 AND seq = 2`, [t.id]);
    const run = await runRetentionPurge(t.id);
    expect(run.removed).toBe(0);
    expect(run.error).toMatch(/does not verify at event 2/);
    expect(await seqs(t.id)).toEqual([1, 2, 3, 4]);
    expect((await inTenant(t.id, (s) => retentionInfo(s))).lastRun?.error).toMatch(/does not verify/);
  });

  it("the SQL door deletes only what a retention checkpoint of the same transaction names, old enough, from the start", async () => {
    const t = await bareTenant();
    await appendChained(t.id, [{ at: daysAgo(400) }, { at: daysAgo(399) }, { at: daysAgo(10) }]);
    const rows = await pool.query(`SELECT seq, hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq`, [t.id]);
    const hashOf = (seq: number) => rows.rows.find((r) => Number(r.seq) === seq)!.hash as Buffer;
    const attempt = (f: { firstSeq: bigint; seq: bigint; count: bigint; cutoff: Date; hashSeq: number }) =>
      inTenant(t.id, async (scope) => {
        const cp = await insertCheckpoint(scope, { kind: "retention", seq: f.seq, hash: hashOf(f.hashSeq), eventCount: f.count, firstSeq: f.firstSeq, cutoff: f.cutoff });
        return scope.db.$queryRaw`SELECT * FROM audit_retention_purge(${cp.id}::bigint, 0)`;
      });
    // Younger than 30 days.
    await expect(attempt({ firstSeq: 1n, seq: 1n, count: 1n, cutoff: daysAgo(5), hashSeq: 1 })).rejects.toThrow(/younger than 30 days/);
    // Not the start of the chain (a hole).
    await expect(attempt({ firstSeq: 2n, seq: 2n, count: 1n, cutoff: daysAgo(300), hashSeq: 2 })).rejects.toThrow(/oldest events/);
    // Holds an event newer than the cutoff.
    await expect(attempt({ firstSeq: 1n, seq: 3n, count: 3n, cutoff: daysAgo(300), hashSeq: 3 })).rejects.toThrow(/newer than the cutoff/);
    // The hash is not the last removed event's.
    await expect(attempt({ firstSeq: 1n, seq: 2n, count: 2n, cutoff: daysAgo(300), hashSeq: 1 })).rejects.toThrow(/hash/);
    // A checkpoint from an earlier transaction cannot be replayed.
    const old = await inTenant(t.id, (scope) => insertCheckpoint(scope, { kind: "retention", seq: 1n, hash: hashOf(1), eventCount: 1n, firstSeq: 1n, cutoff: daysAgo(300) }));
    await expect(inTenant(t.id, (scope) => scope.db.$queryRaw`SELECT * FROM audit_retention_purge(${old.id}::bigint, 0)`)).rejects.toThrow(/same transaction|purging transaction/);
    // Without a tenant scope it refuses; another tenant's checkpoint id is unknown in this tenant.
    const other = await bareTenant();
    await expect(inTenant(other.id, (scope) => scope.db.$queryRaw`SELECT * FROM audit_retention_purge(${old.id}::bigint, 0)`)).rejects.toThrow(/no retention checkpoint/);
    expect(await seqs(t.id)).toEqual([1, 2, 3]);
    // The runtime role still cannot delete audit events directly.
    await expect(inTenant(t.id, (s) => s.db.$executeRawUnsafe("DELETE FROM audit_events"))).rejects.toThrow(/permission denied/);
  });
});
