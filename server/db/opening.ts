// A transaction's first statement, sent in the same round trip as its BEGIN (issue 16).
//
// Every signed-in request is one Prisma interactive transaction whose first statement is always
// credo_request_context (server/db/doors.ts inOperatorRequest). Sent the usual way that costs a round
// trip for BEGIN and then a round trip — and a pass through Prisma's query compiler — for the
// statement. Here the app pool's connections (server/db/client.ts) recognise the adapter's "BEGIN"
// while an opening is pending in the current async context and send `BEGIN; <opening>` as ONE
// simple-protocol query instead: the adapter gets BEGIN's own result, the door gets the opening's
// rows. Nothing else changes: the same connection, the same transaction, the same statement.
//
// The opening is SQL text with its values as quoted literals (simple protocol has no bind
// parameters): literalSql quotes them with pg's escapeLiteral; callers pass only constants and
// values they have validated. A pending opening is used by the FIRST BEGIN of its context only, so a
// transaction opened later in the same context (a nested door) begins normally.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";

interface Opening {
  readonly sql: string;
  sent: boolean;
  rows: pg.QueryResultRow[] | null;
}

// On globalThis, like the Prisma client it serves (server/db/client.ts): a pool made by an earlier
// copy of this module (Next's dev reloads) must see the openings of the current one.
const globalForOpening = globalThis as unknown as { credoOpenings?: AsyncLocalStorage<Opening> };
const pending = (globalForOpening.credoOpenings ??= new AsyncLocalStorage<Opening>());

/** A value sent as a quoted literal (the SQL casts it): a Date as its ISO text, null as NULL. */
export type LiteralValue = string | number | Date | null;

/**
 * `$n` placeholders of a constant SQL text replaced by quoted literals (pg's escapeLiteral), in one
 * pass, so a value's own text is never scanned again. For statements sent over the simple protocol,
 * which has no bind parameters (here, and server/db/plain-door.ts).
 */
export function literalSql(sql: string, values: readonly LiteralValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (!(i in values)) throw new Error(`literalSql: no value for $${n}`);
    const v = values[i];
    if (v === null || v === undefined) return "NULL";
    return pg.escapeLiteral(v instanceof Date ? v.toISOString() : String(v));
  });
}

/**
 * Runs `open` (which must open ONE transaction through the app pool) with `sql` as that
 * transaction's first statement, sent with its BEGIN. `opened()` then returns the statement's rows,
 * or null when the BEGIN went out without it (the caller runs the statement itself then).
 */
export async function withOpening<T>(sql: string, open: (opened: () => pg.QueryResultRow[] | null) => Promise<T>): Promise<T> {
  const opening: Opening = { sql, sent: false, rows: null };
  return pending.run(opening, () => open(() => opening.rows));
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;

/** Lets a pool's connections carry a pending opening with their BEGIN (server/db/client.ts). */
export function carryOpenings(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const own = client as unknown as { query: Query };
    own.query = function (this: pg.Client, ...args: unknown[]) {
      // The prototype's query at call time (the statement log, server/db/statement-log.ts, wraps it).
      const query = pg.Client.prototype.query as unknown as Query;
      const opening = pending.getStore();
      const config = args[0] as { text?: unknown } | string | undefined;
      const text = typeof config === "string" ? config : config?.text;
      // The adapter's BEGIN: a config object, and its (empty) values again as the second argument.
      const plain = args.length <= 2 && (args[1] === undefined || (Array.isArray(args[1]) && args[1].length === 0));
      if (!opening || opening.sent || text !== "BEGIN" || !plain) return query.apply(this, args);
      opening.sent = true;
      return (query.call(this, `BEGIN; ${opening.sql}`) as Promise<pg.QueryResult[]>).then((results) => {
        opening.rows = results[1]!.rows;
        return results[0]!;
      });
    };
  });
}
