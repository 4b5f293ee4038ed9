// The run's tenant population for cases that need tenants as the application creates them (with a
// current signing key, data key and global identifiers), not the raw-SQL rows the provisioning
// baseline and the read case's seeding add. Imports server modules: import this file from case files
// only (server/bench/cases/ is loaded after the runner has pointed DATABASE_URL at the bench database).
import { provisionTenant } from "../tenants/provisioning";
import { SYSTEM_ACTOR, type RequestMeta } from "../audit/record";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import type { BenchContext } from "./types";

export interface BenchTenant {
  readonly id: TenantId;
  readonly slug: string;
}

/** What a request would hand to the services (audit events store it). */
export function benchMeta(requestId: string): RequestMeta {
  return { requestId, ip: "127.0.0.1", userAgent: "credo-bench" };
}

const cache = new Map<string, Promise<BenchTenant[]>>();

/**
 * `sizes.tenants` of the run's active tenants that publish a current signing key (the oldest first).
 * After the provisioning case these are its provisionTenant() tenants; with `--only`, the missing
 * ones are provisioned here through provisionTenant() (slugs `<run>-k-<i>`). Once per run.
 */
export function keyedTenants(ctx: BenchContext): Promise<BenchTenant[]> {
  let p = cache.get(ctx.runId);
  if (!p) {
    p = load(ctx);
    cache.set(ctx.runId, p);
    p.catch(() => cache.delete(ctx.runId));
  }
  return p;
}

async function load(ctx: BenchContext): Promise<BenchTenant[]> {
  const want = ctx.sizes.tenants;
  const select = () =>
    ctx.ownerPool.query<{ id: string; slug: string }>(
      `SELECT t.id, t.slug FROM tenants t
        WHERE t.slug LIKE $1 AND t.status = 'active'
          AND EXISTS (SELECT 1 FROM signing_keys k WHERE k.tenant_id = t.id AND k.state = 'current')
        ORDER BY t.created_at, t.id LIMIT $2`,
      [`${ctx.runId}-%`, want],
    );
  let { rows } = await select();
  const missing = want - rows.length;
  if (missing > 0) {
    ctx.log(`provisioning ${missing} tenants with signing keys through provisionTenant()`);
    for (let i = 0; i < missing; i++) {
      await provisionTenant({ slug: `${ctx.runId}-k-${i}`, name: `Bench keyed tenant ${i}` }, SYSTEM_ACTOR, benchMeta(`bench-k-${i}`));
    }
    ({ rows } = await select());
    if (rows.length < want) throw new Error(`expected ${want} tenants with a current signing key, found ${rows.length}`);
  }
  return rows.map((r) => ({ id: tenantIdFromDatabase(r.id), slug: r.slug }));
}
