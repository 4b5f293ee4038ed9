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
// A DEFERRED opening (the doors' own transactions on a real server, server/db/doors.ts) goes one
// step further: the BEGIN is not sent at all yet. The adapter gets a BEGIN result at once, and the
// connection holds `BEGIN; <opening>` until the transaction's first statement, which then goes in
// the SAME round trip when it is a read of queryRows (server/db/rows.ts, values as literals): a
// tenant page costs one round trip plus the COMMIT, as the raw SQL it needs costs one. The rule that
// keeps it fail-closed: nothing is ever sent on a connection holding its BEGIN except after that
// BEGIN and its opening. Any other first statement waits until `BEGIN; <opening>` has succeeded
// (and is not sent if it failed); a COMMIT or ROLLBACK with nothing sent ends nothing on the server,
// so it is answered without a round trip. Never on embedded PGlite, where all sockets share ONE
// superuser session and there is no network round trip to save.
//
// A READ ONLY opening (DoorOptions.readOnly in server/db/doors.ts) begins `BEGIN READ ONLY`:
// PostgreSQL then refuses every write of the transaction, a function's too, so its COMMIT cannot
// lose anything and, when the opening was deferred (a real server), it is sent without waiting for
// its answer. pg's queue keeps it ahead of whatever the connection sends next, for this request or
// the next one the pool hands the connection to.
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
  /** Hold BEGIN and sql until the transaction's first statement (see the header). */
  readonly defer: boolean;
  /** BEGIN READ ONLY: the server refuses every write of the transaction (see withOpening). */
  readonly readOnly: boolean;
  sent: boolean;
  rows: pg.QueryResultRow[] | null;
  /** The connection whose BEGIN opened this context's transaction. */
  connection: pg.Client | null;
}

/** On a pg.Client: the Opening whose transaction it carries right now (see the header). */
const CARRIES = Symbol.for("credo.db.carries");
/** On a pg.Client: the `BEGIN; <opening>` it holds for its transaction's first statement. */
const HOLDS = Symbol.for("credo.db.holds");
type Marked = pg.Client & { [CARRIES]?: Opening; [HOLDS]?: string };

// On globalThis, like the Prisma client it serves (server/db/client.ts): a pool made by an earlier
// copy of this module (Next's dev reloads) must see the openings of the current one.
const globalForOpening = globalThis as unknown as { credoOpenings?: AsyncLocalStorage<Opening> };
const pending = (globalForOpening.credoOpenings ??= new AsyncLocalStorage<Opening>());

/** A value sent as a quoted literal (the SQL casts it): a Date as its ISO text, null as NULL. */
export type LiteralValue = string | number | bigint | boolean | Date | null;

/**
 * A value literalSql can send. Not a string holding NUL: the simple protocol ends the query text at
 * the first NUL (the statement would fail as a cut-off literal); bound, it gets PostgreSQL's own
 * "invalid byte sequence" error.
 */
function isLiteralValue(v: unknown): v is LiteralValue {
  const t = typeof v;
  if (t === "string") return !(v as string).includes("\0");
  return v === null || t === "number" || t === "bigint" || t === "boolean" || v instanceof Date;
}

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
  /** The opening statement went (or, deferred, is held to go) ahead of every other statement. */
  sent(): boolean;
  /** The opening statement's rows, or null when the BEGIN went out without it (the caller runs it then). */
  rows(): pg.QueryResultRow[] | null;
  /** The connection carrying the transaction while it is open; null before its BEGIN and once it ended. */
  connection(): pg.Client | null;
}

export interface OpeningOptions {
  /** Hold the BEGIN and the opening until the first statement (see the header). */
  defer?: boolean;
  /**
   * BEGIN READ ONLY. PostgreSQL then refuses any write of the transaction (a function's too), so
   * its COMMIT can lose nothing: with `defer`, the COMMIT is sent without waiting for its answer
   * (pg's queue keeps it ahead of the connection's next statement, whoever sends that).
   */
  readOnly?: boolean;
}

/**
 * Runs `open` (which must open ONE transaction through the app pool) with `sql` as that
 * transaction's first statement, sent with its BEGIN (null: no statement, only the connection is
 * noted).
 */
