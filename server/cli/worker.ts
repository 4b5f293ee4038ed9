// `npm run worker`: a background-job worker process (server/jobs/queue.ts): the queue on
// JOBS_DATABASE_URL (login role credo_worker), the tasks' own queries on DATABASE_URL. Any
// number may run next to the console (`npm start` runs one in-process too): graphile-worker hands
// each job to exactly one of them, and one tenant's jobs run one at a time.
//   JOBS_CONCURRENCY          jobs at once (default 2)
//   JOBS_DEAD_WORKER_SECONDS  a worker silent this long is taken for dead and its jobs run again
//                             elsewhere (default 300; see server/jobs/queue.ts)
import { runWorker } from "../jobs/queue";
import { disconnectPrisma } from "../db/client";

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: `npm run worker` works on a PostgreSQL server (`npm run dev` runs its own worker).");
    process.exit(2);
  }
  const concurrency = Number(process.env.JOBS_CONCURRENCY ?? 2);
  const dead = process.env.JOBS_DEAD_WORKER_SECONDS ? Number(process.env.JOBS_DEAD_WORKER_SECONDS) * 1000 : undefined;
  const worker = await runWorker({ concurrency, deadWorkerAfterMs: dead });
  console.log(JSON.stringify({ level: "info", msg: "jobs: worker started", pool: worker.poolId, concurrency }));
  const { sweepDueDeletions } = await import("../deletion/service");
  await sweepDueDeletions().catch((e: unknown) => console.error(JSON.stringify({ level: "warn", msg: "deletion sweep failed", error: String(e) })));
  // Audit upkeep (export expiry, retention, signed checkpoints) queued for every tenant now and every
  // AUDIT_MAINTENANCE_INTERVAL_MINUTES; several workers queue it under one job key per tenant.
  const { startAuditMaintenance, stopAuditMaintenance } = await import("../audit/tasks");
  startAuditMaintenance();
  const stop = async () => {
    stopAuditMaintenance();
    await worker.stop();
    await disconnectPrisma();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await worker.promise;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
