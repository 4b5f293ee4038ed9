"use client";
// A table's state lives in the URL (search params) so a reload or a shared link shows the same
// search, sort, page and columns. `prefix` keeps two tables on one page apart.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

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

export interface TableUrl extends TableUrlState {
  /** This page's cursor (server paging), null on the first page. */
  cursor: string | null;
  /** Changes the table's state; `extra` sets (or, with null, removes) other params of the page in the same navigation. */
  update: (patch: Partial<TableUrlState>, extra?: Record<string, string | null>) => void;
}

// Cursors are base64url (no "."), so "." joins the stack of earlier pages.
const CURSOR_SEPARATOR = ".";

export function useTableUrlState(prefix = ""): TableUrl {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const key = useCallback((name: string) => (prefix ? `${prefix}_${name}` : name), [prefix]);

  const state = useMemo<TableUrlState>(() => {
    const dir = params.get(key("dir"));
    const page = Number(params.get(key("page")) ?? "1");
    return {
      search: params.get(key("q")) ?? "",
      sort: params.get(key("sort")),
      direction: dir === "asc" || dir === "desc" ? dir : null,
      cursors: (params.get(key("after")) ?? "").split(CURSOR_SEPARATOR).filter(Boolean),
      page: Number.isInteger(page) && page > 1 ? page - 1 : 0,
      hidden: (params.get(key("hide")) ?? "").split(",").filter(Boolean),
    };
  }, [params, key]);

  const update = useCallback(
    (patch: Partial<TableUrlState>, extra: Record<string, string | null> = {}) => {
      const next = { ...state, ...patch };
      const out = new URLSearchParams(params.toString());
      const set = (name: string, value: string | null) => (value ? out.set(key(name), value) : out.delete(key(name)));
      set("q", next.search.trim() || null);
      set("sort", next.sort);
      set("dir", next.sort ? next.direction : null);
      set("after", next.cursors.length ? next.cursors.join(CURSOR_SEPARATOR) : null);
      set("page", next.page > 0 ? String(next.page + 1) : null);
      set("hide", next.hidden.length ? next.hidden.join(",") : null);
      for (const [name, value] of Object.entries(extra)) set(name, value);
      const query = out.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [state, params, key, router, pathname],
  );

  return { ...state, cursor: state.cursors[state.cursors.length - 1] ?? null, update };
}

/** The tRPC list input for a server-paged table (undefined fields are left to the server's defaults). */
export function listInputFrom<S extends string>(url: TableUrl, sorts: readonly S[], limit: number) {
  const sort = sorts.find((s) => s === url.sort);
  return {
    search: url.search.trim() || undefined,
    sort,
    direction: sort ? (url.direction ?? undefined) : undefined,
    cursor: url.cursor ?? undefined,
    limit,
  };
}
