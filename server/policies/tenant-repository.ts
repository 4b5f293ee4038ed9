// The tenant's regulated mode as its per-tenant consumers read it (server/clients/service.ts,
// server/clients/authorize-check.ts): the EFFECTIVE value — the global default overridden by the
// tenant — from the versioned policies (server/policies/). Kept as a narrow view so those callers
// depend on one boolean, not on the whole policy model.
import type { TenantScope } from "../db/doors";
import { latestTenantVersion, insertTenantVersion, TENANT_SCOPE_KEY } from "./repository";
import { effectiveTenantValues } from "./resolve";

export interface TenantPolicyView {
  regulatedMode: boolean;
}

export async function readTenantPolicy(scope: TenantScope): Promise<TenantPolicyView> {
  const values = await effectiveTenantValues(scope);
  return { regulatedMode: values.regulated.enabled };
}

/**
 * Seeds and tests only: pins regulated mode in a new tenant version WITHOUT the console's checks
 * (clients conflicts, concurrency, audit). The console switches it through
 * server/policies/tenant-level.ts (setTenantRegulatedMode).
 */
export async function writeRegulatedMode(scope: TenantScope, regulatedMode: boolean, at: Date, author: { id: string | null; label: string } = { id: null, label: "system" }): Promise<void> {
  const latest = await latestTenantVersion(scope, TENANT_SCOPE_KEY);
  const doc = { ...(latest?.document ?? {}) };
  doc.regulated = { ...(doc.regulated ?? {}), enabled: regulatedMode };
  await insertTenantVersion(scope, TENANT_SCOPE_KEY, null, {
    version: (latest?.version ?? 0) + 1,
    document: doc,
    authorId: author.id,
    authorLabel: author.label,
    comment: regulatedMode ? "Regulated mode on" : "Regulated mode off",
    createdAt: at,
  });
}
