// Automatic promotion: a next key staged AUTO_PROMOTE_AFTER_HOURS ago becomes current; a younger one
// does not. It runs as the scheduled task keys.auto-promote on the job queue (hourly, graphile's
// cron) and by hand with `npm run keys:auto-promote`. The sweep covers every tenant of the shared
// test database, so assertions are about this file's tenants only.
import { describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { SCHEDULED_TASKS } from "../jobs/boot";
import { runWorker, scheduledQueueName } from "../jobs/queue";
import { SYSTEM_ACTOR } from "../audit/record";
import { makeTenant } from "../testing/fixtures";
import { autoPromoteDueKeys } from "./auto-promote";
import { AUTO_PROMOTE_AFTER_HOURS, stageNextKey } from "./service";
import { AUTO_PROMOTE_TASK, autoPromoteKeysTask } from "./tasks";
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

describe("the scheduled task keys.auto-promote", () => {
  const knownCrontab = async (pool: ReturnType<typeof superuserPool>) =>
    (await pool.query(`SELECT known_since, last_execution FROM graphile_worker._private_known_crontabs WHERE identifier = $1`, [AUTO_PROMOTE_TASK])).rows as {
      known_since: Date;
      last_execution: Date | null;
    }[];

  it("is on every worker's schedule, hourly, and a worker's cron registers it", async () => {
    expect(SCHEDULED_TASKS).toContain(autoPromoteKeysTask);
    expect(autoPromoteKeysTask).toMatchObject({ name: AUTO_PROMOTE_TASK, match: "0 * * * *" });
    const pool = superuserPool();
    try {
      await pool.query(`DELETE FROM graphile_worker._private_known_crontabs WHERE identifier = $1`, [AUTO_PROMOTE_TASK]);
      // Through the queue's own login role (JOBS_DATABASE_URL), as in production.
      const worker = await runWorker({ tasks: [], scheduled: [autoPromoteKeysTask], pollIntervalMs: 100 });
      try {
        const end = Date.now() + 20_000;
        while ((await knownCrontab(pool)).length === 0) {
          if (Date.now() > end) throw new Error("the cron item was never registered");
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await worker.stop();
      }
    } finally {
      await pool.end();
    }
  });

  it("promotes due keys from the queue as the CLI does: a missed hour is caught up when a worker starts", async () => {
    const t = await makeTenant();
    const [old] = await keysOf(t.id);
    const key = await stageAt(t, new Date(Date.now() - GRACE - HOUR));
    const mark = await lastAuditId(t.id);
    const pool = superuserPool();
    try {
      // The schedule has been known for two hours and never ran: the last top of the hour is due.
      await pool.query(
        `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since) VALUES ($1, now() - interval '2 hours')
           ON CONFLICT (identifier) DO UPDATE SET known_since = EXCLUDED.known_since, last_execution = NULL`,
        [AUTO_PROMOTE_TASK],
      );
      const worker = await runWorker({ tasks: [], scheduled: [autoPromoteKeysTask], pollIntervalMs: 100 });
      try {
        const end = Date.now() + 30_000;
        while ((await keysOf(t.id)).find((k) => k.id === key.id)!.state !== "current") {
          if (Date.now() > end) throw new Error("the scheduled run never promoted the key");
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await worker.stop();
      }
      const [known] = await knownCrontab(pool);
      expect(known!.last_execution).not.toBeNull();
      // The job ran in the task's own queue (one run at a time across workers) and is gone.
      const left = await pool.query(
        `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE q.queue_name = $1`,
        [scheduledQueueName(AUTO_PROMOTE_TASK)],
      );
      expect(left.rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
    const keys = await keysOf(t.id);
    expect(inState(keys, "current").map((k) => k.id)).toEqual([key.id]);
    expect(inState(keys, "previous").map((k) => k.id)).toEqual([old!.id]);
    const events = await auditEvents(t.id, mark);
    expect(events.map((e) => [e.action, e.actorType])).toEqual([
      ["signing_key.retired", "system"],
      ["signing_key.promoted", "system"],
    ]);
  });
});
