// Reads of a door's transaction, sent on the transaction's own connection (issue 16).
//
// A page read through Prisma (findMany, $queryRaw) costs about 1 ms more than the same statement on
// pg for a 50-row page: the engine's request pipeline, then every value converted twice (the
// adapter's row arrays into Prisma's wire types, those back into JS values). That was most of what
// kept the list pages over twice the raw SQL they need. `queryRows` sends the statement on the
// connection that carries the door's transaction (noted at its BEGIN, server/db/opening.ts), so it
// runs in the same transaction, role and scope as everything else of the request — row level
// security applies exactly as to Prisma's queries — and returns the rows as pg parsed them, with the
// types a $queryRaw would give: int8 as bigint, bytea as Buffer, timestamps as Date, json parsed.
//
// The connection is handed out only while it carries this transaction; once the transaction has
// ended (COMMIT, ROLLBACK, Prisma's timeout) or the connection went back to the pool, a read falls
// back to Prisma's $queryRaw on the same handle, which fails as any query of an ended transaction
// does. The read door's handle (readTransactionOn) has no Prisma to fall back to: a read after its
// door closed throws and sends nothing. Values travel as bind parameters (a door's first statement:
// literals, see queryRows); the SQL text is the caller's constant Prisma.sql template.
import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { env } from "../env";
import type { Prisma } from "./generated/client";
import { sendWithHeldBegin } from "./opening";

/** A door's transaction handle (Db in server/db/doors.ts, which imports this module). */
type Db = Prisma.TransactionClient;

const READ_ONLY = Symbol("credo.db.readTransaction");

/**
 * The read door's transaction (server/db/doors.ts readInTenant): no Prisma client at all, so the
 * only thing that can run in it is queryRows.
 */
export interface ReadTransaction {
  readonly [READ_ONLY]: true;
}

/** What queryRows reads in: a door's Prisma transaction, or the read door's. */
export type ReadDb = Db | ReadTransaction;

const connections = new WeakMap<object, () => pg.Client | null>();

/** A door's transaction handle and the connection carrying it (server/db/doors.ts only). */
export function noteConnection(db: Db, connection: () => pg.Client | null): void {
  connections.set(db, connection);
}

export interface QueryRowsOptions {
  /**
   * Prepare the statement once per connection and let PostgreSQL keep its plan (see
   * statementName). Only for statements whose best plan does not depend on the values: after five
   * runs PostgreSQL may settle on a generic plan, which for a filtered, range-bounded page can be
   * far worse than the custom one (the audit page's action prefix + time range: a bitmap scan and
   * sort of the whole action instead of walking the newest ids).
   */
  keepPlan?: boolean;
}

/**
 * A handle for a read transaction on `client` (server/db/opening.ts readOnlyTransaction): reads go
 * to `client` until `end()`, after which they fail instead of running on a connection that may
 * already carry another request's transaction.
 */
export function readTransactionOn(client: pg.Client): { db: ReadTransaction; end(): void } {
  let open = true;
  const db: ReadTransaction = { [READ_ONLY]: true };
  connections.set(db, () => (open ? client : null));
  return { db, end: () => void (open = false) };
}

function isReadTransaction(db: ReadDb): db is ReadTransaction {
  return READ_ONLY in db;
}

/**
 * Rows of one statement in `db`'s transaction, typed as $queryRaw would type them. As a door's
 * first statement it goes with the held BEGIN, its values spliced in as literals
 * (server/db/opening.ts): there they show in the query text (pg_stat_activity, a server statement
 * log) where bound values would not, so never pass a secret (a key, a token, a hash of one) here.
 */
export async function queryRows<T extends object>(db: ReadDb, sql: Prisma.Sql, options: QueryRowsOptions = {}): Promise<T[]> {
  const client = connections.get(db)?.();
  if (!client) {
    if (isReadTransaction(db)) throw new Error("queryRows: the read transaction has ended.");
    return db.$queryRaw<T[]>(sql);
  }
  const name = options.keepPlan ? statementName(sql.text) : null;
  // The transaction's first statement goes with its held BEGIN and scope (server/db/opening.ts).
  const first = name ? null : sendWithHeldBegin<T>(client, sql.text, sql.values, RAW_TYPES);
  if (first) return (await first).rows;
  const result = await client.query<T>({ ...(name ? { name } : {}), text: sql.text, values: sql.values, types: RAW_TYPES });
  return result.rows;
}

// keepPlan: each connection prepares the statement once and PostgreSQL keeps its plan (after five
// runs, a generic one when its estimate is no worse): planning a list under RLS, with its joins and
// the policies' quals, cost 0.4–0.7 ms per call — as much as running it. RLS is unaffected: the
// policies read the transaction's scope when the plan runs, and PostgreSQL replans when the role
// differs. The texts are the repositories' constants (values are parameters), so there are few;
// past the cap a text goes unnamed. Not on embedded PGlite: its sockets share ONE backend session, where two clients'
// statements of the same name would collide.
const MAX_NAMED = 1000;
const names = new Map<string, string>();

function statementName(text: string): string | null {
  if (env.CREDO_EMBEDDED === "1") return null;
  let name = names.get(text);
  if (name) return name;
  if (names.size >= MAX_NAMED) return null;
  name = `credo_rows_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
  names.set(text, name);
  return name;
}

const INT8 = 20;
const INT8_ARRAY = 1016;
const TIMESTAMP = 1114;
const TIMESTAMP_ARRAY = 1115;

const TEXT_ARRAY = 1009 as unknown as Parameters<typeof pg.types.getTypeParser>[0];
const parseTextArray = (s: string) => (pg.types.getTypeParser(TEXT_ARRAY, "text") as (v: string) => (string | null)[])(s);

/** UTC, as Prisma reads a timestamp without time zone (pg would read it in the process's zone). */
const utcTimestamp = (s: string) => new Date(`${s.replace(" ", "T")}Z`);

/**
 * pg's parsers, except where $queryRaw types differently (int8 → bigint, timestamp → UTC). numeric
 * would still differ (pg: string, Prisma: Decimal): no statement sent here returns one.
 */
const OWN_PARSERS = new Map<number, (s: string) => unknown>([
  [INT8, (s) => BigInt(s)],
  [INT8_ARRAY, (s) => parseTextArray(s).map((v) => (v === null ? v : BigInt(v)))],
  [TIMESTAMP, utcTimestamp],
  [TIMESTAMP_ARRAY, (s) => parseTextArray(s).map((v) => (v === null ? v : utcTimestamp(v)))],
]);

const RAW_TYPES = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (format === "binary") return pg.types.getTypeParser(oid, format);
    return OWN_PARSERS.get(oid) ?? pg.types.getTypeParser(oid, "text");
  },
} as pg.CustomTypesConfig;
