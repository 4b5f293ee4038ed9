// Audit retention: events older than the tenant's policy (dataRetention.auditRetentionDays,
// server/policies/; default 365, at least 30) are removed from the OLD end of its hash chain.
//
// The runtime role can never DELETE audit events. The purge is the one documented exception, and it
// goes through the SQL function audit_retention_purge (migration 20261123190000_audit_exports,
// SECURITY DEFINER, owned by the migration owner), in batches of at most RETENTION_BATCH events, one
// short tenant transaction each (appends at the head never wait on it: they lock only the head row):
//
//   1. read the oldest chained events (after the previous retention base) and re-verify them: a
//      broken segment is never purged (that would launder tampering) — the run stops with an error;
//   2. take the longest prefix older than the cutoff;
//   3. record a signed "retention" checkpoint (first/last seq, count, hash of the last removed event,
//      cutoff) — server/audit/checkpoints.ts;
//   4. call audit_retention_purge(checkpoint id), which deletes exactly that range after re-checking
//      it in SQL (same transaction, oldest events, all older than the cutoff, ≥ 30 days old);
//   5. write an audit.retention_purged event (system actor) into the chain that remains.
//
// verifyChain starts from the newest retention checkpoint, so the remaining chain still verifies.
// When it last ran (and what it removed) is kept in audit_retention_state and shown on the audit page.
import { inTenant, type TenantScope } from "../db/doors";
import { effectiveTenantValues } from "../policies/resolve";
import type { TenantId } from "../tenancy/tenant-id";
import { chainedEventOf, eventHash, GENESIS_HASH } from "./chain";
import { insertCheckpoint, latestRetentionCheckpoint, type StoredCheckpoint } from "./checkpoints";
import { recordAudit, SYSTEM_ACTOR } from "./record";

/** Events removed per transaction. */
export const RETENTION_BATCH = 5000;
/** The floor the SQL function enforces too: nothing younger is ever purged. */
export const MIN_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/** The tenant's audit retention in days, from its effective policy. */
export async function auditRetentionDays(scope: TenantScope): Promise<number> {
  const days = (await effectiveTenantValues(scope)).dataRetention.auditRetentionDays;
  return Math.max(MIN_RETENTION_DAYS, days);
}

export class RetentionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetentionRefusedError";
  }
}

export interface PurgeBatchResult {
  removed: number;
  unchained: number;
  checkpoint: StoredCheckpoint | null;
  /** Nothing more is older than the cutoff. */
  done: boolean;
}

/** One purge batch in the caller's tenant transaction (see the steps at the top). */
export async function purgeRetentionBatch(scope: TenantScope, cutoff: Date, batchSize = RETENTION_BATCH, now = new Date()): Promise<PurgeBatchResult> {
  if (cutoff.getTime() > now.getTime() - MIN_RETENTION_DAYS * DAY_MS) throw new RetentionRefusedError(`Audit events younger than ${MIN_RETENTION_DAYS} days are never purged.`);
  const base = await latestRetentionCheckpoint(scope);
  let expected = base ? base.seq + 1n : 1n;
  let prev: Uint8Array = base ? base.hash : GENESIS_HASH;
  const rows = await scope.db.auditEvent.findMany({
    where: { tenantId: scope.tenantId, seq: { gte: expected } },
    orderBy: { seq: "asc" },
    take: batchSize,
  });
  let firstSeq: bigint | null = null;
  let lastSeq: bigint | null = null;
  let lastHash: Uint8Array | null = null;
  let reachedYoung = false;
  for (const row of rows) {
    if (row.occurredAt >= cutoff) {
      reachedYoung = true;
      break;
    }
    const seq = row.seq!;
    const ok =
      seq === expected &&
      row.prevHash !== null &&
      Buffer.from(row.prevHash).equals(Buffer.from(prev)) &&
      row.hash !== null &&
      Buffer.from(row.hash).equals(Buffer.from(eventHash(row.prevHash, chainedEventOf(row))));
    if (!ok) throw new RetentionRefusedError(`The audit chain does not verify at event ${expected}; nothing is purged until it is investigated (npm run audit:verify).`);
    firstSeq ??= seq;
    lastSeq = seq;
    lastHash = row.hash!;
    prev = row.hash!;
    expected++;
  }
  const unchainedOld = await scope.db.auditEvent.count({ where: { tenantId: scope.tenantId, seq: null, occurredAt: { lt: cutoff } } });
  if (lastSeq === null && unchainedOld === 0) return { removed: 0, unchained: 0, checkpoint: null, done: true };

  const count = lastSeq === null ? 0n : lastSeq - firstSeq! + 1n;
  const checkpoint = await insertCheckpoint(
    scope,
    lastSeq === null
      ? // Only events from before the chain: a zero-count checkpoint that moves no base.
        { kind: "retention", seq: base?.seq ?? 0n, hash: base?.hash ?? GENESIS_HASH, eventCount: 0n, firstSeq: (base?.seq ?? 0n) + 1n, cutoff }
      : { kind: "retention", seq: lastSeq, hash: lastHash!, eventCount: count, firstSeq: firstSeq!, cutoff },
    now,
  );
  const [result] = await scope.db.$queryRaw<{ chained: bigint; unchained: bigint }[]>`
    SELECT chained, unchained FROM audit_retention_purge(${checkpoint.id}::bigint, ${batchSize}::integer)`;
  const removed = Number(result?.chained ?? 0n);
  const unchained = Number(result?.unchained ?? 0n);
  await recordAudit(scope, SYSTEM_ACTOR, null, {
    action: "audit.retention_purged",
    targetType: "audit_trail",
    after: {
      removed,
      unchainedRemoved: unchained,
      firstSeq: firstSeq?.toString() ?? null,
      lastSeq: lastSeq?.toString() ?? null,
      cutoff: cutoff.toISOString(),
      checkpoint: checkpoint.id.toString(),
    },
  });
  const done = reachedYoung || rows.length < batchSize;
  return { removed, unchained, checkpoint, done: done && unchained < batchSize };
}

