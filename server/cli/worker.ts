// `npm run worker`: a background-job worker process — the same background work `npm start` runs
// in-process (server/jobs/boot.ts): the queue on JOBS_DATABASE_URL (login role credo_worker), the
// tasks' own queries on DATABASE_URL. Any number may run next to the console: graphile-worker hands
// each job to exactly one of them, one tenant's jobs run one at a time, and a scheduled task's slot
// is queued once however many workers' cron see it.
//   JOBS_CONCURRENCY          jobs at once (default 2)
//   JOBS_DEAD_WORKER_SECONDS  a worker silent this long is taken for dead and its jobs run again
//                             elsewhere (default 300; see server/jobs/queue.ts)
//   JOBS_HEARTBEAT_SECONDS    how often this worker says it is alive (default 15; keep it well
//                             below JOBS_DEAD_WORKER_SECONDS)
//   JOBS_TASKS                comma-separated task names this worker takes, scheduled ones
//                             included (default: all), e.g. a dedicated purge worker:
//                             JOBS_TASKS=tenant.purge
//   JOBS_AUDIT_SWEEP=off      this worker does not schedule the audit upkeep round (others do, or cron runs
//                             `npm run audit:maintenance` instead)
// Every database session of this process is bounded on the server side (idle in transaction,
// lock wait, statement: JOBS_DB_IDLE_IN_TRANSACTION_MS / JOBS_DB_LOCK_TIMEOUT_MS /
// JOBS_DB_STATEMENT_TIMEOUT_MS, defaults 10 s / 5 s / 60 s), so a worker frozen mid-transaction
// (SIGSTOP, a long GC pause) neither holds row locks nor makes others wait for long; a purge run it
// loses meanwhile is fenced by its lease (server/deletion/purge.ts).
import { boundPrismaSessions, disconnectPrisma, sessionOptions, type SessionTimeouts } from "../db/client";
import { logger } from "../observability/logger";

function ms(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 100 ? v : fallback;
}

const TIMEOUTS: SessionTimeouts = {
  idleInTransactionMs: ms("JOBS_DB_IDLE_IN_TRANSACTION_MS", 10_000),
  lockTimeoutMs: ms("JOBS_DB_LOCK_TIMEOUT_MS", 5_000),
  statementTimeoutMs: ms("JOBS_DB_STATEMENT_TIMEOUT_MS", 60_000),
  applicationName: "credo-worker",
};

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: `npm run worker` works on a PostgreSQL server (`npm run dev` runs its own worker).");
    process.exit(2);
  }
  const concurrency = Number(process.env.JOBS_CONCURRENCY ?? 2);
  const dead = process.env.JOBS_DEAD_WORKER_SECONDS ? Number(process.env.JOBS_DEAD_WORKER_SECONDS) * 1000 : undefined;
  const heartbeat = process.env.JOBS_HEARTBEAT_SECONDS ? Number(process.env.JOBS_HEARTBEAT_SECONDS) * 1000 : undefined;
  boundPrismaSessions(TIMEOUTS);
  // Spans per job when OTEL_EXPORTER_OTLP_ENDPOINT is set; nothing is loaded otherwise.
  const { startTracing, shutdownTracing } = await import("../observability/tracing");
  await startTracing();
  const only = process.env.JOBS_TASKS?.split(",").map((t) => t.trim()).filter(Boolean);
  // Loaded after the session bounds and tracing are in place: the tasks' modules come with it.
  const { startBackgroundWork } = await import("../jobs/boot");
  const work = await startBackgroundWork({
    worker: { concurrency, deadWorkerAfterMs: dead, heartbeatMs: heartbeat, sessionOptions: sessionOptions(TIMEOUTS) },
    onlyTasks: only,
    auditSweep: process.env.JOBS_AUDIT_SWEEP !== "off",
  });
  logger.info({ pool: work.worker.poolId, concurrency }, "jobs: worker started");
  const stop = async () => {
    await work.stop();
    await shutdownTracing().catch(() => undefined);
    await disconnectPrisma();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await work.worker.promise;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
