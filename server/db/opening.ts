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
//
// The same hook notes WHICH connection carries the transaction (the first BEGIN of the context), so
// reads can go to it directly, past Prisma's result pipeline (server/db/rows.ts). The connection is
// marked with its transaction from that BEGIN until the transaction's COMMIT or ROLLBACK, or the
// connection's release to the pool, whichever comes first: after that it may carry another
// request's transaction, in another tenant's scope, and `connection()` no longer hands it out.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";

interface Opening {
  /** The statement to send with BEGIN; null: none, only note the connection. */
  readonly sql: string | null;
  sent: boolean;
  rows: pg.QueryResultRow[] | null;
  /** The connection whose BEGIN opened this context's transaction. */
  connection: pg.Client | null;
}

/** On a pg.Client: the Opening whose transaction it carries right now (see the header). */
const CARRIES = Symbol.for("credo.db.carries");
type Marked = pg.Client & { [CARRIES]?: Opening };

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

/** What withOpening tells the transaction it opened. */
export interface Opened {
  /** The opening statement's rows, or null when the BEGIN went out without it (the caller runs it then). */
  rows(): pg.QueryResultRow[] | null;
  /** The connection carrying the transaction while it is open; null before its BEGIN and once it ended. */
  connection(): pg.Client | null;
}

/**
 * Runs `open` (which must open ONE transaction through the app pool) with `sql` as that
 * transaction's first statement, sent with its BEGIN (null: no statement, only the connection is
 * noted).
 */
export async function withOpening<T>(sql: string | null, open: (opened: Opened) => Promise<T>): Promise<T> {
  const opening: Opening = { sql, sent: false, rows: null, connection: null };
  const opened: Opened = {
    rows: () => opening.rows,
    connection: () => {
      const c = opening.connection as Marked | null;
      return c && c[CARRIES] === opening ? c : null;
    },
  };
  return pending.run(opening, () => open(opened));
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;

/** Lets a pool's connections carry a pending opening with their BEGIN (server/db/client.ts). */
export function carryOpenings(pool: pg.Pool): void {
  pool.on("release", (_err: Error | undefined, client: pg.PoolClient) => {
    delete (client as unknown as Marked)[CARRIES];
  });
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
      if (text === "COMMIT" || text === "ROLLBACK") delete (this as Marked)[CARRIES];
      if (opening && !opening.connection && text === "BEGIN") {
        opening.connection = this;
        (this as Marked)[CARRIES] = opening;
      }
      if (!opening || opening.sent || !opening.sql || text !== "BEGIN" || !plain) return query.apply(this, args);
      opening.sent = true;
      return (query.call(this, `BEGIN; ${opening.sql}`) as Promise<pg.QueryResult[]>).then((results) => {
        opening.rows = results[1]!.rows;
        return results[0]!;
      });
    };
  });
}
