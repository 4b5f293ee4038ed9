// The filters of an export as stored in audit_exports.filters: read by the paged path (pipeline.ts)
// and the COPY path (copy.ts), which pipeline.ts runs — so the shape lives below both.

/** The filters as stored in audit_exports.filters (JSON: dates as ISO strings). */
export interface StoredExportFilters {
  from: string | null;
  to: string | null;
  actor: string | null;
  actionPrefix: string | null;
  targetType: string | null;
  targetId: string | null;
  outcome: "success" | "failure" | null;
  text: string | null;
}
