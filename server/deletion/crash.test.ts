// Crash safety of the purge on the real PostgreSQL server: a worker process SIGKILLed after every
// step k (and inside a batch, before it commits), then restarted, ends in exactly the state of an
// uninterrupted run; so does a purge whose database connection is dropped mid-batch, one whose
// queue worker is killed holding the job, and two workers started at once. A worker frozen
// (SIGSTOP) mid-batch neither stalls the purge nor writes after it resumes (session timeouts on the
// database side + the purge lease), and a run that lost its lease between batches writes nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { callerFor, makeUser } from "../testing/fixtures";
import { removeTenantJob, runWorker } from "../jobs/queue";
import { PURGE_STEPS } from "./plan";
import { PURGE_JOB_KEY, runPurge } from "./purge";
import { purgeTenantTask, setPurgeTestHooks } from "./purge-task";
import { verifyReceipt, type SignedReceipt } from "./receipt";
import { deletionRow, seedTenant, tenantSnapshot, type SeededTenant } from "../testing/deletion";
import { until } from "../testing/wait";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_MIGRATION_URL!, max: 4 });
const BATCH = 100;
let admin: { id: string };
let reference: EndState;

beforeAll(async () => {
  admin = await makeUser({ platformRole: "security_admin" });
  const { t, deletionId } = await prepared({ keepJob: false });
  expect(await runPurge({ deletionId, tenantId: t.id, batchSize: BATCH })).toEqual({ outcome: "completed" });
  reference = await endState(t.id);
});
afterAll(() => pool.end());

/** A seeded tenant whose deletion is due now (grace shortened to 0). */
async function prepared(opts: { keepJob: boolean; extraAuditEvents?: number }): Promise<{ t: SeededTenant; deletionId: string }> {
  const t = await seedTenant(admin, pool, { extraAuditEvents: opts.extraAuditEvents ?? 250 });
  const d = await callerFor(t.owner.id).deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "crash test" });
  await callerFor(admin.id).platform.deletions.shortenGrace({ slug: t.slug, confirmSlug: t.slug, graceDays: 0, purgeNow: true, reason: "crash test" });
  if (!opts.keepJob) await removeTenantJob(t.id, PURGE_JOB_KEY);
  return { t, deletionId: d.id };
}

const OUTSIDE_DB = new Set(["redis_keys", "export_files"]);
const withoutExternal = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([k]) => !OUTSIDE_DB.has(k)).sort());

interface EndState {
  rows: Record<string, number>;
  status: string;
  stepIndex: number;
  batches: number;
  deleted: Record<string, number>;
  receiptDeleted: Record<string, number>;
  chainSeq: string;
}

async function endState(tenantId: string): Promise<EndState> {
  const snap = await tenantSnapshot(pool, tenantId);
  const d = (await deletionRow(pool, tenantId))!;
  const signed = JSON.parse(d.receipt ?? "null") as SignedReceipt | null;
  const receipt = signed ? (await verifyReceipt(signed)).receipt : null;
  return {
    rows: Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.n])),
    status: d.status,
    stepIndex: d.step_index,
    batches: d.batches,
    deleted: withoutExternal(d.deleted_counts),
    receiptDeleted: withoutExternal(receipt?.deleted ?? {}),
    chainSeq: String(d.chain_seq),
  };
}

interface Child {
  proc: ChildProcess;
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  kill(): Promise<void>;
}

