// The purge of a tenant whose deletion grace period is over: every step of PURGE_STEPS (plan.ts),
// in bounded batches, each batch ONE tenant transaction (through the door inTenant: RLS applies)
// that
//   1. locks the deletion's row (SELECT … FOR UPDATE) — concurrent purges of one tenant serialise
//      here, whatever the queue does — and checks that the checkpoint is still where it expects;
//   2. deletes at most `batchSize` rows (tables through the purge door credo_purge_tenant_rows, see
//      migration 20261123180000_tenant_deletion for why that is safe);
//      a table step's batch (lock, checks, delete, checkpoint) is ONE statement,
//      credo_purge_table_batch (migration 20261206103100): fewer round trips per batch;
//   3. advances the checkpoint (rows deleted per kind, step index) in the same transaction.
// So a batch and its checkpoint commit together or not at all: a worker killed anywhere (or a
// connection dropped mid-batch) resumes at the last committed checkpoint, and the end state — rows,
// counts, receipt contents — equals an uninterrupted run's. Steps outside the database (Redis keys,
// export files) are idempotent and run before their checkpoint.
import { createHash, randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { inTenant, type Db, type TenantScope } from "../db/doors";
import { inTenantPlain, inTenantPlainOneTrip, plainDoorAvailable, type PlainTx } from "../db/plain-door";
import { tenantExportDir } from "../audit/export/files";
import { recordAudit, SYSTEM_ACTOR } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { canonical } from "../audit/canonical";
import { purgeTenantRedisKeys } from "../jobs/redis-keys";
import type { JobLog } from "../jobs/task";
import type { TenantId } from "../tenancy/tenant-id";
import { countTenantData, PLANNED_TABLES, PURGE_STEPS, SURVIVING_TENANT_TABLES, tenantOwnedTables, type PurgeStep } from "./plan";
import { signReceipt, type DeletionReceipt } from "./receipt";

export const PURGE_BATCH_SIZE = 1000;
/** The tenant's purge job key (one open deletion per tenant). */
export const PURGE_JOB_KEY = "tenant-purge";
export const PURGE_MAX_ATTEMPTS = 100;
const SHREDDED_KEK_ID = "shredded";

/**
 * Test seams: called after a step completed / inside a batch's transaction before it commits
 * (a table batch then keeps its transaction open for the hook, see runTableBatch) / after a batch
 * committed (the bench's clock).
 */
export interface PurgeHooks {
  afterStep?(index: number, step: PurgeStep): Promise<void> | void;
  inBatch?(tx: PlainTx, step: PurgeStep, index: number): Promise<void> | void;
  afterBatch?(step: PurgeStep, index: number): void;
}

export interface PurgeOptions {
  deletionId: string;
  tenantId: TenantId;
  now?: () => Date;
  batchSize?: number;
  signal?: AbortSignal;
  /** The job attempt (2+ = a retry: counted on the deletion). */
  attempt?: number;
  hooks?: PurgeHooks;
  log?: JobLog;
}

export type PurgeOutcome =
  | { outcome: "completed" }
  /** Another run took the lease (a newer generation) meanwhile: this one wrote nothing more. */
  | { outcome: "lease_lost" }
  | { outcome: "not_due"; purgeAfter: Date }
  | { outcome: "interrupted" }
  | { outcome: "nothing_to_do"; status: string | null };

interface DeletionRow {
  status: string;
  step_index: number;
  purge_after: Date;
  lease_generation: number;
}

/**
 * Fencing: each run of the purge takes a lease — the deletion's lease_generation, incremented —
 * and every write of the run is conditional on it still being the newest (checked under the row
 * lock, and again in the checkpoint UPDATE itself). A worker that froze (SIGSTOP, a long GC pause)
 * and lost its job to another worker finds a newer generation when it resumes, and its batch rolls
 * back instead of writing.
 */
export class LeaseLostError extends Error {
  constructor() {
    super("The purge lease was taken over by a newer run; this run stopped without writing.");
    this.name = "LeaseLostError";
  }
}

async function lockDeletion(scope: TenantScope, deletionId: string): Promise<DeletionRow | null> {
  const rows = await scope.db.$queryRaw<DeletionRow[]>`
    SELECT status, step_index, purge_after, lease_generation FROM tenant_deletions
     WHERE id = ${deletionId}::uuid AND target_tenant_id = ${scope.tenantId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/** Runs (or resumes) the purge. Safe to call concurrently and repeatedly. */
export async function runPurge(opts: PurgeOptions): Promise<PurgeOutcome> {
  const { deletionId, tenantId } = opts;
  // The lease: a new generation for this run (the retry counter moves in the same statement).
  const leased = await inTenant(tenantId, (scope) =>
    scope.db.$queryRaw<{ lease_generation: number }[]>`
      UPDATE tenant_deletions SET lease_generation = lease_generation + 1,
             retries = retries + ${(opts.attempt ?? 1) > 1 ? 1 : 0}::int
       WHERE id = ${deletionId}::uuid AND target_tenant_id = ${tenantId}::uuid AND status IN ('pending', 'purging')
      RETURNING lease_generation`,
  );
  if (leased.length === 0) {
    const current = await inTenant(tenantId, (scope) => scope.db.tenantDeletion.findFirst({ where: { id: deletionId, targetTenantId: tenantId }, select: { status: true } }));
    return { outcome: "nothing_to_do", status: current?.status ?? null };
  }
  const lease = leased[0]!.lease_generation;
  try {
    return await purgeUnderLease(opts, lease);
  } catch (e) {
    if (e instanceof LeaseLostError) return { outcome: "lease_lost" };
    // Recorded for people, only while this run still holds the lease (a stale run writes nothing).
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
    await inTenant(tenantId, (scope) =>
      scope.db.tenantDeletion.updateMany({ where: { id: deletionId, status: { in: ["pending", "purging"] }, leaseGeneration: lease }, data: { lastError: message } }),
    ).catch(() => undefined);
    throw e;
  }
}

async function purgeUnderLease(opts: PurgeOptions, lease: number): Promise<PurgeOutcome> {
  const now = opts.now ?? (() => new Date());
  const batchSize = opts.batchSize ?? PURGE_BATCH_SIZE;
  const { deletionId, tenantId } = opts;

  const current = await inTenant(tenantId, (scope) =>
    scope.db.tenantDeletion.findFirst({ where: { id: deletionId, targetTenantId: tenantId }, select: { status: true, purgeAfter: true } }),
  );
  if (!current || (current.status !== "pending" && current.status !== "purging")) return { outcome: "nothing_to_do", status: current?.status ?? null };
  if (current.status === "pending") {
    if (now() < current.purgeAfter) return { outcome: "not_due", purgeAfter: current.purgeAfter };
    const started = await startPurge(tenantId, deletionId, now(), lease);
    if (started !== "purging") return started === "not_due" ? { outcome: "not_due", purgeAfter: current.purgeAfter } : { outcome: "nothing_to_do", status: started };
    opts.log?.info("purge: started", { deletionId });
  }

  let index = await inTenant(tenantId, async (scope) => (await scope.db.tenantDeletion.findFirstOrThrow({ where: { id: deletionId }, select: { stepIndex: true } })).stepIndex);
  while (index < PURGE_STEPS.length) {
    if (opts.signal?.aborted) return { outcome: "interrupted" };
    const step = PURGE_STEPS[index]!;
    const result = await runBatch(opts, step, index, batchSize, now, lease);
    opts.hooks?.afterBatch?.(step, index);
    if (result.state === "stopped") return { outcome: "nothing_to_do", status: result.status };
    if (result.state === "moved") {
      index = result.stepIndex;
      continue;
    }
    if (result.nextIndex !== index) {
      if (result.nextIndex > index) await opts.hooks?.afterStep?.(index, step);
      index = result.nextIndex;
    }
  }
  opts.log?.info("purge: completed", { deletionId });
  return { outcome: "completed" };
}

/**
 * pending → purging, once the grace period is over: the tenant's last audit event
 * (tenant.purge_started) is written and the chain head after it is sealed into the deletion record.
 */
async function startPurge(tenantId: TenantId, deletionId: string, at: Date, lease: number): Promise<"purging" | "not_due" | string> {
  return inTenant(tenantId, async (scope) => {
    const row = await lockDeletion(scope, deletionId);
    if (!row) return "missing";
    if (row.lease_generation !== lease) throw new LeaseLostError();
    if (row.status !== "pending") return row.status;
    if (at < row.purge_after) return "not_due";
    const tenant = await scope.db.$queryRaw<{ status: string }[]>`SELECT status FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
    if (tenant[0]?.status !== "pending_deletion") return `tenant_${tenant[0]?.status ?? "missing"}`;
    await recordAudit(scope, SYSTEM_ACTOR, null, {
      action: "tenant.purge_started",
      targetType: "tenant",
      targetId: tenantId,
      after: { deletionId, purgeAfter: row.purge_after.toISOString() },
    });
    const head = await scope.db.auditChainHead.findUniqueOrThrow({ where: { tenantId }, select: { seq: true, headHash: true } });
    await recordPlatformAudit(scope.db, SYSTEM_ACTOR, null, {
      action: "tenant.purge_started",
      targetType: "tenant",
      targetId: tenantId,
      tenantId,
      // "head", not "headHash": audit details drop every key that looks like a hash (redactSecrets).
      details: { deletionId, sealedChain: { seq: head.seq.toString(), head: Buffer.from(head.headHash).toString("hex") } },
    });
    const moved = await scope.db.tenantDeletion.updateMany({
      where: { id: deletionId, leaseGeneration: lease },
      data: { status: "purging", purgeStartedAt: at, stepIndex: 0, step: PURGE_STEPS[0]!.id, chainSeq: head.seq, chainHeadHash: head.headHash, lastProgressAt: at },
    });
    if (moved.count !== 1) throw new LeaseLostError();
    return "purging";
  });
}

