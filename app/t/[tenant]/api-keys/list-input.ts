// The apiKeys.list input of this page's table, from its URL state: one function for the browser's table
// and the server page's prefetch, so the prefetched first page has the key the table asks for.
import { listInputFrom, paramReader, tableStateFrom, type TableUrlState } from "@/components/ui/data-table/list-input";

export const PAGE_SIZE = 25;
export const SORTS = ["createdAt", "name"] as const;

export function apiKeysListInput(tenant: string, state: TableUrlState) {
  return { tenant, ...listInputFrom(state, SORTS, PAGE_SIZE) };
}

/** The same input from a server page's `searchParams`. */
export function apiKeysListInputFromParams(tenant: string, params: Record<string, string | string[] | undefined>) {
  return apiKeysListInput(tenant, tableStateFrom(paramReader(params)));
}
