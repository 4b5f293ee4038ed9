// The job queue on the real PostgreSQL server: per-tenant queues, enqueue only through the tenant
// door, paused tenants postponed, job keys namespaced per tenant.
import { afterAll, describe, expect, it } from "vitest";
import { until } from "../testing/wait";
import pg from "pg";
import { z } from "zod";
import { inTenant, onPlatform } from "../db/doors";
import { makeTenant } from "../testing/fixtures";
import { defineTask, enqueueTenantJob, removeTenantJob, runWorker, type WorkerHandle } from "./queue";

// Inspects the queue and pauses tenants as the owner (the app itself runs as credo_runtime).
const url = process.env.DATABASE_MIGRATION_URL!;
const pool = new pg.Pool({ connectionString: url, max: 2 });
afterAll(() => pool.end());

const seen: { tenantId: string; n: number; attempt: number; at: number }[] = [];
const running = new Map<string, number>();
let overlap = 0;
const record = defineTask("test.record", z.object({ n: z.number().int(), sleepMs: z.number().int().default(0), fail: z.boolean().default(false) }), async (p, ctx) => {
  running.set(ctx.tenantId, (running.get(ctx.tenantId) ?? 0) + 1);
  if (running.get(ctx.tenantId)! > 1) overlap++;
  try {
    if (p.sleepMs) await new Promise((r) => setTimeout(r, p.sleepMs));
    if (p.fail && ctx.attempt === 1) throw new Error("first attempt fails");
    seen.push({ tenantId: ctx.tenantId, n: p.n, attempt: ctx.attempt, at: Date.now() });
  } finally {
    running.set(ctx.tenantId, running.get(ctx.tenantId)! - 1);
  }
});

async function jobsOf(tenantId: string) {
  const r = await pool.query<{ key: string | null; queue_name: string; run_at: Date; attempts: number }>(
    `SELECT j.key, q.queue_name, j.run_at, j.attempts FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE q.queue_name = $1`,
    [`tenant:${tenantId}`],
  );
  return r.rows;
}

describe("job queue", () => {
  it("enqueues into the tenant's own queue, with a namespaced job key, only through the door", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    await enqueueTenantJob(a.id, record, { n: 1 }, { jobKey: "same", runAt: new Date(Date.now() + 3_600_000) });
    await enqueueTenantJob(b.id, "test.record", { n: 2 }, { jobKey: "same", runAt: new Date(Date.now() + 3_600_000) });
    // Same key in two tenants: two jobs, one per queue (graphile's keys are global; ours are prefixed).
    expect((await jobsOf(a.id)).map((j) => j.key)).toEqual([`tenant:${a.id}:same`]);
    expect((await jobsOf(b.id)).map((j) => j.key)).toEqual([`tenant:${b.id}:same`]);
    // Removing by key in A's scope never touches B's job.
    expect(await removeTenantJob(a.id, "same")).toBe(true);
    expect(await jobsOf(a.id)).toEqual([]);
    expect(await jobsOf(b.id)).toHaveLength(1);
    expect(await removeTenantJob(b.id, "same")).toBe(true);
  });

  it("refuses enqueueing without a tenant scope, and the runtime role cannot reach the queue's schema", async () => {
    await expect(onPlatform((db) => db.$queryRaw`SELECT credo_enqueue_tenant_job('test.record', '{}'::jsonb, NULL, NULL, NULL)`)).rejects.toThrow(/tenant scope/);
    const t = await makeTenant();
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT count(*) FROM graphile_worker._private_jobs`)).rejects.toThrow(/permission denied/);
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT graphile_worker.add_job('test.record')`)).rejects.toThrow(/permission denied/);
    await expect(enqueueTenantJob(t.id, record, { n: "x" } as never)).rejects.toThrow();
  });

  it("an enqueue inside a rolled-back transaction leaves no job", async () => {
    const t = await makeTenant();
    await expect(
      inTenant(t.id, async (scope) => {
        await enqueueTenantJob(scope, record, { n: 3 });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await jobsOf(t.id)).toEqual([]);
  });

  it("runs one tenant's jobs one at a time, other tenants in parallel; retries; postpones paused tenants", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const paused = await makeTenant();
    await pool.query("UPDATE tenants SET paused_at = now(), paused_reason = 'test' WHERE id = $1", [paused.id]);
    for (let i = 0; i < 3; i++) await enqueueTenantJob(a.id, record, { n: i, sleepMs: 150 });
    for (let i = 0; i < 3; i++) await enqueueTenantJob(b.id, record, { n: 10 + i, sleepMs: 150 });
    await enqueueTenantJob(a.id, record, { n: 99, fail: true });
    await enqueueTenantJob(paused.id, record, { n: 50 });

    let worker: WorkerHandle | null = null;
    try {
      worker = await runWorker({ concurrency: 4, pollIntervalMs: 100, tasks: [record], pausedRecheckMs: 3_600_000 });
      await until(() => seen.filter((s) => s.tenantId === a.id || s.tenantId === b.id).length === 6, 30_000);
      // The failing job ran again after graphile's backoff (exp(1) ≈ 2.7 s).
      await until(() => seen.some((s) => s.n === 99), 30_000);
    } finally {
      await worker?.stop();
    }
    expect(overlap).toBe(0);
    expect(seen.filter((s) => s.tenantId === a.id && s.n < 3).map((s) => s.n)).toEqual([0, 1, 2]);
    expect(seen.find((s) => s.n === 99)!.attempt).toBe(2);
    // B ran while A was running (parallel across tenants).
    const aSpan = seen.filter((s) => s.tenantId === a.id && s.n < 3).map((s) => s.at);
    const bSpan = seen.filter((s) => s.tenantId === b.id).map((s) => s.at);
    expect(Math.min(...bSpan)).toBeLessThan(Math.max(...aSpan));
    // The paused tenant's job did not run and was postponed without using an attempt.
    expect(seen.some((s) => s.tenantId === paused.id)).toBe(false);
    const postponed = await jobsOf(paused.id);
    expect(postponed).toHaveLength(1);
    expect(postponed[0]!.attempts).toBe(0);
    expect(postponed[0]!.run_at.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });
});