type BatchResult =
  | { state: "stopped"; status: string | null }
  | { state: "moved"; stepIndex: number }
  | { state: "ok"; nextIndex: number };

interface StepWork {
  /** Rows/entries deleted in this batch, per kind. */
  counts: Record<string, number>;
  /** Where the checkpoint goes: index (more batches), index + 1 (step done) or back (re-run). */
  nextIndex: number;
}

async function runBatch(opts: PurgeOptions, step: PurgeStep, index: number, batchSize: number, now: () => Date, lease: number): Promise<BatchResult> {
  const { tenantId, deletionId } = opts;
  // Outside the database, idempotent: done first, counted by the checkpoint below.
  let external: Record<string, number> = {};
  if (step.kind === "redis") external = { redis_keys: await purgeTenantRedisKeys(tenantId) };
  if (step.kind === "files") external = { export_files: await removeExportFiles(tenantId) };
  if (step.kind === "table") return runTableBatch(opts, step, index, batchSize, now, lease);

  return inTenant(tenantId, async (scope) => {
    const row = await lockDeletion(scope, deletionId);
    if (row && row.lease_generation !== lease) throw new LeaseLostError();
    if (!row || row.status !== "purging") return { state: "stopped", status: row?.status ?? null };
    if (row.step_index !== index) return { state: "moved", stepIndex: row.step_index };

    const work = await stepWork(scope, step, index, batchSize, external, now(), opts, lease);
    await opts.hooks?.inBatch?.(prismaTx(scope.db), step, index);
    // The checkpoint, in one statement: counts added per kind, step index moved. (The final step
    // writes its own, with the completion; the status condition then skips this.)
    const stepId = PURGE_STEPS[Math.min(work.nextIndex, PURGE_STEPS.length - 1)]!.id;
    const advanced = await scope.db.$executeRaw`
      UPDATE tenant_deletions d SET
        deleted_counts = d.deleted_counts || coalesce((
          SELECT jsonb_object_agg(e.key, coalesce((d.deleted_counts ->> e.key)::bigint, 0) + e.value::bigint)
            FROM jsonb_each_text(${JSON.stringify(work.counts)}::jsonb) e), '{}'::jsonb),
        batches = d.batches + 1, step_index = ${work.nextIndex}::int, step = ${stepId},
        last_progress_at = ${now()}::timestamptz, last_error = NULL
      WHERE d.id = ${deletionId}::uuid AND d.status = 'purging' AND d.lease_generation = ${lease}::int`;
    // Fenced in the writing statement itself: no row = a newer run owns the purge; roll back.
    if (advanced !== 1 && work.nextIndex < PURGE_STEPS.length) throw new LeaseLostError();
    return { state: "ok", nextIndex: work.nextIndex };
  });
}

