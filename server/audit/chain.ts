// Tamper evidence for the audit trail: each tenant's events form a hash chain.
//
//   hash(n) = SHA-256( hash(n-1) || canonical(event n) )      hash(0) = 32 zero bytes
//
// canonical() is JSON with keys sorted at every level, so the same event always encodes to the
// same bytes whatever order PostgreSQL's jsonb hands the keys back in. Appending locks the tenant's
// row in audit_chain_heads (SELECT … FOR UPDATE) until the transaction ends: appends of one tenant
// form one linear chain, other tenants never wait, and a rolled-back mutation leaves no gap.
// verifyChain() walks a tenant's chain in seq order and names the first broken sequence number. It
// starts from the newest signed retention checkpoint (what the retention purge removed) and checks
// the chain against every signed head checkpoint (checkpoints.ts), so a cut tail is found even when
// the head row was rewritten to match.
import { createHash } from "node:crypto";
import type { TenantScope } from "../db/doors";
import { canonical } from "./canonical";
import { checkpointProblem, headCheckpointsAfter, insertCheckpoint, latestHeadCheckpoint, latestRetentionCheckpoint, type StoredCheckpoint } from "./checkpoints";
import { platformPublicJwks } from "../platform-keys";

export { canonical };

export const GENESIS_HASH: Uint8Array<ArrayBuffer> = new Uint8Array(32);

