// Tenant-owned repository: the tenant's workspaces (ADR 0006), and the newest policy version of each.
// Every function takes a TenantScope and filters by its tenantId (RLS enforces the same).
import type { TenantScope } from "../db/doors";

export interface WorkspaceRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

const COLUMNS = { id: true, slug: true, name: true, createdAt: true } as const;

export function findWorkspaceBySlug(scope: TenantScope, slug: string): Promise<WorkspaceRow | null> {
  return scope.db.workspace.findFirst({ where: { tenantId: scope.tenantId, slug }, select: COLUMNS });
}

export function findWorkspaceById(scope: TenantScope, id: string): Promise<WorkspaceRow | null> {
  return scope.db.workspace.findFirst({ where: { tenantId: scope.tenantId, id }, select: COLUMNS });
}

/** Every workspace of the tenant, by slug. */
export function findWorkspaces(scope: TenantScope): Promise<WorkspaceRow[]> {
  return scope.db.workspace.findMany({ where: { tenantId: scope.tenantId }, orderBy: { slug: "asc" }, select: COLUMNS });
}

/** Workspace id → its newest policy version (absent: never configured). */
export async function latestWorkspaceVersions(scope: TenantScope, workspaceIds: readonly string[]): Promise<Map<string | null, number>> {
  const latest = await scope.db.policyVersion.groupBy({
    by: ["workspaceId"],
    where: { tenantId: scope.tenantId, workspaceId: { in: [...workspaceIds] } },
    _max: { version: true },
  });
  return new Map(latest.map((l) => [l.workspaceId, l._max.version ?? 0]));
}

export async function workspaceSlugTaken(scope: TenantScope, slug: string): Promise<boolean> {
  return (await scope.db.workspace.findFirst({ where: { tenantId: scope.tenantId, slug }, select: { id: true } })) !== null;
}

/** Inserts a workspace; a taken slug surfaces as the unique violation (the caller maps it). */
export function insertWorkspace(scope: TenantScope, data: { slug: string; name: string }): Promise<WorkspaceRow> {
  return scope.db.workspace.create({ data: { tenantId: scope.tenantId, slug: data.slug, name: data.name }, select: COLUMNS });
}

export async function setWorkspaceName(scope: TenantScope, id: string, name: string): Promise<void> {
  await scope.db.workspace.updateMany({ where: { tenantId: scope.tenantId, id }, data: { name } });
}

export async function deleteWorkspaceRow(scope: TenantScope, id: string): Promise<void> {
  await scope.db.workspace.deleteMany({ where: { tenantId: scope.tenantId, id } });
}