/**
 * A batch of a "table" step — nearly every batch of a purge — in ONE statement inside the tenant
 * transaction: credo_purge_table_batch (migrations 20261206103100, 20261209100000) locks the
 * deletion, checks the lease, status and step exactly as runBatch does, deletes through the purge
 * door and writes the checkpoint, fenced on the lease (it raises rather than commit a delete
 * without its checkpoint). On a real server the whole transaction is ONE round trip
 * (server/db/plain-door.ts inTenantPlainOneTrip: BEGIN, role and tenant scope, the batch, COMMIT)
 * instead of a Prisma interactive transaction, whose own cost was most of a batch's (issue 16);
 * same role, same RLS, same atomicity. With an inBatch hook (the crash tests' seam inside the
 * transaction) the batch keeps an open transaction for the hook: inTenantPlain, or the Prisma door
 * on embedded PGlite.
 */
async function runTableBatch(opts: PurgeOptions, step: PurgeStep, index: number, batchSize: number, now: () => Date, lease: number): Promise<BatchResult> {
  const nextStep = PURGE_STEPS[Math.min(index + 1, PURGE_STEPS.length - 1)]!.id;
  const values = [opts.deletionId, lease, index, step.table!, batchSize, step.id, nextStep, now()];
  const outcome = (r: TableBatchRow | undefined): BatchResult => {
    if (!r || r.state === "lease_lost") throw new LeaseLostError();
    if (r.state === "stopped") return { state: "stopped", status: r.status };
    if (r.state === "moved") return { state: "moved", stepIndex: r.step_index! };
    return { state: "ok", nextIndex: r.step_index! };
  };
  const inBatch = opts.hooks?.inBatch;
  try {
    if (plainDoorAvailable() && !inBatch) return outcome((await inTenantPlainOneTrip<TableBatchRow>(opts.tenantId, TABLE_BATCH_SQL, values))[0]);
    const batch = async (tx: PlainTx): Promise<BatchResult> => {
      const result = outcome((await tx.query<TableBatchRow>(TABLE_BATCH_SQL, values))[0]);
      if (result.state === "ok") await inBatch?.(tx, step, index);
      return result;
    };
    if (plainDoorAvailable()) return await inTenantPlain(opts.tenantId, batch);
    return await inTenant(opts.tenantId, (scope) => batch(prismaTx(scope.db)));
  } catch (e) {
    if (isLeaseLostRaise(e)) throw new LeaseLostError();
    throw e;
  }
}

