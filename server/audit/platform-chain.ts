// Verification and signed checkpoints of the platform audit stream (platform-record.ts). The same
// guarantees as a tenant chain (chain.ts, checkpoints.ts): the walk recomputes every link from
// genesis, names the first broken sequence number, and checks the chain against every signed head
// checkpoint — so a cut tail (with the head row rewritten to match) or a history recomputed after
// an edit is caught as long as a checkpoint past it exists. Checkpoints are signed with the
// platform key; the stream is never purged, so there is no retention base.
import type { Db } from "../db/doors";
import { activePlatformKey, PlatformSignatureError, platformPublicJwks, signPlatformJson, verifyPlatformJws, type PlatformPublicJwk } from "../platform-keys";
import { GENESIS_HASH, type ChainProblem, type ChainVerification } from "./chain";
import { CHECKPOINT_TYP } from "./checkpoints";
import { platformEventHash } from "./platform-record";

export interface PlatformCheckpointPayload {
  typ: "credo.platform-audit.checkpoint";
  v: 1;
  kind: "head";
  seq: string;
  /** Hex SHA-256 chain hash. */
  hash: string;
  eventCount: string;
  at: string;
}

interface StoredPlatformCheckpoint {
  id: bigint;
  seq: bigint;
  hash: Uint8Array;
  eventCount: bigint;
  payload: unknown;
  signature: string;
  keyId: string;
  createdAt: Date;
}

const cpSelect = { id: true, seq: true, hash: true, eventCount: true, payload: true, signature: true, keyId: true, createdAt: true } as const;

function payloadOf(seq: bigint, hash: Uint8Array, eventCount: bigint, at: Date): PlatformCheckpointPayload {
  return { typ: "credo.platform-audit.checkpoint", v: 1, kind: "head", seq: seq.toString(), hash: Buffer.from(hash).toString("hex"), eventCount: eventCount.toString(), at: at.toISOString() };
}

async function checkpointProblem(cp: StoredPlatformCheckpoint, jwks: { keys: PlatformPublicJwk[] }): Promise<string | null> {
  try {
    const at = new Date(String((cp.payload as { at?: unknown } | null)?.at ?? ""));
    if (Number.isNaN(at.getTime())) return "its signed payload is malformed";
    // Verified over what the COLUMNS say: a row whose values were changed no longer matches.
    await verifyPlatformJws(cp.signature, jwks, payloadOf(cp.seq, cp.hash, cp.eventCount, at));
    return null;
  } catch (e) {
    if (e instanceof PlatformSignatureError) return "its platform signature does not verify";
    throw e;
  }
}

const BATCH = 1000;

/** Walks the platform chain (from genesis, or from the newest checkpoint when incremental). */
export async function verifyPlatformChain(db: Db, opts: { incremental?: boolean } = {}): Promise<ChainVerification> {
  const head = await db.platformAuditChainHead.findUnique({ where: { id: 1 }, select: { seq: true, headHash: true } });
  const headSeq = head?.seq ?? 0n;
  let checked = 0;
  let latest: StoredPlatformCheckpoint | null = null;
  let fromSeq = 0n;
  const broken = (seq: bigint, problem: ChainProblem, message: string): ChainVerification => ({
    intact: false,
    checked,
    unchained: 0,
    headSeq: String(headSeq),
    firstBrokenSeq: seq.toString(),
    problem,
    message,
    purgedThroughSeq: null,
    latestCheckpoint: latest ? { seq: latest.seq.toString(), at: latest.createdAt } : null,
    fromSeq: fromSeq.toString(),
    headHash: null,
  });

  const jwks = await platformPublicJwks();
  const checkpoints = ((await db.platformAuditCheckpoint.findMany({ orderBy: [{ seq: "desc" }, { id: "desc" }], take: 1000, select: cpSelect })) as StoredPlatformCheckpoint[]).reverse();
  for (const cp of checkpoints) {
    const why = await checkpointProblem(cp, jwks);
    if (why) return broken(cp.seq, "bad_checkpoint", `The signed checkpoint at event ${cp.seq} cannot be trusted: ${why}.`);
  }
  latest = checkpoints.length ? checkpoints[checkpoints.length - 1]! : null;
  let expected = 1n;
  let prev: Uint8Array = GENESIS_HASH;
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
    const rows = await db.platformAuditEvent.findMany({ where: { seq: { gte: expected, lte: target } }, orderBy: { seq: "asc" }, take: BATCH });
    for (const row of rows) {
      const seq = row.seq;
      if (seq !== expected) return broken(expected, "missing", `Event ${expected} is missing: the chain jumps from ${expected - 1n} to ${seq}.`);
      if (!Buffer.from(row.prevHash).equals(Buffer.from(prev))) {
        return broken(seq, "relinked", `Event ${seq} does not follow event ${seq - 1n} (rows were reordered or replaced).`);
      }
      if (!Buffer.from(row.hash).equals(Buffer.from(platformEventHash(row.prevHash, row)))) {
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
  if (last < headSeq) return broken(last + 1n, "tail_truncated", `The chain ends at event ${last} but its head says ${headSeq}: events at the end were removed.`);
  if (headSeq !== last || (head && !Buffer.from(head.headHash).equals(Buffer.from(prev)))) {
    return broken(headSeq + 1n, "head_mismatch", `The chain head says event ${headSeq} but the chain continues to event ${last}: the head was rewritten.`);
  }
  return {
    intact: true,
    checked,
    unchained: 0,
    headSeq: headSeq.toString(),
    firstBrokenSeq: null,
    problem: null,
    message: `Intact: ${checked} event${checked === 1 ? "" : "s"} verified${opts.incremental && latest ? ` since the checkpoint at event ${latest.seq}` : ""}.`,
    purgedThroughSeq: null,
    latestCheckpoint: latest ? { seq: latest.seq.toString(), at: latest.createdAt } : null,
    fromSeq: fromSeq.toString(),
    headHash: headSeq > 0n ? Buffer.from(prev).toString("hex") : null,
  };
}

/**
 * Records a signed head checkpoint after verifying what was appended since the previous one; only
 * an intact chain is vouched for; nothing new → no new row.
 */
export async function recordPlatformCheckpoint(db: Db, at = new Date()): Promise<{ created: boolean; seq: string | null; verification: ChainVerification }> {
  const verification = await verifyPlatformChain(db, { incremental: true });
  if (!verification.intact || verification.headHash === null) return { created: false, seq: null, verification };
  const seq = BigInt(verification.headSeq);
  const latest = verification.latestCheckpoint;
  if (latest && BigInt(latest.seq) >= seq) return { created: false, seq: latest.seq, verification };
  const hash = Buffer.from(verification.headHash, "hex");
  const key = await activePlatformKey();
  const payload = payloadOf(seq, hash, seq, at);
  const signature = await signPlatformJson(payload, { typ: CHECKPOINT_TYP, key });
  await db.platformAuditCheckpoint.createMany({
    data: [{ seq, hash: new Uint8Array(hash), eventCount: seq, payload: payload as unknown as object, signature, keyId: key.kid, createdAt: at }],
  });
  return { created: true, seq: seq.toString(), verification };
}
