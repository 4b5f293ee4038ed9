// Where export files live: EXPORT_DIR (default <CREDO_DATA_DIR>/exports) / <tenant id> / <export id>.<format>.gz.
// Both path segments are ids the server generated (uuids, checked here), never names from a request,
// so a path can only ever point into the tenant's own folder.
import { rm } from "node:fs/promises";
import path from "node:path";
import { env } from "../../env";
import type { ExportFormat } from "./format";
import { isCanonicalUuid } from "../../isomorphic/uuid";

export function exportRoot(): string {
  // A runtime folder, not part of the app: keep Next's file tracing out of it.
  return path.resolve(/*turbopackIgnore: true*/ env.EXPORT_DIR ?? path.join(env.CREDO_DATA_DIR, "exports"));
}

export function tenantExportDir(tenantId: string): string {
  if (!isCanonicalUuid(tenantId)) throw new Error("not a tenant id");
  return path.join(exportRoot(), tenantId);
}

export function exportFilePath(tenantId: string, exportId: string, format: ExportFormat): string {
  if (!isCanonicalUuid(exportId)) throw new Error("not an export id");
  return path.join(tenantExportDir(tenantId), `${exportId}.${format}.gz`);
}

/** The file an export is written to before it is complete (renamed at the end). */
export function partialFilePath(tenantId: string, exportId: string, format: ExportFormat): string {
  return `${exportFilePath(tenantId, exportId, format)}.partial`;
}

/** What a download is called: audit-<slug>-<date>-<first 8 of the id>.<format>.gz */
export function downloadName(slug: string, exportId: string, format: ExportFormat, createdAt: Date): string {
  return `audit-${slug}-${createdAt.toISOString().slice(0, 10)}-${exportId.slice(0, 8)}.${format}.gz`;
}

export async function removeExportFiles(tenantId: string, exportId: string, format: ExportFormat): Promise<void> {
  await rm(exportFilePath(tenantId, exportId, format), { force: true });
  await rm(partialFilePath(tenantId, exportId, format), { force: true });
}

/** Tenant deletion: every export file of the tenant. */
export async function removeTenantExportFiles(tenantId: string): Promise<void> {
  await rm(tenantExportDir(tenantId), { recursive: true, force: true });
}