interface TableBatchRow {
  state: string;
  status: string | null;
  step_index: number | null;
  deleted: number;
}

const TABLE_BATCH_SQL = `SELECT state, status, step_index, deleted
  FROM credo_purge_table_batch($1::uuid, $2::int, $3::int, $4::text, $5::int, $6::text, $7::text, $8::timestamptz)`;

/** credo_purge_table_batch's raise when its checkpoint found no row (a newer run took the lease). */
function isLeaseLostRaise(e: unknown): boolean {
  // pg's error carries the hint; through the Prisma door (embedded PGlite) only the message survives.
  return (e as { hint?: unknown } | null)?.hint === "credo_purge_lease_lost" || (e instanceof Error && e.message.includes("purge lease lost"));
}

/** The Prisma transaction as a PlainTx (embedded PGlite, and the hooks of non-table steps). */
function prismaTx(db: Db): PlainTx {
  return { query: <R,>(sql: string, params: readonly unknown[] = []) => db.$queryRawUnsafe<R[]>(sql, ...params) };
}

/** One batch of the purge door: at most `limit` rows of `table`, this tenant's only. */
async function purgeRows(scope: TenantScope, table: string, limit: number): Promise<number> {
  const rows = await scope.db.$queryRaw<{ n: number }[]>`SELECT credo_purge_tenant_rows(${table}, ${limit}::int) AS n`;
  return Number(rows[0]?.n ?? 0);
}

