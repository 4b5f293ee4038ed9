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
import { AppError } from "../isomorphic/errors";
import { isUniqueViolation } from "../db/errors";
import { countTenantVersions, latestTenantVersion, workspaceScopeKey } from "./repository";
import { deleteWorkspaceRow, findWorkspaceById, findWorkspaceBySlug, findWorkspaces, insertWorkspace, latestWorkspaceVersions, setWorkspaceName, workspaceSlugTaken, type WorkspaceRow } from "./workspace-repository";

// The schemas live in an isomorphic module (the browser's forms load them too).
export { WORKSPACE_SLUG_RULE, createWorkspaceInput, renameWorkspaceInput, workspaceName, workspaceRefInput, workspaceSlug } from "../isomorphic/policies/workspace-inputs";
import type { createWorkspaceInput, renameWorkspaceInput, workspaceRefInput } from "../isomorphic/policies/workspace-inputs";

export type { WorkspaceRow };

export interface WorkspaceView extends WorkspaceRow {
  /** Newest policy version of the workspace (0 = never configured). */
  policyVersion: number;
}

/** By slug within the scope's tenant; the same NOT_FOUND for a missing and a foreign workspace. */
export async function workspaceBySlug(scope: TenantScope, slug: string): Promise<WorkspaceRow> {
  const row = await findWorkspaceBySlug(scope, slug);
  if (!row) throw new AppError("NOT_FOUND", "Workspace not found.");
  return row;
}

export async function workspaceById(scope: TenantScope, id: string): Promise<WorkspaceRow> {
  const row = await findWorkspaceById(scope, id);
  if (!row) throw new AppError("NOT_FOUND", "Workspace not found.");
  return row;
}

export async function listWorkspaces(scope: TenantScope): Promise<WorkspaceView[]> {
  const rows = await findWorkspaces(scope);
  const byId = await latestWorkspaceVersions(scope, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, policyVersion: byId.get(r.id) ?? 0 }));
}

export async function createWorkspace(scope: TenantScope, audit: Auditor, input: z.infer<typeof createWorkspaceInput>): Promise<WorkspaceView> {
  if (await workspaceSlugTaken(scope, input.slug)) throw new AppError("WORKSPACE_SLUG_TAKEN", `A workspace with the slug "${input.slug}" already exists.`, { field: "slug" });
  let row: WorkspaceRow;
  try {
    row = await insertWorkspace(scope, { slug: input.slug, name: input.name });
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
    await setWorkspaceName(scope, row.id, input.name);
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
  await deleteWorkspaceRow(scope, row.id);
  await audit.record({ action: "workspace.deleted", targetType: "workspace", targetId: row.id, before: { slug: row.slug, name: row.name } });
  return { id: row.id };
}