function spawnChild(env: Record<string, string>): Child {
  // node itself with tsx's loader (not the tsx CLI, which runs node as ITS child: SIGKILL would hit
  // the wrapper and leave the real process running).
  const proc = spawn(process.execPath, ["--import", "tsx", path.resolve("server/testing/children/purge.ts")], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  proc.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const m = out.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m[0]);
      }
    }
  });
  let err = "";
  proc.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  return {
    proc,
    waitFor(pattern, ms = 60_000) {
      const m = out.match(pattern);
      if (m) return Promise.resolve(m[0]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child did not print ${pattern} in ${ms} ms; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`)), ms);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        proc.on("exit", (code) => {
          clearTimeout(timer);
          if (!out.match(pattern)) reject(new Error(`child exited (${code}) before printing ${pattern}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-2000)}`));
        });
      });
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

describe("purge crash safety", () => {
  it("the reference run purged everything", () => {
    expect(reference.status).toBe("completed");
    expect(reference.deleted.audit_events).toBeGreaterThan(250);
    expect(reference.batches).toBeGreaterThan(PURGE_STEPS.length);
    for (const [table, n] of Object.entries(reference.rows)) {
      expect({ table, n }).toEqual({ table, n: ["tenants", "audit_chain_heads", "tenant_deletions"].includes(table) ? 1 : 0 });
    }
  });

  it("SIGKILL after every step k, then restart: the end state equals the uninterrupted run", { timeout: 600_000 }, async () => {
    const ks = PURGE_STEPS.map((_, k) => k);
    const PARALLEL = 4;
    for (let i = 0; i < ks.length; i += PARALLEL) {
      await Promise.all(
        ks.slice(i, i + PARALLEL).map(async (k) => {
          const { t, deletionId } = await prepared({ keepJob: false });
          const child = spawnChild({ CHILD_MODE: "purge", CHILD_DELETION_ID: deletionId, CHILD_TENANT_ID: t.id, CHILD_STOP_AFTER_STEP: String(k), CHILD_BATCH: String(BATCH) });
          try {
            await child.waitFor(new RegExp(`STOPPED ${k}\\b`));
          } finally {
            await child.kill();
          }
          const mid = (await deletionRow(pool, t.id))!;
          expect({ k, stepIndex: mid.step_index }).toEqual({ k, stepIndex: k + 1 });
          // Restart (a new run of the purge) and compare.
          const resumed = await runPurge({ deletionId, tenantId: t.id, batchSize: BATCH, attempt: 2 });
          expect(resumed.outcome).toBe(k === PURGE_STEPS.length - 1 ? "nothing_to_do" : "completed");
          expect({ k, ...(await endState(t.id)) }).toEqual({ k, ...reference });
        }),
      );
    }
  });

  it("SIGKILL inside a batch (before it commits): the batch never happened", { timeout: 120_000 }, async () => {
    for (const where of ["audit_events:2", "memberships:1", "finalize:1"]) {
      const { t, deletionId } = await prepared({ keepJob: false });
      const child = spawnChild({ CHILD_MODE: "purge", CHILD_DELETION_ID: deletionId, CHILD_TENANT_ID: t.id, CHILD_HANG_IN_BATCH: where, CHILD_BATCH: String(BATCH) });
      try {
        await child.waitFor(/HANGING/);
      } finally {
        await child.kill();
      }
      const stepId = where.split(":")[0];
      expect((await deletionRow(pool, t.id))!.step_index).toBe(PURGE_STEPS.findIndex((s) => s.id === stepId));
      expect((await runPurge({ deletionId, tenantId: t.id, batchSize: BATCH, attempt: 2 })).outcome).toBe("completed");
      expect({ where, ...(await endState(t.id)) }).toEqual({ where, ...reference });
    }
  });

  it("a queue worker killed while holding the purge job: another worker sees it is dead and resumes the purge", { timeout: 120_000 }, async () => {
    const { t } = await prepared({ keepJob: true });
    const first = spawnChild({ CHILD_MODE: "worker", CHILD_STOP_AFTER_STEP: "6", CHILD_BATCH: String(BATCH), CHILD_HEARTBEAT_MS: "500" });
    let firstPool = "";
    try {
      firstPool = (await first.waitFor(/READY \S+/)).split(" ")[1]!;
      await first.waitFor(/STOPPED 6/);
    } finally {
      await first.kill();
    }
    const locked = await pool.query(`SELECT locked_by FROM graphile_worker._private_jobs WHERE key = $1`, [`tenant:${t.id}:${PURGE_JOB_KEY}`]);
    expect(locked.rows[0]?.locked_by).toBe(firstPool);
    // The next worker takes the silent pool for dead after 2 s (production default: 5 minutes).
    const second = spawnChild({ CHILD_MODE: "worker", CHILD_BATCH: String(BATCH), CHILD_HEARTBEAT_MS: "500", CHILD_DEAD_MS: "2000" });
    try {
      await until(async () => (await deletionRow(pool, t.id))?.status === "completed", 60_000, "resumed purge");
    } finally {
      await second.kill();
    }
    expect(await endState(t.id)).toEqual(reference);
    expect((await deletionRow(pool, t.id))!.retries).toBe(1);
    expect((await pool.query(`SELECT count(*)::int AS n FROM job_worker_heartbeats WHERE pool_id = $1`, [firstPool])).rows[0].n).toBe(0);
  });

  it("a database connection dropped mid-batch: the attempt fails, the retry completes the same", { timeout: 120_000 }, async () => {
    const { t } = await prepared({ keepJob: true });
    let dropped = false;
    setPurgeTestHooks(
      {
        inBatch: async (tx, step) => {
          if (step.id !== "audit_events" || dropped) return;
          dropped = true;
          const rows = await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
          await pool.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
        },
      },
      BATCH,
    );
    const worker = await runWorker({ tasks: [purgeTenantTask], pollIntervalMs: 100 });
    try {
      await until(async () => (await deletionRow(pool, t.id))?.status === "completed", 60_000, "purge after the dropped connection");
    } finally {
      await worker.stop();
      setPurgeTestHooks(undefined);
    }
    expect(dropped).toBe(true);
    expect(await endState(t.id)).toEqual(reference);
    const row = (await deletionRow(pool, t.id))!;
    expect(row.retries).toBe(1);
    expect(row.last_error).toBeNull();
  });

  it("two workers started at once: every purge runs once, none interleaves, all end as the reference", { timeout: 180_000 }, async () => {
    const tenants: SeededTenant[] = [];
    for (let i = 0; i < 4; i++) tenants.push((await prepared({ keepJob: true })).t);
    const workers = [spawnChild({ CHILD_MODE: "worker", CHILD_BATCH: String(BATCH) }), spawnChild({ CHILD_MODE: "worker", CHILD_BATCH: String(BATCH) })];
    try {
      await until(async () => {
        for (const t of tenants) if ((await deletionRow(pool, t.id))?.status !== "completed") return false;
        return true;
      }, 120_000, "four purges");
    } finally {
      await Promise.all(workers.map((w) => w.kill()));
    }
    for (const t of tenants) {
      expect(await endState(t.id)).toEqual(reference);
      expect((await deletionRow(pool, t.id))!.retries).toBe(0);
    }
  });

  it("two purges of one tenant at once (e.g. after a lock timeout) serialise on the deletion row, fenced by the lease", async () => {
    const { t, deletionId } = await prepared({ keepJob: false });
    const results = await Promise.all([runPurge({ deletionId, tenantId: t.id, batchSize: BATCH }), runPurge({ deletionId, tenantId: t.id, batchSize: BATCH })]);
    // One finishes; the other lost its lease to it (the newer run) and stopped without writing, or
    // found the deletion completed.
    expect(results.filter((r) => r.outcome === "completed")).toHaveLength(1);
    expect(results.every((r) => r.outcome === "completed" || r.outcome === "lease_lost" || (r.outcome === "nothing_to_do" && r.status === "completed"))).toBe(true);
    expect(await endState(t.id)).toEqual(reference);
  });

  it("a run that lost its lease between batches (another run took over) writes nothing when it goes on", { timeout: 120_000 }, async () => {
    const { t, deletionId } = await prepared({ keepJob: false });
    let reached!: () => void;
    let release!: () => void;
    const atStep = new Promise<void>((r) => (reached = r));
    const held = new Promise<void>((r) => (release = r));
    const stale = runPurge({
      deletionId,
      tenantId: t.id,
      batchSize: BATCH,
      hooks: {
        afterStep: async (i) => {
          if (i !== 3) return;
          reached();
          await held;
        },
      },
    });
    await atStep;
    expect(await runPurge({ deletionId, tenantId: t.id, batchSize: BATCH })).toEqual({ outcome: "completed" });
    const done = await pool.query(`SELECT * FROM tenant_deletions WHERE id = $1`, [deletionId]);
    release();
    expect(await stale).toEqual({ outcome: "lease_lost" });
    expect((await pool.query(`SELECT * FROM tenant_deletions WHERE id = $1`, [deletionId])).rows).toEqual(done.rows);
    expect(await endState(t.id)).toEqual(reference);
  });

  it("a real `npm run worker` frozen mid-batch (SIGSTOP): the database ends its transaction, another worker finishes, and after SIGCONT it writes nothing", { timeout: 240_000 }, async () => {
    const { t, deletionId } = await prepared({ keepJob: true, extraAuditEvents: 3000 });
    // Its own process group (npm → sh → tsx → node), so the signals reach the real worker.
    const proc = spawn("npm", ["run", "--silent", "worker"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        JOBS_CONCURRENCY: "1",
        JOBS_HEARTBEAT_SECONDS: "1",
        JOBS_TASKS: "tenant.purge",
        JOBS_AUDIT_SWEEP: "off",
        PURGE_BATCH_SIZE: "10",
        JOBS_DB_IDLE_IN_TRANSACTION_MS: "2000",
        JOBS_DB_LOCK_TIMEOUT_MS: "1000",
      },
    });
    let log = "";
    proc.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    proc.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    const group = proc.pid!;
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-group, sig);
      } catch {
        /* already gone */
      }
    };
    let second: Awaited<ReturnType<typeof runWorker>> | null = null;
    try {
      await until(async () => {
        const d = await deletionRow(pool, t.id);
        return d?.status === "purging" && d.batches >= 5;
      }, 120_000, `the worker purging (log: ${log.slice(-500)})`);

      // Freeze it while its transaction holds the deletion row (SELECT … FOR UPDATE: RowShareLock).
      let frozenPid: number | null = null;
      for (let i = 0; i < 300 && frozenPid === null; i++) {
        signal("SIGSTOP");
        await sleep(20);
        const held = await pool.query(
          `SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
            WHERE a.application_name = 'credo-worker' AND a.xact_start IS NOT NULL AND l.granted
              AND l.relation = 'tenant_deletions'::regclass AND l.mode = 'RowShareLock'`,
        );
        if (held.rows.length) frozenPid = held.rows[0].pid as number;
        else {
          signal("SIGCONT");
          await sleep(3 + Math.floor(Math.random() * 15));
        }
      }
      expect(frozenPid).not.toBeNull();
      const frozenAt = (await deletionRow(pool, t.id))!;
      expect(frozenAt.status).toBe("purging");

      // Not stalled: the server ends the idle transaction (2 s here) and its locks go with it.
      await until(async () => (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [frozenPid])).rowCount === 0, 15_000, "the frozen session to be ended");

      // Another worker takes the silent one for dead (3 s) and finishes the purge under a new lease.
      second = await runWorker({ tasks: [purgeTenantTask], heartbeatMs: 500, deadWorkerAfterMs: 3_000, pollIntervalMs: 100 });
      await until(async () => (await deletionRow(pool, t.id))?.status === "completed", 120_000, "the purge to complete on the second worker");
      await second.stop();
      second = null;
      const done = (await pool.query(`SELECT * FROM tenant_deletions WHERE id = $1`, [deletionId])).rows[0];
      expect(done.lease_generation).toBeGreaterThan(0);
      expect(done.last_error).toBeNull();

      // Thawed: its connection was ended and its lease is stale — nothing it does reaches the database.
      signal("SIGCONT");
      await sleep(4_000);
      expect((await pool.query(`SELECT * FROM tenant_deletions WHERE id = $1`, [deletionId])).rows[0]).toEqual(done);
      const left = await tenantSnapshot(pool, t.id);
      for (const [table, s] of Object.entries(left)) {
        expect({ table, n: s.n }).toEqual({ table, n: ["tenants", "audit_chain_heads", "tenant_deletions"].includes(table) ? 1 : 0 });
      }
    } finally {
      if (second) await second.stop();
      signal("SIGCONT");
      signal("SIGKILL");
    }
  });
});