async function stepWork(
  scope: TenantScope,
  step: PurgeStep,
  index: number,
  batchSize: number,
  external: Record<string, number>,
  at: Date,
  opts: PurgeOptions,
  lease: number,
): Promise<StepWork> {
  const done = (counts: Record<string, number>): StepWork => ({ counts, nextIndex: index + 1 });
  switch (step.kind) {
    case "shred": {
      // Crypto-shredding: the wrapped data key is overwritten with random bytes (and its KEK id with a
      // marker), so no KEK can unwrap it any more and every private signing key encrypted under it
      // is unreadable from now on — even in backups taken after this point. The row itself goes
      // with the tables below (signing keys reference it).
      const n = await scope.db.tenantDataKey.updateMany({
        where: { tenantId: scope.tenantId, kekId: { not: SHREDDED_KEK_ID } },
        data: { kekId: SHREDDED_KEK_ID, wrapIv: new Uint8Array(randomBytes(12)), wrapTag: new Uint8Array(randomBytes(16)), wrappedKey: new Uint8Array(randomBytes(32)), rotatedAt: at },
      });
      return done({ crypto_shredded_data_keys: n.count });
    }
    case "redis":
    case "files":
      return done(external);
    case "table":
      // Handled whole by runTableBatch (one statement per batch); runBatch never gets here.
      throw new Error(`purge step ${step.id}: table steps run through credo_purge_table_batch`);
    case "catalog": {
      const others = (await tenantOwnedTables(scope)).filter((t) => !PLANNED_TABLES.has(t) && !SURVIVING_TENANT_TABLES.has(t));
      for (const table of others) {
        const n = await purgeRows(scope, table, batchSize);
        if (n > 0) {
          opts.log?.warn("purge: deleted rows of a table the purge plan does not name", { table, rows: n });
          return { counts: { [table]: n }, nextIndex: index };
        }
      }
      return done({});
    }
    case "identifiers": {
      // Released, not just deleted: the kids, API key ids, client ids and redirect URIs become free
      // for other tenants (the runtime role may delete its own tenant's claims: policy release_own).
      const n = await scope.db.$executeRaw`
        DELETE FROM global_identifiers WHERE (kind, value) IN (
          SELECT kind, value FROM global_identifiers WHERE owner_tenant_id = ${scope.tenantId}::uuid LIMIT ${batchSize}::int)`;
      return { counts: { global_identifiers: n }, nextIndex: n < batchSize ? index + 1 : index };
    }
    case "finalize":
      return finalize(scope, index, at, opts, lease);
  }
}

