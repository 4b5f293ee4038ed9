// The driver adapter the Prisma CLI (6.19.3, WASM schema engine, `engine: "js"`) uses to migrate.
// Used ONLY by prisma.config.ts — the app uses plain @prisma/adapter-pg (server/db/client.ts).
//
// It wraps @prisma/adapter-pg 6.19.3 and fixes seven defects on the migration path (verified in
// /work/shared/notes/prisma.md). The fixes lean on adapter internals: server/db/migrations.test.ts
// runs the whole flow (deploy, status, diff on PostgreSQL and PGlite) and must stay green on upgrades.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

// pg type oids.
const OID_CHAR = 18; // "char" (pg_constraint.contype, pg_class.relkind, …)
const OID_NAME = 19; // name (every catalog identifier)
const OID_TEXT = 25;
// ColumnTypeEnum.Character of @prisma/driver-adapter-utils (what the native engine yields for "char").
const COLUMN_TYPE_CHARACTER = 6;

/** Result rows array → indices of its "char" columns (the rows array reaches queryRaw's result as is). */
const charColumns = new WeakMap<unknown[], number[]>();

export interface MigratorOptions {
  /** The database is embedded PGlite served by pglite-socket (CREDO_EMBEDDED=1). */
  embedded?: boolean;
}

/**
 * A SqlMigrationAwareDriverAdapterFactory (what `adapter` in prisma.config.ts returns) for a
 * postgres:// URL. Each fix below is numbered as in the notes.
 */
export class MigratorPg {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  private readonly config: pg.ClientConfig;
  private readonly schema: string | undefined;

  constructor(
    url: string,
    private readonly options: MigratorOptions = {},
  ) {
    // Fix 3 (part): discrete connection fields instead of `connectionString`, because pg lets
    // `connectionString` override `database`, which made the "shadow" the MAIN database (P3006).
    this.config = parseIntoClientConfig(url);
    this.schema = new URL(url).searchParams.get("schema") ?? undefined;
    // Fix 6 (part): the WASM engine arms 10 s / 60 s timers it never clears; don't let them keep
    // the CLI alive after the command is done.
    unrefLongTimers();
  }

  connect(): Promise<Adapter> {
    return this.open(this.config);
  }

  async connectToShadowDb(): Promise<Adapter> {
    // Fix 5: on PGlite every connection lands in database `postgres` whatever it asks for, so a
    // CREATE DATABASE shadow would be the main database again: replay into a throw-away
    // in-memory PGlite served on a random local port instead.
    if (this.options.embedded) {
      const [{ openPGlite }, { servePGlite }] = await Promise.all([import("./pglite"), import("./embedded")]);
      const served = await servePGlite(await openPGlite(), { port: 0, maxConnections: 4 });
      return this.open(parseIntoClientConfig(served.url), () => served.stop());
    }

    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    // Fix 3: connect to the shadow with discrete fields (see constructor), database replaced.
    // Fix 4: the original dropped the database BEFORE closing the shadow pool (DROP fails while
    // its connections are open); `open` ends the shadow pool first, then this drops it.
    return this.open({ ...this.config, database }, async () => {
      try {
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      } finally {
        await main.dispose();
      }
    });
  }

  private async open(config: pg.ClientConfig, afterClose?: () => Promise<void>): Promise<Adapter> {
    const pool = new pg.Pool({
      ...config,
      // On PGlite all sockets share one session (and count against the socket server's limit).
      max: this.options.embedded ? 2 : 4,
      // Fix 6: idle pooled clients must not keep the CLI process alive (~10 s linger per command).
      allowExitOnIdle: true,
    });
    // Fix 1 and 7 are applied to each client as it joins the pool, which covers both pool.query()
    // (pg-pool checks out clients callback-style) and pool.connect() (adapter transactions, promise
    // style) — patching pool.connect itself would have to handle both calling conventions.
    pool.on("connect", (client) => patchClientQuery(client));
    const adapter = await new PrismaPg(pool, {
      disposeExternalPool: true,
      ...(this.schema ? { schema: this.schema } : {}),
    }).connect();

    // Fix 2: the original executeScript splits the migration on `;` and runs the pieces one by one:
    // `$$` bodies break and a failing migration stays half-applied. Send the whole script as ONE
    // simple-protocol query (pg uses the simple protocol when there are no parameters): PostgreSQL
    // runs a multi-statement simple query in one implicit transaction — atomic, like the native
    // engine. executeRaw keeps the adapter's error conversion (proper P-codes / messages).
    adapter.executeScript = async (script: string) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };

