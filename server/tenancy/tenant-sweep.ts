// Jobs over every tenant (KEK re-wrap, auto-promotion): the tenant list comes from the platform
// door, and each tenant's work runs in its own tenant transaction (inTenant), so one tenant's
// failure or lock never holds up the others and no query ever spans two tenants.
import { onPlatform } from "../db/doors";
import { listAllTenants } from "../tenants/platform-repository";
import { tenantIdFromDatabase, type TenantId } from "./tenant-id";

const PAGE = 200;

export interface SweptTenant {
  readonly id: TenantId;
  readonly slug: string;
  readonly status: string;
  /** A security admin paused it: jobs that change the tenant (auto-promotion) skip it. */
  readonly paused: boolean;
}

/** Every tenant, in slug order, a page at a time. */
export async function* allTenants(): AsyncGenerator<SweptTenant> {
  let after: string | null = null;
  do {
    const page = await onPlatform((db) => listAllTenants(db, { after, limit: PAGE }));
    for (const t of page.items) yield { id: tenantIdFromDatabase(t.id), slug: t.slug, status: t.status, paused: t.pausedAt !== null };
    after = page.nextAfter;
  } while (after);
}
