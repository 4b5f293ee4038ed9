// The SQL form of server/lists/keyset.ts (for pages read with queryRows, server/db/rows.ts): after
// the cursor's (sort value, id), both in the page's direction, so one (tenant_id, column, id) index
// serves the page forwards or backwards.
import { Prisma } from "./generated/client";
import { decodeCursor } from "../lists/keyset";
import type { SortDirection } from "../lists/keyset";

/** `AND (column, id) > / < (cursor)` (empty without a cursor) and the ORDER BY list. */
export function keysetSql(column: Prisma.Sql, id: Prisma.Sql, direction: SortDirection, cursor: string | null | undefined): { after: Prisma.Sql; orderBy: Prisma.Sql } {
  const dir = direction === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const orderBy = Prisma.sql`${column} ${dir}, ${id} ${dir}`;
  if (!cursor) return { after: Prisma.empty, orderBy };
  const { value, id: lastId } = decodeCursor(cursor);
  const bound = value instanceof Date ? Prisma.sql`${value}::timestamptz` : Prisma.sql`${value}::text`;
  const after = direction === "asc" ? Prisma.sql`AND (${column}, ${id}) > (${bound}, ${lastId}::uuid)` : Prisma.sql`AND (${column}, ${id}) < (${bound}, ${lastId}::uuid)`;
  return { after, orderBy };
}