/** The fields an event's hash covers: everything but its storage id and the chain columns. */
export interface ChainedEvent {
  tenantId: string;
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** A stored audit_events row as the fields its hash covers (the one mapping verifiers share). */
export function chainedEventOf(row: Omit<ChainedEvent, "seq"> & { seq: bigint | null }): ChainedEvent {
  return {
    tenantId: row.tenantId,
    seq: row.seq ?? 0n,
    occurredAt: row.occurredAt,
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    outcome: row.outcome,
    before: row.before,
    after: row.after,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
  };
}

export function eventHash(prevHash: Uint8Array, event: ChainedEvent): Uint8Array<ArrayBuffer> {
  return linkHash(prevHash, event);
}

/**
 * One link of any audit hash chain: SHA-256(prev || canonical(content)). Tenant chains hash a
 * ChainedEvent; the platform stream (platform-record.ts) hashes its own event shape the same way.
 */
export function linkHash(prevHash: Uint8Array, content: unknown): Uint8Array<ArrayBuffer> {
  const h = createHash("sha256");
  h.update(prevHash);
  h.update(canonical(content), "utf8");
  return new Uint8Array(h.digest());
}

/** Locks the tenant's chain head (creating it at seq 0) and returns the next position. */
export async function lockChainHead(scope: TenantScope): Promise<{ nextSeq: bigint; prevHash: Uint8Array<ArrayBuffer> }> {
  const read = () =>
    scope.db.$queryRaw<{ seq: bigint; head_hash: Uint8Array }[]>`
      SELECT seq, head_hash FROM audit_chain_heads WHERE tenant_id = ${scope.tenantId}::uuid FOR UPDATE`;
  let rows = await read();
  if (rows.length === 0) {
    await scope.db.$executeRaw`
      INSERT INTO audit_chain_heads (tenant_id, seq, head_hash) VALUES (${scope.tenantId}::uuid, 0, ${Buffer.from(GENESIS_HASH)})
      ON CONFLICT (tenant_id) DO NOTHING`;
    rows = await read();
  }
  const head = rows[0]!;
  return { nextSeq: BigInt(head.seq) + 1n, prevHash: new Uint8Array(head.head_hash) };
}

export async function advanceChainHead(scope: TenantScope, seq: bigint, hash: Uint8Array<ArrayBuffer>, at: Date): Promise<void> {
  await scope.db.auditChainHead.update({ where: { tenantId: scope.tenantId }, data: { seq, headHash: hash, updatedAt: at }, select: { seq: true } });
}

/**
 * edited / missing / relinked: an event's content, presence or position is wrong.
 * tail_truncated: events at the end are gone (per the head row, or per a signed checkpoint).
 * head_mismatch: the head row does not describe the last event (rewritten).
 * checkpoint_mismatch: the chain at a signed checkpoint's position is not what was signed
 *   (history rewritten and re-hashed after the checkpoint).
 * bad_checkpoint: a checkpoint's platform signature does not verify (forged or altered).
 */
export type ChainProblem = "edited" | "missing" | "relinked" | "tail_truncated" | "head_mismatch" | "checkpoint_mismatch" | "bad_checkpoint";

export interface ChainVerification {
  intact: boolean;
  /** Chained events checked. */
  checked: number;
  /** Events from before the chain existed (no seq); not covered. */
  unchained: number;
  headSeq: string;
  firstBrokenSeq: string | null;
  problem: ChainProblem | null;
  /** A sentence for people. */
  message: string;
  /** Events up to this seq were removed by the retention purge (signed retention checkpoint); null if none. */
  purgedThroughSeq: string | null;
  /** The newest signed head checkpoint the walk was checked against. */
  latestCheckpoint: { seq: string; at: Date } | null;
  /** Where the walk started (0 = genesis; else a retention or, for incremental checks, a head checkpoint). */
  fromSeq: string;
  /** Hex hash of the head event when intact (null when broken or empty). */
  headHash: string | null;
}

export interface VerifyOptions {
  /**
   * Start at the newest valid head checkpoint instead of the beginning: checks only what was
   * appended since (the periodic checkpoint task). Default: the whole retained chain.
   */
  incremental?: boolean;
}

const BATCH = 1000;

/**
 * Walks the tenant's chain in seq order, in batches (bounded memory), from its retention base (the
 * newest signed retention checkpoint, else genesis) up to the head read at the start (events
 * appended meanwhile are not judged), comparing against every signed head checkpoint on the way,
 * and reports the first break.
 */
export async function verifyChain(scope: TenantScope, opts: VerifyOptions = {}): Promise<ChainVerification> {
  const head = await scope.db.auditChainHead.findUnique({ where: { tenantId: scope.tenantId }, select: { seq: true, headHash: true } });
  const unchained = await scope.db.auditEvent.count({ where: { tenantId: scope.tenantId, seq: null } });
  const headSeq = head?.seq ?? 0n;
  let checked = 0;
  let purgedThrough: bigint | null = null;
  let latest: StoredCheckpoint | null = null;
  let fromSeq = 0n;
  const broken = (seq: bigint, problem: ChainProblem, message: string): ChainVerification => ({
    intact: false,
    checked,
    unchained,
    headSeq: String(headSeq),
    firstBrokenSeq: seq.toString(),
    problem,
    message,
    purgedThroughSeq: purgedThrough === null ? null : purgedThrough.toString(),
    latestCheckpoint: latest ? { seq: latest.seq.toString(), at: latest.createdAt } : null,
    fromSeq: fromSeq.toString(),
    headHash: null,
  });

  // The base: what the newest retention checkpoint says was removed (signature checked).
  const jwks = await platformPublicJwks();
  let expected = 1n;
  let prev: Uint8Array = GENESIS_HASH;
  const retention = await latestRetentionCheckpoint(scope);
  if (retention) {
    const why = await checkpointProblem(scope.tenantId, retention, jwks);
    if (why) return broken(retention.seq, "bad_checkpoint", `The retention checkpoint at event ${retention.seq} cannot be trusted: ${why}.`);
    if (retention.eventCount > 0n) {
      purgedThrough = retention.seq;
      expected = retention.seq + 1n;
      prev = retention.hash;
    }
  }

  // Head checkpoints above the base, ascending; each must verify, and the walk must pass through it.
  const checkpoints = await headCheckpointsAfter(scope, expected - 1n);
  for (const cp of checkpoints) {
    const why = await checkpointProblem(scope.tenantId, cp, jwks);
    if (why) return broken(cp.seq, "bad_checkpoint", `The signed checkpoint at event ${cp.seq} cannot be trusted: ${why}.`);
  }
  latest = checkpoints.length ? checkpoints[checkpoints.length - 1]! : null;
  let pending = checkpoints;
  if (opts.incremental && latest) {
    expected = latest.seq + 1n;
    prev = latest.hash;
    pending = [];
  }
  fromSeq = expected - 1n;
  const vouchedSeq = latest ? latest.seq : 0n;
  const target = headSeq > vouchedSeq ? headSeq : vouchedSeq;

  let pi = 0;
  while (expected <= target) {
    const rows = await scope.db.auditEvent.findMany({
      where: { tenantId: scope.tenantId, seq: { gte: expected, lte: target } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    for (const row of rows) {
      const seq = row.seq!;
      if (seq !== expected) return broken(expected, "missing", `Event ${expected} is missing: the chain jumps from ${expected - 1n} to ${seq}.`);
      if (!row.prevHash || !Buffer.from(row.prevHash).equals(Buffer.from(prev))) {
        return broken(seq, "relinked", `Event ${seq} does not follow event ${seq - 1n} (rows were reordered or replaced).`);
      }
      const recomputed = eventHash(row.prevHash, chainedEventOf(row));
      if (!row.hash || !Buffer.from(row.hash).equals(Buffer.from(recomputed))) {
        return broken(seq, "edited", `Event ${seq} was changed after it was written.`);
      }
      while (pi < pending.length && pending[pi]!.seq === seq) {
        if (!Buffer.from(pending[pi]!.hash).equals(Buffer.from(row.hash))) {
          return broken(seq, "checkpoint_mismatch", `Event ${seq} is not the event a signed checkpoint of ${pending[pi]!.createdAt.toISOString()} vouched for: the history was rewritten.`);
        }
        pi++;
      }
      prev = row.hash;
      expected++;
      checked++;
    }
    if (rows.length < BATCH) break;
  }
  const last = expected - 1n;
  if (last < vouchedSeq) {
    return broken(last + 1n, "tail_truncated", `The chain ends at event ${last} but a signed checkpoint of ${latest!.createdAt.toISOString()} vouches for events up to ${vouchedSeq}: events at the end were removed.`);
  }
  if (last < headSeq) {
    return broken(last + 1n, "tail_truncated", `The chain ends at event ${last} but its head says ${headSeq}: events at the end were removed.`);
  }
  if (headSeq !== last || (head && !Buffer.from(head.headHash).equals(Buffer.from(prev)))) {
    return broken(headSeq + 1n, "head_mismatch", `The chain head says event ${headSeq} but the chain continues to event ${last}: the head was rewritten.`);
  }
  const purged = purgedThrough === null ? "" : ` (events up to ${purgedThrough} were removed by the retention purge, as a signed checkpoint records)`;
  return {
    intact: true,
    checked,
    unchained,
    headSeq: headSeq.toString(),
    firstBrokenSeq: null,
    problem: null,
    message: `Intact: ${checked} event${checked === 1 ? "" : "s"} verified${purged}${unchained ? ` (${unchained} older events predate the chain)` : ""}.`,
    purgedThroughSeq: purgedThrough === null ? null : purgedThrough.toString(),
    latestCheckpoint: latest ? { seq: latest.seq.toString(), at: latest.createdAt } : null,
    fromSeq: fromSeq.toString(),
    headHash: headSeq > 0n ? Buffer.from(prev).toString("hex") : null,
  };
}

export interface CheckpointResult {
  /** The checkpoint at the verified head (an existing one when nothing was appended since); null if broken or empty. */
  checkpoint: StoredCheckpoint | null;
  created: boolean;
  verification: ChainVerification;
}

/**
 * Records a signed head checkpoint: first verifies what was appended since the previous checkpoint
 * (incremental), and only an intact chain is vouched for. Nothing new since the last checkpoint →
 * no new row.
 */
export async function recordHeadCheckpoint(scope: TenantScope, at = new Date()): Promise<CheckpointResult> {
  const verification = await verifyChain(scope, { incremental: true });
  if (!verification.intact || verification.headHash === null) return { checkpoint: null, created: false, verification };
  const seq = BigInt(verification.headSeq);
  const latest = await latestHeadCheckpoint(scope);
  if (latest && latest.seq >= seq) return { checkpoint: latest, created: false, verification };
  const base = verification.purgedThroughSeq === null ? 0n : BigInt(verification.purgedThroughSeq);
  const checkpoint = await insertCheckpoint(scope, { kind: "head", seq, hash: Buffer.from(verification.headHash, "hex"), eventCount: seq - base }, at);
  return { checkpoint, created: true, verification };
}