/** Verifies that nothing of the tenant is left, then seals the tombstone and signs the receipt. */
async function finalize(scope: TenantScope, index: number, at: Date, opts: PurgeOptions, lease: number): Promise<StepWork> {
  const left = Object.entries(await countTenantData(scope)).filter(([, n]) => n > 0);
  if (left.length > 0) {
    // Rows appeared after their step (a request that was already in flight when the purge began):
    // run the row steps again.
    opts.log?.warn("purge: rows left after their step; running the row steps again", { left: Object.fromEntries(left) });
    return { counts: {}, nextIndex: PURGE_STEPS.findIndex((s) => s.kind === "table") };
  }
  const d = await scope.db.tenantDeletion.findUniqueOrThrow({ where: { id: opts.deletionId } });
  const tenant = await scope.db.tenant.findUniqueOrThrow({ where: { id: scope.tenantId }, select: { id: true, slug: true } });
  const receipt: DeletionReceipt = {
    type: "credo.tenant-deletion-receipt",
    version: 1,
    deletionId: d.id,
    tenant: { id: tenant.id, slug: tenant.slug },
    requested: { at: d.requestedAt.toISOString(), byUserId: d.requestedById },
    grace: { days: d.graceDays, purgeAfter: d.purgeAfter.toISOString() },
    purge: { startedAt: (d.purgeStartedAt ?? at).toISOString(), completedAt: at.toISOString(), executedBy: "credo purge worker" },
    deleted: normalisedCounts(d.deletedCounts as Record<string, number>),
    requestedCounts: normalisedCounts(d.requestedCounts as Record<string, number>),
    cryptoShredded: ["tenant data key (wraps every private signing key)"],
    auditChain: { seq: String(d.chainSeq ?? 0n), headHash: d.chainHeadHash ? Buffer.from(d.chainHeadHash).toString("hex") : "" },
    issuedAt: at.toISOString(),
  };
  const signed = await signReceipt(receipt);
  // The tombstone: id, slug (reserved, see README), dates. The name goes; the pause note too.
  await scope.db.tenant.update({
    where: { id: scope.tenantId },
    data: { status: "deleted", deletedAt: at, name: tenant.slug, pausedAt: null, pausedReason: null },
    select: { id: true },
  });
  const completed = await scope.db.tenantDeletion.updateMany({
    where: { id: d.id, leaseGeneration: lease },
    data: { status: "completed", completedAt: at, receipt: JSON.stringify(signed), stepIndex: PURGE_STEPS.length, batches: { increment: 1 }, lastProgressAt: at, lastError: null },
  });
  if (completed.count !== 1) throw new LeaseLostError();
  // Personal data goes with the tenant: every deletion record of it (this one and earlier, cancelled
  // ones) keeps the requester's user id and a SHA-256 digest of the reason ("sha256:<hex>", enough to
  // check a claimed reason), never the e-mail labels or the free text.
  // Through a narrow function (least privilege): the runtime may not rewrite a deletion's reason or
  // requester; the function does only this, only for a tenant whose tombstone is written.
  await scope.db.$queryRaw`SELECT credo_scrub_tenant_deletions(${scope.tenantId}::uuid) AS n`;
  // What survives the purge: the receipt's digest (SHA-256 of its canonical JSON) and the sealed
  // chain, in the platform stream.
  await recordPlatformAudit(scope.db, SYSTEM_ACTOR, null, {
    action: "tenant.purge_completed",
    targetType: "tenant",
    targetId: scope.tenantId,
    tenantId: scope.tenantId,
    details: {
      deletionId: d.id,
      slug: tenant.slug,
      receiptDigest: createHash("sha256").update(canonical(signed.receipt), "utf8").digest("hex"),
      deleted: receipt.deleted,
      sealedChain: { seq: receipt.auditChain.seq, head: receipt.auditChain.headHash },
    },
  });
  // The checkpoint was written with the completion above (runBatch skips a deletion no longer purging).
  return { counts: {}, nextIndex: PURGE_STEPS.length };
}

function normalisedCounts(c: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, Number(v)]));
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    n += entry.isDirectory() ? await countFiles(path.join(dir, entry.name)) : 1;
  }
  return n;
}

/** The tenant's audit export files (<EXPORT_DIR>/<tenant id>/, server/audit/export/files.ts): removed with the folder. */
async function removeExportFiles(tenantId: TenantId): Promise<number> {
  const dir = tenantExportDir(tenantId);
  try {
    if (!(await stat(dir)).isDirectory()) return 0;
  } catch {
    return 0;
  }
  const n = await countFiles(dir);
  await rm(dir, { recursive: true, force: true });
  return n;
}
