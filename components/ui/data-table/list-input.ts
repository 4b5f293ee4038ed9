// A table's URL state and the list input it asks the server for, as plain functions (no "use client"):
// the browser's table (url-state.ts) and the server page's prefetch build the input with the SAME
// code, so the prefetched query has exactly the key of the table's first render and the page renders
// with its data.
export type SortDirection = "asc" | "desc";

export interface TableUrlState {
  search: string;
  sort: string | null;
  direction: SortDirection | null;
  /** Server paging: the cursors of the pages before this one, the last one being this page's. */
  cursors: string[];
  /** Client paging: zero-based page index. */
  page: number;
  hidden: string[];
}

// Cursors are base64url (no "."), so "." joins the stack of earlier pages.
export const CURSOR_SEPARATOR = ".";

/** Reads a search param (the first value, as URLSearchParams.get does). */
export type ParamReader = (name: string) => string | null;

/** A server page's `searchParams` as a reader. */
export function paramReader(params: Record<string, string | string[] | undefined>): ParamReader {
  return (name) => {
    const v = params[name];
    return (Array.isArray(v) ? v[0] : v) ?? null;
  };
}

export function tableStateFrom(get: ParamReader, prefix = ""): TableUrlState {
  const key = (name: string) => (prefix ? `${prefix}_${name}` : name);
  const dir = get(key("dir"));
  const page = Number(get(key("page")) ?? "1");
  return {
    search: get(key("q")) ?? "",
    sort: get(key("sort")),
    direction: dir === "asc" || dir === "desc" ? dir : null,
    cursors: (get(key("after")) ?? "").split(CURSOR_SEPARATOR).filter(Boolean),
    page: Number.isInteger(page) && page > 1 ? page - 1 : 0,
    hidden: (get(key("hide")) ?? "").split(",").filter(Boolean),
  };
}

/** The tRPC list input for a server-paged table (undefined fields are left to the server's defaults). */
export function listInputFrom<S extends string>(state: TableUrlState, sorts: readonly S[], limit: number) {
  const sort = sorts.find((s) => s === state.sort);
  return {
    search: state.search.trim() || undefined,
    sort,
    direction: sort ? (state.direction ?? undefined) : undefined,
    cursor: state.cursors[state.cursors.length - 1] ?? undefined,
    limit,
  };
}
