// What the usage page shows (usage.summary): requests and refusals by surface from the hourly
// counters (plus this instance's unflushed counts), audit events and exports from index-led,
// time-bounded COUNTs, storage from the latest snapshot. Nothing here scans a tenant's tables.
import type { TenantScope } from "../db/doors";
import { hourOf, pendingUsage, USAGE_SURFACES, type UsageCounts, type UsageSurface } from "./counters";
import { latestStorage } from "./storage";
import { countAuditEventsSince, countAuditExportsSince, usageBySurfaceSince } from "./repository";

export const USAGE_WINDOWS = { day: 24 * 3_600_000, month: 30 * 24 * 3_600_000 } as const;
export type UsageWindow = keyof typeof USAGE_WINDOWS;

export interface WindowUsage {
  /** Start of the window (the hour bucket containing now − 24 h / now − 30 d). */
  since: Date;
  surfaces: Array<{ surface: UsageSurface } & UsageCounts>;
  totals: UsageCounts;
  auditEvents: number;
  exports: number;
  exportBytes: number;
}

async function windowUsage(scope: TenantScope, sinceMs: number): Promise<WindowUsage> {
  const since = new Date(hourOf(sinceMs));
  const rows = await usageBySurfaceSince(scope, since);
  const pending = pendingUsage(scope.tenantId, sinceMs);
  const surfaces = USAGE_SURFACES.map((surface) => {
    const r = rows.find((x) => x.surface === surface);
    const p = pending.get(surface);
    return {
      surface,
      requests: Number(r?.requests ?? 0) + (p?.requests ?? 0),
      rateLimited: Number(r?.rate_limited ?? 0) + (p?.rateLimited ?? 0),
      busy: Number(r?.busy ?? 0) + (p?.busy ?? 0),
    };
  });
  const totals = surfaces.reduce((t, s) => ({ requests: t.requests + s.requests, rateLimited: t.rateLimited + s.rateLimited, busy: t.busy + s.busy }), { requests: 0, rateLimited: 0, busy: 0 });
  const auditEvents = await countAuditEventsSince(scope, new Date(sinceMs));
  const exports = await countAuditExportsSince(scope, new Date(sinceMs));
  return {
    since,
    surfaces,
    totals,
    auditEvents,
    exports: exports.exports,
    exportBytes: exports.bytes,
  };
}

export async function usageSummary(scope: TenantScope, now = Date.now()) {
  const day = await windowUsage(scope, now - USAGE_WINDOWS.day);
  const month = await windowUsage(scope, now - USAGE_WINDOWS.month);
  const storage = await latestStorage(scope);
  return { generatedAt: new Date(now), day, month, storage };
}
