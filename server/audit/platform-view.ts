// The security admins' view across tenants: recent audit events of every tenant, newest first,
// cursor-paged on the event id. Tenant-owned rows are invisible outside a tenant scope, so this reads
// through the SQL functions platform_audit_feed / platform_audit_regulated_summary (migration
// 20261123190000_audit_exports): they refuse to run inside a tenant scope and visit each tenant under
// its own app.tenant_id. ADR-003: tenants in regulated mode are skipped by the function itself —
// their events never appear here; only anonymous totals (how many such tenants, how many events in
// the last 24 hours) are shown. Events are stamped with the tenant's regulated mode when written
// (audit_events.regulated, migration 20261205107000_audit_regulated_stamp), and stamped events never
// appear here even after the tenant leaves regulated mode. The totals are k-anonymous: over fewer
// than REGULATED_MIN_TENANTS tenants the function returns no numbers at all.
// Only platformProcedure("platform.audit.read") calls this.
import type { Db } from "../db/doors";

export interface PlatformAuditEvent {
  id: bigint;
  tenantId: string;
  tenantSlug: string;
  occurredAt: Date;
  actorType: string;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: string;
  seq: bigint | null;
}

/** Below this many tenants the regulated totals are withheld (the SQL function enforces it). */
export const REGULATED_MIN_TENANTS = 5;

export interface PlatformAuditPage {
  items: PlatformAuditEvent[];
  nextCursor: bigint | null;
  /**
   * Regulated activity: counts only, no identity — and none at all (null) when fewer than
   * `minTenants` tenants contribute.
   */
  regulated: { tenants: number | null; eventsLast24h: number | null; minTenants: number };
}

type FeedRow = {
  tenant_id: string;
  tenant_slug: string;
  id: bigint;
  occurred_at: Date;
  actor_type: string;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string;
  seq: bigint | null;
};

/** One page (in an onPlatform transaction: no tenant scope). */
export async function platformAuditPage(db: Db, input: { cursor?: bigint | null; limit: number }, now = new Date()): Promise<PlatformAuditPage> {
  const rows = await db.$queryRaw<FeedRow[]>`
    SELECT tenant_id::text AS tenant_id, tenant_slug, id, occurred_at, actor_type, actor_label, action, target_type, target_id, outcome, seq
      FROM platform_audit_feed(${input.cursor ?? null}::bigint, ${input.limit + 1}::integer)`;
  rows.sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const [summary] = await db.$queryRaw<{ tenants: bigint | null; events: bigint | null }[]>`
    SELECT tenants, events FROM platform_audit_regulated_summary(${new Date(now.getTime() - 86_400_000)})`;
  return {
    items: page.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      tenantSlug: r.tenant_slug,
      occurredAt: r.occurred_at,
      actorType: r.actor_type,
      actorLabel: r.actor_label,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      outcome: r.outcome,
      seq: r.seq,
    })),
    nextCursor: hasMore ? page[page.length - 1]!.id : null,
    regulated:
      summary?.tenants == null || summary.events == null
        ? { tenants: null, eventsLast24h: null, minTenants: REGULATED_MIN_TENANTS }
        : { tenants: Number(summary.tenants), eventsLast24h: Number(summary.events), minTenants: REGULATED_MIN_TENANTS },
  };
}
