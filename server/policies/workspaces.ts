// Workspaces (ADR 0006): named parts of a tenant whose policies may override the tenant's, for the
// sections that make sense per workspace. Tenant-owned rows like everything else (RLS-scoped).
//
// Deleting: a workspace with policy versions cannot be deleted. Versions are append-only history
// (the runtime role may not delete them, and the foreign key restricts), and they are what the
// audit trail points at. Reset its overrides instead — it then inherits everything — or delete a
// workspace before it was ever configured.
import type { z } from "zod";
import type { TenantScope } from "../db/doors";
import type { Auditor } from "../audit/record";
import { AppError } from "../errors";
import { isUniqueViolation } from "../db/errors";
import { countTenantVersions, latestTenantVersion, workspaceScopeKey } from "./repository";

// The schemas live in an isomorphic module (the browser's forms load them too).
export { WORKSPACE_SLUG_RULE, createWorkspaceInput, renameWorkspaceInput, workspaceName, workspaceRefInput, workspaceSlug } from "./workspace-inputs";
import type { createWorkspaceInput, renameWorkspaceInput, workspaceRefInput } from "./workspace-inputs";

export interface WorkspaceRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export interface WorkspaceView extends WorkspaceRow {
  /** Newest policy version of the workspace (0 = never configured). */
  policyVersion: number;
}

const COLUMNS = { id: true, slug: true, name: true, createdAt: true } as const;

/** By slug within the scope's tenant; the same NOT_FOUND for a missing and a foreign workspace. */
export async function workspaceBySlug(scope: TenantScope, slug: string): Promise<WorkspaceRow> {
  const row = await scope.db.workspace.findFirst({ where: { tenantId: scope.tenantId, slug }, select: COLUMNS });
  if (!row) throw new AppError("NOT_FOUND", "Workspace not found.");
  return row;
}

export async function workspaceById(scope: TenantScope, id: string): Promise<WorkspaceRow> {
  const row = await scope.db.workspace.findFirst({ where: { tenantId: scope.tenantId, id }, select: COLUMNS });
  if (!row) throw new AppError("NOT_FOUND", "Workspace not found.");
  return row;
}

export async function listWorkspaces(scope: TenantScope): Promise<WorkspaceView[]> {
  const rows = await scope.db.workspace.findMany({ where: { tenantId: scope.tenantId }, orderBy: { slug: "asc" }, select: COLUMNS });
  const latest = await scope.db.policyVersion.groupBy({
    by: ["workspaceId"],
    where: { tenantId: scope.tenantId, workspaceId: { in: rows.map((r) => r.id) } },
    _max: { version: true },
  });
  const byId = new Map(latest.map((l) => [l.workspaceId, l._max.version ?? 0]));
  return rows.map((r) => ({ ...r, policyVersion: byId.get(r.id) ?? 0 }));
}

export async function createWorkspace(scope: TenantScope, audit: Auditor, input: z.infer<typeof createWorkspaceInput>): Promise<WorkspaceView> {
  const taken = await scope.db.workspace.findFirst({ where: { tenantId: scope.tenantId, slug: input.slug }, select: { id: true } });
  if (taken) throw new AppError("WORKSPACE_SLUG_TAKEN", `A workspace with the slug "${input.slug}" already exists.`, { field: "slug" });
  let row: WorkspaceRow;
  try {
    row = await scope.db.workspace.create({ data: { tenantId: scope.tenantId, slug: input.slug, name: input.name }, select: COLUMNS });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("WORKSPACE_SLUG_TAKEN", `A workspace with the slug "${input.slug}" already exists.`, { field: "slug" });
    throw e;
  }
  await audit.record({ action: "workspace.created", targetType: "workspace", targetId: row.id, after: { slug: row.slug, name: row.name } });
  return { ...row, policyVersion: 0 };
}

export async function renameWorkspace(scope: TenantScope, audit: Auditor, input: z.infer<typeof renameWorkspaceInput>): Promise<WorkspaceView> {
  const row = await workspaceBySlug(scope, input.workspace);
  if (row.name !== input.name) {
    await scope.db.workspace.updateMany({ where: { tenantId: scope.tenantId, id: row.id }, data: { name: input.name } });
    await audit.record({ action: "workspace.renamed", targetType: "workspace", targetId: row.id, before: { name: row.name }, after: { name: input.name } });
  }
  const latest = await latestTenantVersion(scope, workspaceScopeKey(row.id));
  return { ...row, name: input.name, policyVersion: latest?.version ?? 0 };
}

export async function deleteWorkspace(scope: TenantScope, audit: Auditor, input: z.infer<typeof workspaceRefInput>): Promise<{ id: string }> {
  const row = await workspaceBySlug(scope, input.workspace);
  const versions = await countTenantVersions(scope, workspaceScopeKey(row.id));
  if (versions > 0) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Workspace "${row.slug}" has policy history (${versions} version${versions === 1 ? "" : "s"}), which is kept for the audit trail, so it cannot be deleted. Reset its overrides instead: it then inherits everything from the tenant.`,
    );
  }
  await scope.db.workspace.deleteMany({ where: { tenantId: scope.tenantId, id: row.id } });
  await audit.record({ action: "workspace.deleted", targetType: "workspace", targetId: row.id, before: { slug: row.slug, name: row.name } });
  return { id: row.id };
}
