// Audit exports as the console sees them: request (a row + a job, in the caller's transaction),
// list with progress, the manifest, and expiry (the file is deleted, the row stays as the record).
import { z } from "zod";
import type { TenantScope } from "../../db/doors";
import { env } from "../../env";
import { AppError } from "../../isomorphic/errors";
import { enqueueTenantJob, jobType } from "../../jobs/queue";
import type { AuditFilters } from "../repository";
import type { Auditor, AuditActor } from "../record";
import { removeExportFiles } from "./files";
import { EXPORT_FORMATS, type ExportFormat } from "./format";
import { manifestWithoutSignature, type SignedManifest } from "./manifest";
import { EXPORT_MAX_ATTEMPTS, storedFilters } from "./pipeline";

/** The export job's name and payload; its handler (server/audit/tasks.ts) imports this module. */
export const exportJob = jobType("audit.export", z.object({ exportId: z.uuid() }));

/** Exports of one tenant that may be queued or running at once. */
export const MAX_ACTIVE_EXPORTS = 3;

export const exportFormatSchema = z.enum(EXPORT_FORMATS);

export interface ExportView {
  id: string;
  status: "queued" | "running" | "done" | "failed" | "expired";
  format: ExportFormat;
  filters: ReturnType<typeof storedFilters>;
  requestedBy: string | null;
  rowsWritten: string;
  rowsEstimated: string | null;
  bytes: string | null;
  sha256: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date;
  /** Done and not expired: the file and manifest can be downloaded. */
  downloadable: boolean;
}

type Row = {
  id: string;
  status: string;
  format: string;
  filters: unknown;
  requestedByLabel: string | null;
  rowsWritten: bigint;
  rowsEstimated: bigint | null;
  bytesWritten: bigint | null;
  sha256: Uint8Array | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date;
};

function view(r: Row, now: Date): ExportView {
  return {
    id: r.id,
    status: r.status as ExportView["status"],
    format: r.format as ExportFormat,
    filters: r.filters as ExportView["filters"],
    requestedBy: r.requestedByLabel,
    rowsWritten: r.rowsWritten.toString(),
    rowsEstimated: r.rowsEstimated?.toString() ?? null,
    bytes: r.bytesWritten?.toString() ?? null,
    sha256: r.sha256 ? Buffer.from(r.sha256).toString("hex") : null,
    error: r.error,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    expiresAt: r.expiresAt,
    downloadable: r.status === "done" && r.expiresAt > now,
  };
}

const listSelect = {
  id: true,
  status: true,
  format: true,
  filters: true,
  requestedByLabel: true,
  rowsWritten: true,
  rowsEstimated: true,
  bytesWritten: true,
  sha256: true,
  error: true,
  createdAt: true,
  finishedAt: true,
  expiresAt: true,
} as const;

/**
 * Records the export request and queues its job — both in the caller's transaction, so a request
 * that rolls back leaves neither. Audited as audit.exported (who, which format and filters).
 */
export async function requestAuditExport(
  scope: TenantScope,
  actor: AuditActor,
  audit: Auditor,
  input: { format: ExportFormat; filters: AuditFilters },
  now = new Date(),
): Promise<ExportView> {
  const active = await scope.db.auditExport.count({ where: { tenantId: scope.tenantId, status: { in: ["queued", "running"] } } });
  if (active >= MAX_ACTIVE_EXPORTS) {
    throw new AppError("CONFLICT", `${active} exports are already in progress for this tenant; wait for one to finish.`);
  }
  const filters = storedFilters(input.filters);
  const row = await scope.db.auditExport.create({
    data: {
      tenantId: scope.tenantId,
      status: "queued",
      format: input.format,
      filters: filters as unknown as object,
      requestedByType: actor.type,
      requestedById: actor.id,
      requestedByLabel: actor.label,
      createdAt: now,
      // A request that never completes is cleaned up like an expired export.
      expiresAt: new Date(now.getTime() + env.EXPORT_TTL_HOURS * 3_600_000),
    },
    select: listSelect,
  });
  await audit.record({ action: "audit.exported", targetType: "audit_export", targetId: row.id, after: { format: input.format, filters } });
  await enqueueTenantJob(scope, exportJob, { exportId: row.id }, { maxAttempts: EXPORT_MAX_ATTEMPTS });
  return view(row, now);
}

export async function listAuditExports(scope: TenantScope, now = new Date(), take = 20): Promise<ExportView[]> {
  const rows = await scope.db.auditExport.findMany({
    where: { tenantId: scope.tenantId },
    orderBy: { createdAt: "desc" },
    take,
    select: listSelect,
  });
  return rows.map((r) => view(r, now));
}

export interface DownloadableExport {
  id: string;
  format: ExportFormat;
  manifest: SignedManifest;
  createdAt: Date;
}

/** A done, unexpired export of THIS tenant (RLS and the filter agree); null for anything else. */
export async function downloadableExport(scope: TenantScope, exportId: string, now = new Date()): Promise<DownloadableExport | "expired" | null> {
  if (!z.uuid().safeParse(exportId).success) return null;
  const row = await scope.db.auditExport.findUnique({
    where: { tenantId_id: { tenantId: scope.tenantId, id: exportId } },
    select: { id: true, status: true, format: true, manifest: true, signature: true, expiresAt: true, createdAt: true },
  });
  if (!row) return null;
  if (row.status === "expired" || (row.status === "done" && row.expiresAt <= now)) return "expired";
  if (row.status !== "done" || !row.manifest || !row.signature) return null;
  const manifest = { ...manifestWithoutSignature(row.manifest as Record<string, unknown>), signature: row.signature } as SignedManifest;
  return { id: row.id, format: row.format as ExportFormat, manifest, createdAt: row.createdAt };
}

/**
 * Expires the tenant's exports whose time is up: the file is deleted and the row kept (status
 * "expired") as the record of what was exported. Exports stuck in queued/running a day past their
 * expiry are marked failed.
 */
export async function expireAuditExports(scope: TenantScope, now = new Date()): Promise<number> {
  const due = await scope.db.auditExport.findMany({
    where: { tenantId: scope.tenantId, expiresAt: { lte: now }, status: { in: ["done", "failed", "queued", "running"] } },
    select: { id: true, format: true, status: true, expiresAt: true },
    take: 500,
  });
  let expired = 0;
  for (const e of due) {
    const stuck = e.status === "queued" || e.status === "running";
    if (stuck && e.expiresAt.getTime() > now.getTime() - 86_400_000) continue;
    await removeExportFiles(scope.tenantId, e.id, e.format as ExportFormat);
    await scope.db.auditExport.update({
      where: { tenantId_id: { tenantId: scope.tenantId, id: e.id } },
      data: stuck ? { status: "failed", error: "The export did not finish in time.", finishedAt: now } : { status: "expired" },
      select: { id: true },
    });
    expired++;
  }
  return expired;
}
