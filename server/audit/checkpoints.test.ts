// Signed checkpoints: truncating the tail AND rewriting the head row to match is still detected;
// a chain recomputed after an edit is detected; a forged or altered checkpoint is reported; the
// checkpoint task verifies incrementally and never doubles a checkpoint.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { inTenant } from "../db/doors";
import { callerFor, grant, makeUser, rejection } from "../testing/fixtures";
import type { TenantId } from "../tenancy/tenant-id";
import { eventHash, GENESIS_HASH, recordHeadCheckpoint, verifyChain, type ChainedEvent } from "./chain";
import { appendChained, bareTenant } from "../testing/audit";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
});
afterAll(async () => {
  await pool.end();
});

const verify = (id: TenantId) => inTenant(id, (s) => verifyChain(s));
const checkpoint = (id: TenantId) => inTenant(id, (s) => recordHeadCheckpoint(s));

async function chainWith(n: number) {
  const t = await bareTenant();
  await appendChained(t.id, Array.from({ length: n }, (_, i) => ({ action: "test.cp", targetId: String(i) })));
  return t;
}

/** Rewrites events from `fromSeq` on with recomputed hashes, and the head — what a careful forger with database access does. */
async function rechain(tenantId: string, fromSeq: number) {
  const rows = await pool.query(`SELECT * FROM audit_events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq`, [tenantId, fromSeq - 1]);
  let prev: Uint8Array = fromSeq === 1 ? GENESIS_HASH : rows.rows[0].hash;
  for (const r of rows.rows.filter((r) => Number(r.seq) >= fromSeq)) {
    const ev: ChainedEvent = {
      tenantId: r.tenant_id, seq: BigInt(r.seq), occurredAt: r.occurred_at, actorType: r.actor_type, actorId: r.actor_id, actorLabel: r.actor_label,
      action: r.action, targetType: r.target_type, targetId: r.target_id, outcome: r.outcome, before: r.before, after: r.after, ip: r.ip, userAgent: r.user_agent, requestId: r.request_id,
    };
    const hash = eventHash(prev, ev);
    await pool.query(`UPDATE audit_events SET prev_hash = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [tenantId, r.seq, Buffer.from(prev), Buffer.from(hash)]);
    prev = hash;
  }
  await pool.query(`UPDATE audit_chain_heads SET head_hash = $2 WHERE tenant_id = $1`, [tenantId, Buffer.from(prev)]);
}

describe("signed checkpoints", () => {
  it("record the verified head once; nothing new → no new row; the verification names the checkpoint", async () => {
    const t = await chainWith(5);
    const first = await checkpoint(t.id);
    expect(first).toMatchObject({ created: true });
    expect(first.checkpoint!.seq).toBe(5n);
    expect(first.checkpoint!.eventCount).toBe(5n);
    expect((await checkpoint(t.id)).created).toBe(false);
    await appendChained(t.id, [{}, {}]);
    const second = await checkpoint(t.id);
    expect(second.created).toBe(true);
    expect(second.verification.fromSeq).toBe("5"); // incremental: only 6..7 were walked
    expect(second.verification.checked).toBe(2);
    const v = await verify(t.id);
    expect(v).toMatchObject({ intact: true, checked: 7, latestCheckpoint: { seq: "7" } });
  });

  it("truncating the tail and rewriting the head row to match is caught by the checkpoint", async () => {
    const t = await chainWith(8);
    await checkpoint(t.id);
    await pool.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq >= 7`, [t.id]);
    const six = await pool.query(`SELECT hash FROM audit_events WHERE tenant_id = $1 AND seq = 6`, [t.id]);
    await pool.query(`UPDATE audit_chain_heads SET seq = 6, head_hash = $2 WHERE tenant_id = $1`, [t.id, six.rows[0].hash]);
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: "7", problem: "tail_truncated" });
    // Without the checkpoint the forgery would pass: the head row alone cannot tell.
    await pool.query(`DELETE FROM audit_checkpoints WHERE tenant_id = $1`, [t.id]);
    expect((await verify(t.id)).intact).toBe(true);
  });

  it("a chain re-hashed after an edit verifies link by link, but not against the signed checkpoint", async () => {
    const t = await chainWith(6);
    await checkpoint(t.id);
    await pool.query(`UPDATE audit_events SET after = '{"i": 99}' WHERE tenant_id = $1 AND seq = 3`, [t.id]);
    await rechain(t.id, 3);
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: "6", problem: "checkpoint_mismatch" });
  });

  it("a forged or altered checkpoint is reported, not trusted", async () => {
    const t = await chainWith(4);
    await checkpoint(t.id);
    await pool.query(`UPDATE audit_checkpoints SET event_count = event_count + 1 WHERE tenant_id = $1`, [t.id]);
    expect(await verify(t.id)).toMatchObject({ intact: false, firstBrokenSeq: "4", problem: "bad_checkpoint" });
    await pool.query(`UPDATE audit_checkpoints SET event_count = event_count - 1, signature = 'eyJhbGciOiJFZERTQSJ9..AAAA' WHERE tenant_id = $1`, [t.id]);
    expect(await verify(t.id)).toMatchObject({ problem: "bad_checkpoint" });
  });

  it("the runtime role may add checkpoints but never change or remove them", async () => {
    const t = await chainWith(2);
    await checkpoint(t.id);
    for (const sql of ["UPDATE audit_checkpoints SET seq = 1", "DELETE FROM audit_checkpoints"]) {
      await expect(inTenant(t.id, (s) => s.db.$executeRawUnsafe(sql))).rejects.toThrow(/permission denied/);
    }
  });

  it("on demand through tRPC (audit.manage: owners, not support); a broken chain gets no checkpoint", async () => {
    const t = await chainWith(3);
    const owner = await makeUser();
    const support = await makeUser();
    await grant(t, owner.id, "owner");
    await grant(t, support.id, "support");
    expect(await callerFor(owner.id).audit.checkpoint({ tenant: t.slug })).toMatchObject({ seq: "3", created: true });
    expect(await rejection(callerFor(support.id).audit.checkpoint({ tenant: t.slug }))).toMatchObject({ code: "FORBIDDEN" });
    await appendChained(t.id, [{}]);
    await pool.query(`UPDATE audit_events SET target_id = 'x' WHERE tenant_id = $1 AND seq = 4`, [t.id]);
    expect(await rejection(callerFor(owner.id).audit.checkpoint({ tenant: t.slug }))).toMatchObject({ code: "CONFLICT" });
  });
});
