// Signed checkpoints of a tenant's audit hash chain (table audit_checkpoints, append-only for the
// runtime role). Each one is a small statement signed with the PLATFORM key (server/platform-keys/):
//
//   kind "head"       "tenant T's chain reached event `seq`, whose hash is `hash`, holding
//                      `eventCount` events" — recorded periodically (the audit.checkpoint task), on
//                      demand (audit.checkpoint), and with every export. The head row
//                      (audit_chain_heads) can be rewritten by whoever can write the database; a
//                      signed checkpoint cannot be forged without the platform key, so removing
//                      events from the END of the chain (and rewriting the head to match) is detected
//                      by verifyChain as long as a checkpoint past the cut exists. A chain recomputed
//                      wholesale after an edit is detected the same way (the hash at `seq` differs).
//   kind "retention"  "the retention purge removed events firstSeq..seq (`eventCount`), all older than
//                      `cutoff`; the last one's hash was `hash`" — recorded by the purge in the same
//                      transaction as the deletion (server/audit/retention.ts). verifyChain starts
//                      from the newest one, so the chain that remains still verifies.
//
// `payload` is exactly what was signed (canonical JSON, server/audit/canonical.ts); the columns
// repeat it for queries, and verification checks both agree.
import type { TenantScope } from "../db/doors";
import { activePlatformKey, PlatformSignatureError, signPlatformJson, verifyPlatformJws, type PlatformPublicJwk } from "../platform-keys";

export const CHECKPOINT_TYP = "credo-audit-checkpoint+json";

export type CheckpointKind = "head" | "retention";

/** What the platform key signs. Only JSON strings: it must re-encode identically after a round trip. */
export interface CheckpointPayload {
  typ: "credo.audit.checkpoint";
  v: 1;
  tenantId: string;
  kind: CheckpointKind;
  seq: string;
  /** Hex SHA-256 chain hash. */
  hash: string;
  eventCount: string;
  firstSeq: string | null;
  cutoff: string | null;
  at: string;
}

export interface StoredCheckpoint {
  id: bigint;
  kind: CheckpointKind;
  seq: bigint;
  hash: Uint8Array;
  eventCount: bigint;
  firstSeq: bigint | null;
  cutoff: Date | null;
  payload: unknown;
  signature: string;
  keyId: string;
  createdAt: Date;
}

const select = {
  id: true,
  kind: true,
  seq: true,
  hash: true,
  eventCount: true,
  firstSeq: true,
  cutoff: true,
  payload: true,
  signature: true,
  keyId: true,
  createdAt: true,
} as const;

export interface CheckpointFields {
  kind: CheckpointKind;
  seq: bigint;
  hash: Uint8Array;
  eventCount: bigint;
  firstSeq?: bigint | null;
  cutoff?: Date | null;
}

export function checkpointPayload(tenantId: string, f: CheckpointFields, at: Date): CheckpointPayload {
  return {
    typ: "credo.audit.checkpoint",
    v: 1,
    tenantId,
    kind: f.kind,
    seq: f.seq.toString(),
    hash: Buffer.from(f.hash).toString("hex"),
    eventCount: f.eventCount.toString(),
    firstSeq: f.firstSeq == null ? null : f.firstSeq.toString(),
    cutoff: f.cutoff ? f.cutoff.toISOString() : null,
    at: at.toISOString(),
  };
}

/** Signs and stores a checkpoint in the caller's transaction. */
export async function insertCheckpoint(scope: TenantScope, f: CheckpointFields, at = new Date()): Promise<StoredCheckpoint> {
  const key = await activePlatformKey();
  const payload = checkpointPayload(scope.tenantId, f, at);
  const signature = await signPlatformJson(payload, { typ: CHECKPOINT_TYP, key });
  const row = await scope.db.auditCheckpoint.create({
    data: {
      tenantId: scope.tenantId,
      kind: f.kind,
      seq: f.seq,
      hash: new Uint8Array(f.hash),
      eventCount: f.eventCount,
      firstSeq: f.firstSeq ?? null,
      cutoff: f.cutoff ?? null,
      payload: payload as unknown as object,
      signature,
      keyId: key.kid,
      createdAt: at,
    },
    select,
  });
  return row as StoredCheckpoint;
}

/** The newest retention checkpoint (highest seq): where the chain that remains starts. */
export async function latestRetentionCheckpoint(scope: TenantScope): Promise<StoredCheckpoint | null> {
  const row = await scope.db.auditCheckpoint.findFirst({
    // A checkpoint that removed no chained event (only events from before the chain) moves no base.
    where: { tenantId: scope.tenantId, kind: "retention", eventCount: { gt: 0 } },
    orderBy: [{ seq: "desc" }, { id: "desc" }],
    select,
  });
  return (row as StoredCheckpoint | null) ?? null;
}

/**
 * Head checkpoints above `afterSeq`, ascending by seq (the ones a chain walk passes): the newest
 * `take` of them — the newest one is what catches a cut tail; older ones add history checks.
 */
export async function headCheckpointsAfter(scope: TenantScope, afterSeq: bigint, take = 1000): Promise<StoredCheckpoint[]> {
  const rows = await scope.db.auditCheckpoint.findMany({
    where: { tenantId: scope.tenantId, kind: "head", seq: { gt: afterSeq } },
    orderBy: [{ seq: "desc" }, { id: "desc" }],
    select,
    take,
  });
  return (rows as StoredCheckpoint[]).reverse();
}

/** The newest head checkpoint. */
export async function latestHeadCheckpoint(scope: TenantScope): Promise<StoredCheckpoint | null> {
  const row = await scope.db.auditCheckpoint.findFirst({
    where: { tenantId: scope.tenantId, kind: "head" },
    orderBy: [{ seq: "desc" }, { id: "desc" }],
    select,
  });
  return (row as StoredCheckpoint | null) ?? null;
}

/**
 * Why a stored checkpoint cannot be trusted (null when it can): its signature must verify with a
 * published platform key, and the signed payload must be the row's own tenant and values.
 */
export async function checkpointProblem(tenantId: string, cp: StoredCheckpoint, jwks: { keys: PlatformPublicJwk[] }): Promise<string | null> {
  try {
    const at = new Date(String((cp.payload as { at?: unknown } | null)?.at ?? ""));
    if (Number.isNaN(at.getTime())) return "its signed payload is malformed";
    const expected = checkpointPayload(
      tenantId,
      { kind: cp.kind, seq: cp.seq, hash: cp.hash, eventCount: cp.eventCount, firstSeq: cp.firstSeq, cutoff: cp.cutoff },
      at,
    );
    // Verified over what the COLUMNS say: a row whose values were changed no longer matches its signature.
    await verifyPlatformJws(cp.signature, jwks, expected);
    return null;
  } catch (e) {
    if (e instanceof PlatformSignatureError) return "its platform signature does not verify";
    throw e;
  }
}