export async function withOpening<T>(sql: string | null, open: (opened: Opened) => Promise<T>, options: OpeningOptions = {}): Promise<T> {
  const opening: Opening = { sql, defer: Boolean(options.defer && sql), readOnly: Boolean(options.readOnly && sql), sent: false, rows: null, connection: null };
  const opened: Opened = {
    sent: () => opening.sent,
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
    delete (client as unknown as Marked)[HOLDS];
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
      const held = (this as Marked)[HOLDS];
      if (held !== undefined) return sendHeld(this as Marked, query, held, plain ? text : undefined, args);
      if (text === "COMMIT" || text === "ROLLBACK") {
        const carried = (this as Marked)[CARRIES];
        delete (this as Marked)[CARRIES];
        if (plain && text === "COMMIT" && carried?.readOnly && carried.defer) {
          (query.call(this, "COMMIT") as Promise<unknown>).catch(() => undefined);
          return Promise.resolve(nothingSent("COMMIT"));
        }
      }
      if (opening && !opening.connection && text === "BEGIN") {
        opening.connection = this;
        (this as Marked)[CARRIES] = opening;
      }
      if (!opening || opening.sent || !opening.sql || text !== "BEGIN" || !plain) return query.apply(this, args);
      opening.sent = true;
      const begin = opening.readOnly ? "BEGIN READ ONLY" : "BEGIN";
      if (opening.defer) {
        (this as Marked)[HOLDS] = `${begin}; ${opening.sql}`;
        return Promise.resolve(nothingSent("BEGIN"));
      }
      return (query.call(this, `${begin}; ${opening.sql}`) as Promise<pg.QueryResult[]>).then((results) => {
        opening.rows = results[1]!.rows;
        return results[0]!;
      });
    };
  });
}

/** What the adapter gets for a statement that needed no round trip (it reads only rowCount). */
function nothingSent(command: string): pg.QueryResult {
  return { command, rowCount: null, oid: 0, fields: [], rows: [] };
}

/**
 * Any statement but queryRows' own on a connection holding its BEGIN: a COMMIT or ROLLBACK ends a
 * transaction the server never saw (no round trip); anything else is sent only once `BEGIN;
 * <opening>` has succeeded. A statement pg returns no promise for (a submittable, a callback) is
 * queued right behind it instead: pg sends its queue in order, and after a failed opening the
 * transaction is aborted, so it fails too.
 */
function sendHeld(client: Marked, query: Query, held: string, plainText: unknown, args: unknown[]): unknown {
  delete client[HOLDS];
  if (plainText === "COMMIT" || plainText === "ROLLBACK") {
    delete client[CARRIES];
    return Promise.resolve(nothingSent(plainText));
  }
  const begun = query.call(client, held) as Promise<unknown>;
  const first = args[0] as { submit?: unknown } | undefined;
  if (typeof first?.submit === "function" || args.some((a) => typeof a === "function")) {
    begun.catch(() => undefined);
    return query.apply(client, args);
  }
  return begun.then(() => query.apply(client, args));
}

/**
 * For queryRows (server/db/rows.ts): when `client` holds its transaction's BEGIN, sends it, the
 * opening and `sql` with its values as literals as ONE simple-protocol query and returns the
 * statement's result; null when nothing is held or a value has no literal form (then the caller
 * sends the statement as usual, and the hook sends the held BEGIN ahead of it).
 */
export function sendWithHeldBegin<R extends pg.QueryResultRow>(client: pg.Client, sql: string, values: readonly unknown[], types: pg.CustomTypesConfig): Promise<pg.QueryResult<R>> | null {
  const marked = client as Marked;
  const held = marked[HOLDS];
  if (held === undefined || !values.every(isLiteralValue)) return null;
  const statement = literalSql(sql, values);
  delete marked[HOLDS];
  const query = pg.Client.prototype.query as unknown as Query;
  return (query.call(client, { text: `${held}; ${statement}`, types }) as Promise<pg.QueryResult<R>[]>).then((results) => results[results.length - 1]!);
}

/**
 * ONE read-only transaction on a connection of `pool`, without Prisma (server/db/doors.ts
 * readInTenant). The connection holds `BEGIN READ ONLY; <opening>` exactly as a deferred door's
 * does — the same rule: nothing is sent before it, and a first queryRows read goes in the same round
 * trip — so a one-page read costs one round trip. `fn` gets the connection only to make its
 * queryRows handle (server/db/rows.ts readTransactionOn). When fn resolves the COMMIT is sent
 * without waiting (a READ ONLY transaction's COMMIT can lose nothing; pg's queue keeps it ahead of
 * the connection's next user), or not at all when nothing was sent; when it throws, the
 * transaction is rolled back before the connection goes back to the pool (dropped if that fails).
 */
export async function readOnlyTransaction<T>(pool: pg.Pool, opening: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = (await pool.connect()) as pg.PoolClient & Marked;
  client[HOLDS] = `BEGIN READ ONLY; ${opening}`;
  let result: T;
  try {
    result = await fn(client);
  } catch (e) {
    if (client[HOLDS] !== undefined) client.release();
    else
      await client.query("ROLLBACK").then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
    throw e;
  }
  if (client[HOLDS] === undefined) (client.query("COMMIT") as Promise<unknown>).catch(() => undefined);
  client.release();
  return result;
}
