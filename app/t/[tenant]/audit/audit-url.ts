// The audit filters in the URL (so a reload or a shared link keeps them), next to the table's own
// state (page cursors, hidden columns) from the DataTable.
import type { ReadonlyURLSearchParams } from "next/navigation";
import { NO_FILTERS, type AuditFilterValues } from "./audit-filters";

const PARAMS: Record<keyof AuditFilterValues, string> = {
  from: "from",
  to: "to",
  actor: "actor",
  actionPrefix: "action",
  targetType: "target_type",
  targetId: "target_id",
  outcome: "outcome",
  text: "text",
};

export function filtersFromParams(params: ReadonlyURLSearchParams | URLSearchParams): AuditFilterValues {
  const out = { ...NO_FILTERS };
  for (const [field, name] of Object.entries(PARAMS) as [keyof AuditFilterValues, string][]) {
    const v = params.get(name) ?? "";
    if (field === "outcome") out.outcome = v === "success" || v === "failure" ? v : "";
    else out[field] = v;
  }
  return out;
}

/** URL params for these filters (empty ones removed). */
export function filterParams(f: AuditFilterValues): Record<string, string | null> {
  return Object.fromEntries((Object.entries(PARAMS) as [keyof AuditFilterValues, string][]).map(([field, name]) => [name, f[field] || null]));
}
