// Test helpers for the audit trail: tenants without provisioning's events, and chained events with
// a chosen timestamp (retention needs events that are really old, at the START of the chain).
import { randomUUID } from "node:crypto";
import { inTenant, onPlatform } from "../db/doors";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import { insertTenant } from "../tenants/platform-repository";
import { advanceChainHead, eventHash, lockChainHead, type ChainedEvent } from "../audit/chain";

/** A tenant row only: no signing key, no audit events (its chain starts empty). */
export async function bareTenant(): Promise<{ id: TenantId; slug: string }> {
  const slug = `bare-${randomUUID().slice(0, 8)}`;
  const row = await onPlatform((db) => insertTenant(db, slug, `Bare ${slug}`));
  return { id: tenantIdFromDatabase(row.id), slug: row.slug };
}

export interface EventSpec {
  at?: Date;
  action?: string;
  targetType?: string;
  targetId?: string | null;
  actorLabel?: string | null;
  after?: Record<string, unknown> | null;
}

/** Appends chained events exactly as recordAudit does, but with the given timestamps. */
export async function appendChained(tenantId: TenantId, specs: readonly EventSpec[]): Promise<void> {
  await inTenant(tenantId, async (scope) => {
    for (const [i, spec] of specs.entries()) {
      const { nextSeq, prevHash } = await lockChainHead(scope);
      const event: ChainedEvent = {
        tenantId,
        seq: nextSeq,
        occurredAt: spec.at ?? new Date(),
        actorType: "system",
        actorId: null,
        actorLabel: spec.actorLabel === undefined ? "system" : spec.actorLabel,
        action: spec.action ?? "test.event",
        targetType: spec.targetType ?? "thing",
        targetId: spec.targetId === undefined ? String(i) : spec.targetId,
        outcome: "success",
        before: null,
        after: spec.after === undefined ? { i } : spec.after,
        ip: null,
        userAgent: null,
        requestId: null,
      };
      const hash = eventHash(prevHash, event);
      await scope.db.auditEvent.create({
        data: { ...event, before: undefined, after: event.after === null ? undefined : (event.after as object), prevHash, hash },
        select: { id: true },
      });
      await advanceChainHead(scope, nextSeq, hash, event.occurredAt);
    }
  });
}

export const daysAgo = (d: number, now = Date.now()) => new Date(now - d * 86_400_000);
