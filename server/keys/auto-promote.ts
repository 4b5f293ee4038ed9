// Automatic promotion: a next key staged AUTO_PROMOTE_AFTER_HOURS ago becomes current. Run by
// `npm run keys:auto-promote` (server/cli/auto-promote-keys.ts); the job queue arriving with the
// exports/deletion issue will schedule it. Deliberately never triggered by reads (listing keys or
// serving the JWKS must not change anything).
import { inTenant } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "../audit/record";
import { findKeyInState } from "../repos/signing-keys";
import { AUTO_PROMOTE_AFTER_HOURS, promoteLocked } from "./signing-keys";
import { lockTenantKeys } from "./tenant-key-lock";
import { allTenants } from "./tenant-sweep";

export interface AutoPromotion {
  readonly tenant: string;
  readonly kid: string;
}

export interface AutoPromoteResult {
  readonly checked: number;
  readonly promoted: AutoPromotion[];
  readonly failed: { tenant: string; error: string }[];
}

export async function autoPromoteDueKeys(now = new Date(), graceHours = AUTO_PROMOTE_AFTER_HOURS): Promise<AutoPromoteResult> {
  const dueBefore = new Date(now.getTime() - graceHours * 3_600_000);
  const promoted: AutoPromotion[] = [];
  const failed: AutoPromoteResult["failed"] = [];
  let checked = 0;
  for await (const tenant of allTenants()) {
    if (tenant.status === "pending_deletion") continue;
    checked++;
    try {
      const kid = await inTenant(tenant.id, async (scope) => {
        await lockTenantKeys(scope);
        const next = await findKeyInState(scope, "next");
        if (!next || next.createdAt > dueBefore) return null;
        await promoteLocked(scope, auditorFor(scope, SYSTEM_ACTOR, null), next, now);
        return next.kid;
      });
      if (kid) promoted.push({ tenant: tenant.slug, kid });
    } catch (e) {
      failed.push({ tenant: tenant.slug, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { checked, promoted, failed };
}
