// The audit filters in the URL (so a reload or a shared link keeps them), next to the table's own
// state (page cursors, hidden columns) from the DataTable. The parameter names and the time format
// are audit-filters.tsx's (filtersFromSearch / filtersToSearch): one definition.
import type { ReadonlyURLSearchParams } from "next/navigation";
import { filtersFromSearch, filtersToSearch, NO_FILTERS, type AuditFilterValues } from "./audit-filters";

export function filtersFromParams(params: ReadonlyURLSearchParams | URLSearchParams): AuditFilterValues {
  return filtersFromSearch(params);
}

/** URL params for these filters; every filter's parameter is present (null = remove it). */
export function filterParams(f: AuditFilterValues): Record<string, string | null> {
  const set = new URLSearchParams(filtersToSearch(f));
  const all = new URLSearchParams(filtersToSearch(Object.fromEntries(Object.keys(NO_FILTERS).map((k) => [k, "x"])) as unknown as AuditFilterValues));
  return Object.fromEntries([...all.keys()].map((name) => [name, set.get(name)]));
}
