// Server-side lists that can grow: one input shape (search, sort, direction, cursor, limit) and keyset
// paging on (sort column, id). The cursor is opaque to clients (base64url of the last row's sort
// value and id); a page is always `limit` rows read in index order, never an OFFSET scan.
import { z } from "zod";
import { AppError } from "../isomorphic/errors";

export const LIST_MAX_LIMIT = 100;
export const LIST_DEFAULT_LIMIT = 50;
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** The zod input of a paged list; `sorts` are the columns with a tenant-led (sort, id) index. */
export function listPageInput<const S extends readonly [string, ...string[]]>(sorts: S) {
  return z.object({
    search: z.string().trim().max(100, "Search is at most 100 characters.").optional(),
    sort: z.enum(sorts, { error: `sort is one of ${sorts.join(", ")}.` }).optional(),
    direction: z.enum(SORT_DIRECTIONS, { error: "direction is asc or desc." }).optional(),
    cursor: z.string().max(400, "The page cursor is not valid; start again from the first page.").nullish(),
    limit: z.number().int().min(1).max(LIST_MAX_LIMIT, `limit is at most ${LIST_MAX_LIMIT}.`).default(LIST_DEFAULT_LIMIT),
  });
}

export interface ListPage<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

type CursorValue = string | Date;

export function encodeCursor(value: CursorValue, id: string): string {
  const v = value instanceof Date ? { d: value.toISOString() } : { s: value };
  return Buffer.from(JSON.stringify([v, id]), "utf8").toString("base64url");
}

const cursorShape = z.tuple([z.union([z.object({ d: z.iso.datetime() }), z.object({ s: z.string().max(200) })]), z.string().max(64)]);

export function decodeCursor(cursor: string): { value: CursorValue; id: string } {
  try {
    const [v, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { value: "d" in v ? new Date(v.d) : v.s, id };
  } catch {
    throw new AppError("BAD_REQUEST", "The page cursor is not valid; start again from the first page.");
  }
}

/**
 * Prisma `where` and `orderBy` for one keyset page ordered by (column, id), both in `direction`
 * so a single (tenant_id, column, id) index serves it forwards or backwards.
 */
export function keyset(column: string, direction: SortDirection, cursor: string | null | undefined) {
  const orderBy = [{ [column]: direction }, { id: direction }];
  if (!cursor) return { where: {}, orderBy };
  const { value, id } = decodeCursor(cursor);
  const op = direction === "asc" ? "gt" : "lt";
  return { where: { OR: [{ [column]: { [op]: value } }, { [column]: value, id: { [op]: id } }] }, orderBy };
}

/** Splits the `limit + 1` rows read into a page and the cursor after its last row. */
export function toPage<R extends { id: string }>(rows: R[], limit: number, sortValue: (r: R) => CursorValue): ListPage<R> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: hasMore && last ? encodeCursor(sortValue(last), last.id) : null };
}