export interface RetentionRun {
  retentionDays: number;
  cutoff: Date;
  removed: number;
  batches: number;
  error: string | null;
}

/**
 * Purges one tenant's expired events, batch by batch (each its own transaction), and records the
 * run in audit_retention_state. Safe to re-run at any time; a crash loses at most the open batch.
 */
export async function runRetentionPurge(tenantId: TenantId, opts: { now?: Date; batchSize?: number; maxBatches?: number } = {}): Promise<RetentionRun> {
  const now = opts.now ?? new Date();
  const retentionDays = await inTenant(tenantId, auditRetentionDays);
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let removed = 0;
  let batches = 0;
  let error: string | null = null;
  try {
    for (;;) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) break;
      const r = await inTenant(tenantId, (scope) => purgeRetentionBatch(scope, cutoff, opts.batchSize ?? RETENTION_BATCH, now));
      if (r.checkpoint) batches++;
      removed += r.removed + r.unchained;
      if (r.done) break;
    }
  } catch (e) {
    if (!(e instanceof RetentionRefusedError)) throw e;
    error = e.message;
  } finally {
    await inTenant(tenantId, (scope) =>
      scope.db.auditRetentionState.upsert({
        where: { tenantId },
        create: { tenantId, lastRunAt: now, retentionDays, lastCutoff: cutoff, lastRemoved: BigInt(removed), totalRemoved: BigInt(removed), lastError: error },
        update: { lastRunAt: now, retentionDays, lastCutoff: cutoff, lastRemoved: BigInt(removed), totalRemoved: { increment: BigInt(removed) }, lastError: error },
        select: { tenantId: true },
      }),
    );
  }
  return { retentionDays, cutoff, removed, batches, error };
}

export interface RetentionInfo {
  retentionDays: number;
  /** Events older than this are due for removal. */
  cutoff: Date;
  lastRun: { at: Date; removed: string; totalRemoved: string; cutoff: Date; error: string | null } | null;
  /** Events up to this seq were removed (newest retention checkpoint). */
  purgedThroughSeq: string | null;
}

/** What the audit page shows about retention. */
export async function retentionInfo(scope: TenantScope, now = new Date()): Promise<RetentionInfo> {
  const retentionDays = await auditRetentionDays(scope);
  const state = await scope.db.auditRetentionState.findUnique({ where: { tenantId: scope.tenantId } });
  const base = await latestRetentionCheckpoint(scope);
  return {
    retentionDays,
    cutoff: new Date(now.getTime() - retentionDays * DAY_MS),
    lastRun: state
      ? { at: state.lastRunAt, removed: state.lastRemoved.toString(), totalRemoved: state.totalRemoved.toString(), cutoff: state.lastCutoff, error: state.lastError }
      : null,
    purgedThroughSeq: base ? base.seq.toString() : null,
  };
}
