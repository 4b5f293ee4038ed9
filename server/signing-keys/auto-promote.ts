// Automatic promotion: a next key staged longer ago than its tenant's grace period (policy
// keyRotation.autoPromoteAfterHours, global default → tenant override) becomes current. Run every
// hour by the scheduled task keys.auto-promote on the job queue (tasks.ts), and by hand with
// `npm run keys:auto-promote` (server/cli/auto-promote-keys.ts). Deliberately never triggered by reads (listing keys or
// serving the JWKS must not change anything). Paused tenants are skipped (server/tenancy/paused.ts):
// a pause freezes the tenant's keys as they are until a security admin resumes it.
import { inTenant } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "../audit/record";
import { findKeyInState, lockTenantKeys } from "./repository";
import { promoteLocked } from "./service";
import { effectiveAutoPromoteHours } from "../policies/resolve";
import { allTenants } from "../tenancy/tenant-sweep";

export interface AutoPromotion {
  readonly tenant: string;
  readonly kid: string;
}

export interface AutoPromoteResult {
  readonly checked: number;
  readonly promoted: AutoPromotion[];
  /** Slugs of paused tenants, not looked at. */
  readonly skippedPaused: string[];
  readonly failed: { tenant: string; error: string }[];
}

export async function autoPromoteDueKeys(now = new Date()): Promise<AutoPromoteResult> {
  const promoted: AutoPromotion[] = [];
  const failed: AutoPromoteResult["failed"] = [];
  const skippedPaused: string[] = [];
  let checked = 0;
  for await (const tenant of allTenants()) {
    if (tenant.status === "pending_deletion") continue;
    if (tenant.paused) {
      skippedPaused.push(tenant.slug);
      continue;
    }
    checked++;
    try {
      const kid = await inTenant(tenant.id, async (scope) => {
        await lockTenantKeys(scope);
        const next = await findKeyInState(scope, "next");
        if (!next) return null;
        // Read in the same transaction as the promotion: the grace in force right now.
        const dueBefore = new Date(now.getTime() - (await effectiveAutoPromoteHours(scope)) * 3_600_000);
        if (next.createdAt > dueBefore) return null;
        await promoteLocked(scope, auditorFor(scope, SYSTEM_ACTOR, null), next, now);
        return next.kid;
      });
      if (kid) promoted.push({ tenant: tenant.slug, kid });
    } catch (e) {
      failed.push({ tenant: tenant.slug, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { checked, promoted, skippedPaused, failed };
}
