// Tenant-owned repository: the tenant's policy row (one per tenant; absent = defaults). The
// policies issue extends it; the clients capability reads regulated mode from here.
import type { TenantScope } from "../db/doors";

export interface TenantPolicyView {
  regulatedMode: boolean;
}

export const DEFAULT_POLICY: TenantPolicyView = { regulatedMode: false };

export async function readTenantPolicy(scope: TenantScope): Promise<TenantPolicyView> {
  const row = await scope.db.tenantPolicy.findUnique({ where: { tenantId: scope.tenantId }, select: { regulatedMode: true } });
  return row ?? DEFAULT_POLICY;
}

export async function writeRegulatedMode(scope: TenantScope, regulatedMode: boolean, at: Date): Promise<void> {
  await scope.db.tenantPolicy.upsert({
    where: { tenantId: scope.tenantId },
    create: { tenantId: scope.tenantId, regulatedMode, updatedAt: at },
    update: { regulatedMode, updatedAt: at },
    select: { tenantId: true },
  });
}
