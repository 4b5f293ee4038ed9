// A child process for the crash-safety tests (server/deletion/crash.test.ts), run with tsx:
//   CHILD_MODE=purge   runs runPurge(CHILD_DELETION_ID, CHILD_TENANT_ID) directly
//   CHILD_MODE=worker  runs a graphile worker that takes purge jobs (prints "READY <pool id>");
//                      CHILD_HEARTBEAT_MS / CHILD_DEAD_MS tune its dead-worker recovery
// CHILD_STOP_AFTER_STEP=k   hangs (forever, printing "STOPPED k") right after step k committed
// CHILD_HANG_IN_BATCH=<step id>:<n>  hangs inside the n-th batch of that step, before it commits
// CHILD_BATCH=<rows>        batch size
// The parent SIGKILLs it while it hangs: nothing gets to clean up, as in a crash.
import { runPurge, type PurgeHooks } from "../../deletion/purge";
import { tenantIdFromDatabase } from "../../tenancy/tenant-id";

const hang = (line: string) => {
  console.log(line);
  return new Promise<never>(() => {});
};
const stopAfter = process.env.CHILD_STOP_AFTER_STEP ? Number(process.env.CHILD_STOP_AFTER_STEP) : null;
const [hangStep, hangAt] = (process.env.CHILD_HANG_IN_BATCH ?? ":").split(":");
let batchesOfStep = 0;
const hooks: PurgeHooks = {
  afterStep: async (index) => {
    if (index === stopAfter) await hang(`STOPPED ${index}`);
  },
  // Only when asked for: a batch with this hook keeps its transaction open for it, every other
  // batch is one round trip (server/deletion/purge.ts runTableBatch), the path production runs.
  ...(hangStep
    ? {
        inBatch: async (_db: unknown, step: { id: string }) => {
          if (step.id === hangStep && ++batchesOfStep === Number(hangAt)) await hang(`HANGING ${step.id} ${batchesOfStep}`);
        },
      }
    : {}),
};
const batchSize = process.env.CHILD_BATCH ? Number(process.env.CHILD_BATCH) : undefined;

if (process.env.CHILD_MODE === "worker") {
  const { setPurgeTestHooks, purgeTenantTask } = await import("../../deletion/purge-task");
  const { runWorker } = await import("../../jobs/queue");
  setPurgeTestHooks(hooks, batchSize);
  const worker = await runWorker({
    concurrency: 1,
    pollIntervalMs: 100,
    tasks: [purgeTenantTask],
    heartbeatMs: process.env.CHILD_HEARTBEAT_MS ? Number(process.env.CHILD_HEARTBEAT_MS) : undefined,
    deadWorkerAfterMs: process.env.CHILD_DEAD_MS ? Number(process.env.CHILD_DEAD_MS) : undefined,
  });
  console.log(`READY ${worker.poolId}`);
  await worker.promise;
} else {
  const result = await runPurge({
    deletionId: process.env.CHILD_DELETION_ID!,
    tenantId: tenantIdFromDatabase(process.env.CHILD_TENANT_ID!),
    batchSize,
    hooks,
  });
  console.log(`DONE ${result.outcome}`);
  process.exit(0);
}
