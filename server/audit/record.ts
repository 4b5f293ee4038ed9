// The audit mechanism: every mutation writes one event in the SAME transaction as the change
// (through the TenantScope it was given), so a failed audit write rolls the mutation back, and
// appends it to the tenant's hash chain (chain.ts).
import type { DbJsonInput } from "../db/json";
import type { TenantScope } from "../db/doors";
import { redactSecrets } from "./redact";
import { advanceChainHead, eventHash, lockChainHead, type ChainedEvent } from "./chain";

export interface AuditActor {
  readonly type: "user" | "api_key" | "system";
  readonly id: string | null;
  readonly label: string | null;
}

/** Where the request came from; captured once per request in the tRPC context. */
export interface RequestMeta {
  readonly requestId: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** Host and scheme the request was addressed to; only the WebAuthn RP fallback reads them (server/auth/relying-party.ts). */
  readonly host?: string | null;
  readonly proto?: string | null;
}

export interface AuditEntry {
  /** Dot notation, e.g. "member.support_granted". */
  readonly action: string;
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
}

export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, label: "system" };

function json(v: Record<string, unknown> | null | undefined): DbJsonInput | undefined {
  return v ? (redactSecrets(v) as DbJsonInput) : undefined;
}

export async function recordAudit(scope: TenantScope, actor: AuditActor, meta: RequestMeta | null, entry: AuditEntry) {
  const { nextSeq, prevHash } = await lockChainHead(scope);
  const event: ChainedEvent = {
    tenantId: scope.tenantId,
    seq: nextSeq,
    occurredAt: new Date(),
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    outcome: "success",
    before: json(entry.before) ?? null,
    after: json(entry.after) ?? null,
    ip: meta?.ip?.slice(0, 64) ?? null,
    userAgent: meta?.userAgent?.slice(0, 512) ?? null,
    requestId: meta?.requestId ?? null,
  };
  const hash = eventHash(prevHash, event);
  await scope.db.auditEvent.create({
    data: {
      ...event,
      before: event.before === null ? undefined : (event.before as DbJsonInput),
      after: event.after === null ? undefined : (event.after as DbJsonInput),
      prevHash,
      hash,
    },
    select: { id: true },
  });
  await advanceChainHead(scope, nextSeq, hash, event.occurredAt);
}

/** An audit writer bound to one request's scope, actor and metadata (handed to services). */
export interface Auditor {
  record(entry: AuditEntry): Promise<void>;
}

export function auditorFor(scope: TenantScope, actor: AuditActor, meta: RequestMeta | null): Auditor {
  return { record: (entry) => recordAudit(scope, actor, meta, entry) };
}
