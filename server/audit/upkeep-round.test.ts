// The audit upkeep round is a scheduled task on the job queue (graphile-worker's cron): one run per
// slot across every instance and worker — it used to be a timer in each process, so N instances
// queued every round N times and signed N platform checkpoints. A worker starting after a missed
// slot catches it up; JOBS_AUDIT_SWEEP=off leaves it off that worker's schedule.
import { afterAll, describe, expect, it } from "vitest";
import { backgroundTasks, SCHEDULED_TASKS } from "../jobs/boot";
import { runWorker } from "../jobs/queue";
import { makeTenant } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";
import { until } from "../testing/wait";
import { STORAGE_TASK } from "../usage/storage";
import { auditUpkeepRoundTask, MAINTENANCE_TASK, UPKEEP_ROUND_TASK } from "./tasks";

const pool = superuserPool();

const queuedMaintenance = async (tenantId: string) =>
  (
    await pool.query(
      `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
        WHERE t.identifier = $1 AND j.key = $2`,
      [MAINTENANCE_TASK, `tenant:${tenantId}:audit-maintenance`],
    )
  ).rows[0].n as number;

const platformCheckpoints = async () => (await pool.query(`SELECT count(*)::int AS n FROM platform_audit_checkpoints`)).rows[0].n as number;

const markDue = (identifier: string) =>
  pool.query(
    `INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since) VALUES ($1, now() - interval '3 hours')
       ON CONFLICT (identifier) DO UPDATE SET known_since = EXCLUDED.known_since, last_execution = NULL`,
    [identifier],
  );

const knownCrontab = async (identifier: string) =>
  (await pool.query(`SELECT last_execution FROM graphile_worker._private_known_crontabs WHERE identifier = $1`, [identifier])).rows as { last_execution: Date | null }[];

// The round queues maintenance for every tenant of the shared test database: drop those jobs so no
// later file's worker runs them.
const dropQueuedMaintenance = () =>
  pool.query(
    `DELETE FROM graphile_worker._private_jobs WHERE locked_at IS NULL AND task_id IN
       (SELECT id FROM graphile_worker._private_tasks WHERE identifier IN ($1, $2))`,
    [MAINTENANCE_TASK, STORAGE_TASK],
  );

afterAll(() => pool.end());

describe("the audit upkeep round", () => {
  it("is on every worker's schedule, hourly by default", () => {
    expect(SCHEDULED_TASKS).toContain(auditUpkeepRoundTask);
    expect(auditUpkeepRoundTask.name).toBe(UPKEEP_ROUND_TASK);
    const match = auditUpkeepRoundTask.match as (at: { min: number; hour: number; date: number; month: number; dow: number }) => boolean;
    expect(match({ min: 0, hour: 5, date: 1, month: 1, dow: 1 })).toBe(true);
    expect(match({ min: 30, hour: 5, date: 1, month: 1, dow: 1 })).toBe(false);
  });

  it("a missed slot is run once when a worker starts: every tenant's maintenance queued, one platform checkpoint", async () => {
    const t = await makeTenant();
    await dropQueuedMaintenance();
    await markDue(UPKEEP_ROUND_TASK);
    const checkpointsBefore = await platformCheckpoints();
    const worker = await runWorker({ tasks: [], scheduled: [auditUpkeepRoundTask], pollIntervalMs: 100 });
    try {
      await until(async () => (await queuedMaintenance(t.id)) === 1, 30_000);
      await until(async () => (await knownCrontab(UPKEEP_ROUND_TASK))[0]?.last_execution != null, 30_000);
    } finally {
      await worker.stop();
    }
    // The tenant's job key keeps one pending job, however many rounds queue it.
    expect(await queuedMaintenance(t.id)).toBe(1);
    // At most one checkpoint per round (none when the platform stream had nothing new).
    expect((await platformCheckpoints()) - checkpointsBefore).toBeLessThanOrEqual(1);
    await dropQueuedMaintenance();
  });

  it("JOBS_AUDIT_SWEEP=off leaves it off that worker's schedule, and only that task", () => {
    const names = (o: Parameters<typeof backgroundTasks>[0]) => backgroundTasks(o).scheduled.map((t) => t.name);
    expect(names({})).toContain(UPKEEP_ROUND_TASK);
    expect(names({ auditSweep: false })).not.toContain(UPKEEP_ROUND_TASK);
    expect(names({ auditSweep: false }).length).toBe(SCHEDULED_TASKS.length - 1);
    expect(names({ onlyTasks: [UPKEEP_ROUND_TASK] })).toEqual([UPKEEP_ROUND_TASK]);
  });
});
