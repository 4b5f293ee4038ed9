// Tenant-owned repository: the tenant's policy versions (table policy_versions, scope "tenant").
// The newest version's document holds the tenant's overrides; regulated mode is
// { regulated: { enabled } }. The policies capability (server/policies/) builds the full
// hierarchy (global → tenant → workspace) on the same table.
import type { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";

export interface TenantPolicyView {
  regulatedMode: boolean;
}

export const DEFAULT_POLICY: TenantPolicyView = { regulatedMode: false };

type Doc = Record<string, Record<string, unknown> | undefined>;

export function latestTenantPolicyVersion(scope: TenantScope) {
  return scope.db.policyVersion.findFirst({
    where: { tenantId: scope.tenantId, scope: "tenant" },
    orderBy: { version: "desc" },
    select: { version: true, document: true },
  });
}

export async function readTenantPolicy(scope: TenantScope): Promise<TenantPolicyView> {
  const latest = await latestTenantPolicyVersion(scope);
  const doc = (latest?.document ?? {}) as Doc;
  return { regulatedMode: doc.regulated?.enabled === true };
}

/** Saves regulated mode as a new tenant policy version (the rest of the document is kept). */
export async function writeRegulatedMode(scope: TenantScope, regulatedMode: boolean, at: Date, author: { id: string | null; label: string } = { id: null, label: "system" }): Promise<void> {
  const latest = await latestTenantPolicyVersion(scope);
  const doc = { ...((latest?.document ?? {}) as Doc) };
  doc.regulated = { ...(doc.regulated ?? {}), enabled: regulatedMode };
  await scope.db.policyVersion.create({
    data: {
      tenantId: scope.tenantId,
      scope: "tenant",
      version: (latest?.version ?? 0) + 1,
      document: doc as Prisma.InputJsonValue,
      authorId: author.id,
      authorLabel: author.label,
      comment: regulatedMode ? "Regulated mode on" : "Regulated mode off",
      createdAt: at,
    },
    select: { id: true },
  });
}
