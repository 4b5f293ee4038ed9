// "Audit the audit": reading a tenant's audit trail is itself recorded in that trail.
//
//   audit.viewed             listing the trail (audit.list) — at most once per operator (or API key)
//                            and tenant per AUDIT_VIEW_WINDOW_MINUTES, so paging and filtering do not
//                            flood the trail with noise;
//   audit.exported           an export was requested (server/audit/export/service.ts);
//   audit.export_completed   the export job finished (system actor);
//   audit.export_downloaded  an export file or its manifest was downloaded (every time).
//
// Written in the request's own tenant transaction (the runtime role may INSERT audit events; tRPC
// queries run in a tenant transaction too). The "recently viewed?" check is a lookup on the partial
// index audit_events_viewed_idx, first without a lock and again under the chain-head lock, so two
// parallel page loads record one event, and readers who viewed recently never touch the lock.
//
// The newest audit.viewed found is remembered in process per tenant and actor (issue 16: the lookup
// was one of a list page's four statements): while it lies within the window, paging and filtering
// send no lookup at all. Only an event COMMITTED by another transaction is remembered — the lookup
// runs before this transaction has written anything (no transaction id yet), so what it sees is
// committed — never one this transaction wrote and might still roll back. Another instance that
// does not know it simply looks it up.
import type { TenantScope } from "../db/doors";
import { Lru } from "../cache/lru";
import { lockChainHead } from "./chain";
import { recordAudit, type AuditActor, type RequestMeta } from "./record";

export const AUDIT_VIEW_WINDOW_MINUTES = 15;

const globalForViews = globalThis as unknown as { credoAuditViews?: Lru<string, number> };
/** `<tenant>:<actor>` → occurred_at (ms) of the newest committed audit.viewed seen. */
const viewedAt = (globalForViews.credoAuditViews ??= new Lru<string, number>(10_000));

async function viewedSince(scope: TenantScope, actorId: string, since: Date): Promise<boolean> {
  const key = `${scope.tenantId}:${actorId}`;
  const known = viewedAt.get(key);
  if (known !== undefined && known >= since.getTime()) return true;
  const rows = await scope.db.$queryRaw<{ occurred_at: Date; settled: boolean }[]>`
    SELECT occurred_at, pg_current_xact_id_if_assigned() IS NULL AS settled FROM audit_events
     WHERE tenant_id = ${scope.tenantId}::uuid AND action = 'audit.viewed' AND actor_id = ${actorId} AND occurred_at >= ${since}
     ORDER BY occurred_at DESC
     LIMIT 1`;
  const row = rows[0];
  if (!row) return false;
  if (row.settled) viewedAt.set(key, row.occurred_at.getTime());
  return true;
}

/** Forgets what was seen (tests). */
export function forgetAuditViews(): void {
  viewedAt.clear();
}

/** Records audit.viewed unless this actor already did within the window. Returns whether it wrote one. */
export async function noteAuditViewed(scope: TenantScope, actor: AuditActor, meta: RequestMeta | null, details: Record<string, unknown> = {}, now = new Date()): Promise<boolean> {
  if (!actor.id) return false;
  const since = new Date(now.getTime() - AUDIT_VIEW_WINDOW_MINUTES * 60_000);
  if (await viewedSince(scope, actor.id, since)) return false;
  await lockChainHead(scope);
  if (await viewedSince(scope, actor.id, since)) return false;
  await recordAudit(scope, actor, meta, { action: "audit.viewed", targetType: "audit_trail", after: details });
  return true;
}
