// The platform audit stream: account events (sign-ins, sessions, invitations, factors), global
// policy changes and the record of tenant deletions — everything that is not one tenant's business
// or must outlive a tenant. Same guarantees as the tenant trails (record.ts, chain.ts): written in
// the caller's transaction, one SHA-256 hash chain over canonical JSON (linkHash), append-only for
// the runtime role (grants + trigger), signed checkpoints (platform-chain.ts).
//
// Appending locks the single head row (platform_audit_chain_head, id 1) until the transaction
// ends, so appends form one linear chain and a rolled-back change leaves no gap.
import type { DbJsonInput } from "../db/json";
import type { Db } from "../db/doors";
import { redactSecrets } from "./redact";
import { linkHash } from "./chain";
import type { AuditActor, RequestMeta } from "./record";

export interface PlatformAuditEntry {
  /** Dot notation, e.g. "session.revoked", "invitation.sent", "signin.failed". */
  action: string;
  /** "user" | "session" | "invitation" | "tenant" | "global_policy" | … */
  targetType: string;
  targetId?: string | null;
  /** The tenant the event concerns, if any (deletions, memberships). */
  tenantId?: string | null;
  /** Default "success". */
  outcome?: "success" | "failure";
  /** Redacted with redactSecrets; never secrets. */
  details?: Record<string, unknown> | null;
}

/** The fields a platform event's hash covers: everything but its storage id and the chain columns. */
export interface PlatformChainedEvent {
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  subjectTenantId: string | null;
  outcome: string;
  details: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** A stored row as the fields its hash covers (shared by the writer and every verifier). */
export function platformChainedEventOf(row: PlatformChainedEvent): PlatformChainedEvent {
  return {
    seq: row.seq,
    occurredAt: row.occurredAt,
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    subjectTenantId: row.subjectTenantId,
    outcome: row.outcome,
    details: row.details ?? null,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
  };
}

export function platformEventHash(prevHash: Uint8Array, event: PlatformChainedEvent): Uint8Array<ArrayBuffer> {
  return linkHash(prevHash, platformChainedEventOf(event));
}

/** Injected by tests that need deterministic times; production uses the wall clock. */
let clock: () => Date = () => new Date();
export function setPlatformAuditClock(fn: (() => Date) | null): void {
  clock = fn ?? (() => new Date());
}

export async function recordPlatformAudit(db: Db, actor: AuditActor, meta: RequestMeta | null, entry: PlatformAuditEntry): Promise<void> {
  const heads = await db.$queryRaw<{ seq: bigint; head_hash: Uint8Array }[]>`
    SELECT seq, head_hash FROM platform_audit_chain_head WHERE id = 1 FOR UPDATE`;
  const head = heads[0];
  if (!head) throw new Error("platform audit chain head is missing (run the migrations)");
  const prevHash = new Uint8Array(head.head_hash);
  const details = entry.details ? (redactSecrets(entry.details) as Record<string, unknown>) : null;
  const event: PlatformChainedEvent = {
    seq: BigInt(head.seq) + 1n,
    occurredAt: clock(),
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    subjectTenantId: entry.tenantId ?? null,
    outcome: entry.outcome ?? "success",
    // Round-tripped through JSON so the hash covers exactly what jsonb will hand back.
    details: details === null ? null : JSON.parse(JSON.stringify(details)),
    ip: meta?.ip?.slice(0, 64) ?? null,
    userAgent: meta?.userAgent?.slice(0, 512) ?? null,
    requestId: meta?.requestId ?? null,
  };
  const hash = platformEventHash(prevHash, event);
  // createMany: no RETURNING, so appending works from any door (reading is platform-only, RLS).
  await db.platformAuditEvent.createMany({
    data: [
      {
        ...event,
        details: event.details === null ? undefined : (event.details as DbJsonInput),
        prevHash,
        hash,
      },
    ],
  });
  await db.$executeRaw`
    UPDATE platform_audit_chain_head SET seq = ${event.seq}, head_hash = ${Buffer.from(hash)}, updated_at = ${event.occurredAt} WHERE id = 1`;
}
