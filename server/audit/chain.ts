// Tamper evidence for the audit trail: each tenant's events form a hash chain.
//
//   hash(n) = SHA-256( hash(n-1) || canonical(event n) )      hash(0) = 32 zero bytes
//
// canonical() is JSON with keys sorted at every level, so the same event always encodes to the
// same bytes whatever order PostgreSQL's jsonb hands the keys back in. Appending locks the tenant's
// row in audit_chain_heads (SELECT … FOR UPDATE) until the transaction ends: appends of one tenant
// form one linear chain, other tenants never wait, and a rolled-back mutation leaves no gap.
// verifyChain() walks a tenant's chain in seq order and names the first broken sequence number.
import { createHash } from "node:crypto";
import type { TenantScope } from "../db/doors";

export const GENESIS_HASH: Uint8Array<ArrayBuffer> = new Uint8Array(32);

/** JSON with sorted keys; Dates as ISO strings, bigints as strings, undefined members dropped. */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

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

export function eventHash(prevHash: Uint8Array, event: ChainedEvent): Uint8Array<ArrayBuffer> {
  const h = createHash("sha256");
  h.update(prevHash);
  h.update(canonical(event), "utf8");
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

export type ChainProblem = "edited" | "missing" | "relinked" | "tail_truncated";

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
}

const BATCH = 1000;

/** Walks the tenant's chain from seq 1 in batches (bounded memory) and reports the first break. */
export async function verifyChain(scope: TenantScope): Promise<ChainVerification> {
  const head = await scope.db.auditChainHead.findUnique({ where: { tenantId: scope.tenantId }, select: { seq: true, headHash: true } });
  const unchained = await scope.db.auditEvent.count({ where: { tenantId: scope.tenantId, seq: null } });
  let expected = 1n;
  let prev: Uint8Array = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: bigint, problem: ChainProblem, message: string): ChainVerification => ({
    intact: false,
    checked,
    unchained,
    headSeq: String(head?.seq ?? 0n),
    firstBrokenSeq: seq.toString(),
    problem,
    message,
  });
  for (;;) {
    const rows = await scope.db.auditEvent.findMany({
      where: { tenantId: scope.tenantId, seq: { gte: expected } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    for (const row of rows) {
      const seq = row.seq!;
      if (seq !== expected) return broken(expected, "missing", `Event ${expected} is missing: the chain jumps from ${expected - 1n} to ${seq}.`);
      if (!row.prevHash || !Buffer.from(row.prevHash).equals(Buffer.from(prev))) {
        return broken(seq, "relinked", `Event ${seq} does not follow event ${seq - 1n} (rows were reordered or replaced).`);
      }
      const recomputed = eventHash(row.prevHash, {
        tenantId: row.tenantId,
        seq,
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
      });
      if (!row.hash || !Buffer.from(row.hash).equals(Buffer.from(recomputed))) {
        return broken(seq, "edited", `Event ${seq} was changed after it was written.`);
      }
      prev = row.hash;
      expected++;
      checked++;
    }
    if (rows.length < BATCH) break;
  }
  const last = expected - 1n;
  const headSeq = head?.seq ?? 0n;
  if (headSeq !== last || (head && !Buffer.from(head.headHash).equals(Buffer.from(prev)))) {
    return broken(last + 1n, "tail_truncated", `The chain ends at event ${last} but its head says ${headSeq}: events at the end were removed.`);
  }
  return {
    intact: true,
    checked,
    unchained,
    headSeq: headSeq.toString(),
    firstBrokenSeq: null,
    problem: null,
    message: `Intact: ${checked} event${checked === 1 ? "" : "s"} verified${unchained ? ` (${unchained} older events predate the chain)` : ""}.`,
  };
}
