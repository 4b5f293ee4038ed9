// KEK rotation without downtime:
//   1. deploy with KEY_ENCRYPTION_KEY = the new KEK and KEY_ENCRYPTION_KEY_PREVIOUS = the old one
//      (reads accept both, by each data key's kek_id; new data keys are wrapped with the new one);
//   2. `npm run keys:rewrap-kek` re-wraps every tenant's data key under the new KEK, one tenant
//      transaction each (idempotent: run it again after a failure, finished tenants are skipped);
//   3. drop KEY_ENCRYPTION_KEY_PREVIOUS.
// Only the wrapping changes: data keys, signing keys and kids stay the same, so no token is affected.
import { inTenant } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "../audit/record";
import { rewrapDataKey } from "./data-keys";
import type { Keyring } from "./envelope";
import { lockTenantKeys } from "./repository";
import { allTenants } from "../tenancy/tenant-sweep";

export interface RewrapResult {
  readonly rewrapped: number;
  readonly unchanged: number;
  readonly withoutDataKey: number;
  readonly failed: { tenant: string; error: string }[];
}

export async function rewrapAllDataKeys(keyring: Keyring, now = new Date()): Promise<RewrapResult> {
  let rewrapped = 0;
  let unchanged = 0;
  let withoutDataKey = 0;
  const failed: RewrapResult["failed"] = [];
  for await (const tenant of allTenants()) {
    try {
      const r = await inTenant(tenant.id, async (scope) => {
        await lockTenantKeys(scope);
        const outcome = await rewrapDataKey(scope, keyring, now);
        if (outcome.outcome === "rewrapped") {
          await auditorFor(scope, SYSTEM_ACTOR, null).record({
            action: "data_key.rewrapped",
            targetType: "tenant_data_key",
            before: { kekId: outcome.fromKekId },
            after: { kekId: outcome.toKekId },
          });
        }
        return outcome;
      });
      if (r.outcome === "rewrapped") rewrapped++;
      else if (r.outcome === "unchanged") unchanged++;
      else withoutDataKey++;
    } catch (e) {
      failed.push({ tenant: tenant.slug, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { rewrapped, unchanged, withoutDataKey, failed };
}