    // Fix 1 (part): a "char" column relabelled as text must reach the engine as a Character
    // column, as with the native driver: the describer reads e.g. pg_constraint.contype with
    // get_expect_char and panics (RuntimeError: unreachable) on a Text value.
    markCharColumns(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await startTransaction(isolationLevel);
      markCharColumns(tx);
      return tx;
    };

    if (afterClose) {
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose(); // ends the pool (disposeExternalPool) …
        await afterClose(); // … and only then drops / stops the shadow (fix 4)
      };
    }
    return adapter;
  }
}

function markCharColumns(queryable: Pick<Adapter, "queryRaw">): void {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) {
      (result.columnTypes as number[])[i] = COLUMN_TYPE_CHARACTER;
    }
    return result;
  };
}

type QueryResultLike = { fields?: { name: string; dataTypeID: number }[]; rows?: unknown[] };

/** Wraps client.query so every result goes through fixResult (promise and callback forms). */
function patchClientQuery(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    const sql = typeof first === "string" ? first : String((first as { text?: unknown } | null)?.text ?? "");
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => callback(err, err ? res : fixResult(res, sql));
      return query(...args);
    }
    const result = query(...args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      return (result as Promise<unknown>).then((res) => fixResult(res, sql));
    }
    return result; // a Submittable (cursor/stream): untouched
  };
}

function fixResult(res: unknown, sql: string): unknown {
  if (Array.isArray(res)) return res.map((r) => fixResult(r, sql)); // multi-statement script
  const result = res as QueryResultLike | undefined;
  if (!result?.fields) return res;

  // Fix 1: adapter-pg cannot deserialize catalog columns of type name (19) or "char" (18)
  // (prisma/orm#27403: UnsupportedNativeDataType). pg already returned them as plain strings,
  // so relabel the fields as text.
  const chars: number[] = [];
  result.fields.forEach((field, i) => {
    if (field.dataTypeID === OID_CHAR) chars.push(i);
    if (field.dataTypeID === OID_NAME || field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
  });

  // Fix 7: PostgreSQL 18 (PGlite 0.5) lists NOT NULL constraints in pg_constraint with contype 'n';
  // the 6.19 describer's check-constraint query (`contype NOT IN ('p','u','f')`) then panics
  // (RuntimeError: unreachable). Drop those rows; NOT NULL is read from pg_attribute anyway.
  if (sql.includes("pg_constraint") && result.rows) {
    const col = result.fields.findIndex((f) => f.name === "constraint_type");
    if (col >= 0) {
      result.rows = result.rows.filter((row) => {
        const value = Array.isArray(row) ? row[col] : (row as Record<string, unknown>).constraint_type;
        return value !== "n";
      });
      (result as { rowCount?: number | null }).rowCount = result.rows.length;
    }
  }
  if (chars.length > 0 && result.rows) charColumns.set(result.rows, chars);
  return res;
}

let timersPatched = false;

/** Fix 6 (part): unref every timer of ≥ 5 s in this (CLI) process. */
export function unrefLongTimers(): void {
  if (timersPatched) return;
  timersPatched = true;
  const LONG_MS = 5_000;
  const { setTimeout: originalTimeout, setInterval: originalInterval } = globalThis;
  const unrefIfLong = <T>(timer: T, ms: unknown): T => {
    if (typeof ms === "number" && ms >= LONG_MS) (timer as { unref?: () => void }).unref?.();
    return timer;
  };
  const patchedTimeout = (handler: unknown, ms?: number, ...rest: unknown[]) =>
    unrefIfLong((originalTimeout as (...a: unknown[]) => unknown)(handler, ms, ...rest), ms);
  const patchedInterval = (handler: unknown, ms?: number, ...rest: unknown[]) =>
    unrefIfLong((originalInterval as (...a: unknown[]) => unknown)(handler, ms, ...rest), ms);
  // Keep util.promisify.custom and friends working.
  Object.defineProperties(patchedTimeout, Object.getOwnPropertyDescriptors(originalTimeout));
  Object.defineProperties(patchedInterval, Object.getOwnPropertyDescriptors(originalInterval));
  globalThis.setTimeout = patchedTimeout as unknown as typeof setTimeout;
  globalThis.setInterval = patchedInterval as unknown as typeof setInterval;
}
