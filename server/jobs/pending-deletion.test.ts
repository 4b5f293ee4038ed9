// Nothing of a tenant on its way out runs except what must (issue 12): while a tenant is pending
// deletion its jobs are dropped — audit upkeep included, which used to write checkpoints into a
// tenant being purged — except the purge itself and, during the grace period only, audit exports.
import { afterAll, describe, expect, inject, it } from "vitest";
import { until } from "../testing/wait";
import pg from "pg";
import { z } from "zod";
import { makeTenant } from "../testing/fixtures";
import { auditMaintenanceTask } from "../audit/tasks";
import { defineTask, enqueueTenantJob, runWorker } from "./queue";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 }); // the owner: tampering and inspection
afterAll(() => pool.end());

const ran: string[] = [];
const plain = defineTask("test.pending.plain", z.object({ tag: z.string() }), async (p) => {
  ran.push(`plain:${p.tag}`);
});
const grace = defineTask("test.pending.grace", z.object({ tag: z.string() }), async (p) => {
  ran.push(`grace:${p.tag}`);
}, { whilePendingDeletion: "grace" });

async function pendingJobs(tenantId: string): Promise<number> {
  const r = await pool.query(
    `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE q.queue_name = $1`,
    [`tenant:${tenantId}`],
  );
  return r.rows[0].n as number;
}

async function counts(tenantId: string) {
  const r = await pool.query(
    `SELECT (SELECT count(*) FROM audit_events WHERE tenant_id = $1)::int AS events,
            (SELECT count(*) FROM audit_checkpoints WHERE tenant_id = $1)::int AS checkpoints`,
    [tenantId],
  );
  return r.rows[0] as { events: number; checkpoints: number };
}

describe("jobs of a tenant pending deletion", () => {
  it("are dropped (audit upkeep writes nothing), except grace-time tasks before the purge starts", async () => {
    const t = await makeTenant();
    // Queued while the tenant was live …
    await enqueueTenantJob(t.id, auditMaintenanceTask, {}, { jobKey: "audit-maintenance" });
    await enqueueTenantJob(t.id, plain, { tag: "a" });
    await enqueueTenantJob(t.id, grace, { tag: "in-grace" });
    // … then the deletion is requested (pending, in grace).
    await pool.query(`UPDATE tenants SET status = 'pending_deletion' WHERE id = $1`, [t.id]);
    const d = await pool.query(
      `INSERT INTO tenant_deletions (target_tenant_id, tenant_slug, status, reason, requested_by_label, requested_at, grace_days, purge_after, requested_counts)
       VALUES ($1, $2, 'pending', 'test', 'test', now(), 30, now() + interval '30 days', '{}') RETURNING id`,
      [t.id, t.slug],
    );
    const before = await counts(t.id);
    const worker = await runWorker({ tasks: [auditMaintenanceTask, plain, grace], pollIntervalMs: 100 });
    try {
      await until(async () => (await pendingJobs(t.id)) === 0);
      expect(ran).toEqual(["grace:in-grace"]);
      expect(await counts(t.id)).toEqual(before);

      // Once the purge has started, even grace-time tasks are dropped.
      await pool.query(`UPDATE tenant_deletions SET status = 'purging', purge_started_at = now() WHERE id = $1`, [d.rows[0].id]);
      await pool.query(`UPDATE tenants SET status = 'active' WHERE id = $1`, [t.id]);
      const soon = new Date(Date.now() + 1_500);
      await enqueueTenantJob(t.id, grace, { tag: "purging" }, { runAt: soon });
      await enqueueTenantJob(t.id, auditMaintenanceTask, {}, { jobKey: "audit-maintenance", runAt: soon });
      await pool.query(`UPDATE tenants SET status = 'pending_deletion' WHERE id = $1`, [t.id]);
      await until(async () => (await pendingJobs(t.id)) === 0);
      expect(ran).toEqual(["grace:in-grace"]);
      expect(await counts(t.id)).toEqual(before);
    } finally {
      await worker.stop();
    }
  });
});
