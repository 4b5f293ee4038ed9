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
import type { TenantScope } from "../db/doors";
import { lockChainHead } from "./chain";
import { recordAudit, type AuditActor, type RequestMeta } from "./record";

export const AUDIT_VIEW_WINDOW_MINUTES = 15;

async function viewedSince(scope: TenantScope, actorId: string, since: Date): Promise<boolean> {
  const rows = await scope.db.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM audit_events
     WHERE tenant_id = ${scope.tenantId}::uuid AND action = 'audit.viewed' AND actor_id = ${actorId} AND occurred_at >= ${since}
     LIMIT 1`;
  return rows.length > 0;
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
