"use client";
// A table's state lives in the URL (search params) so a reload or a shared link shows the same
// search, sort, page and columns. `prefix` keeps two tables on one page apart.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { CURSOR_SEPARATOR, tableStateFrom, type TableUrlState } from "./list-input";

export { listInputFrom, type SortDirection, type TableUrlState } from "./list-input";

export interface TableUrl extends TableUrlState {
  /** This page's cursor (server paging), null on the first page. */
  cursor: string | null;
  /** Changes the table's state; `extra` sets (or, with null, removes) other params of the page in the same navigation. */
  update: (patch: Partial<TableUrlState>, extra?: Record<string, string | null>) => void;
}

export function useTableUrlState(prefix = ""): TableUrl {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const key = useCallback((name: string) => (prefix ? `${prefix}_${name}` : name), [prefix]);

  const state = useMemo<TableUrlState>(() => tableStateFrom((name) => params.get(name), prefix), [params, prefix]);

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
