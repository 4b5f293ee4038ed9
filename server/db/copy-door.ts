// The streaming door: `COPY (SELECT …) TO STDOUT` inside ONE tenant transaction, for bulk reads
// (audit exports) that would otherwise page through the Prisma door a few thousand rows at a time.
// It keeps the rules of server/db/doors.ts: the transaction switches to the runtime role credo_app
// and sets app.tenant_id, so RLS applies exactly as in inTenant; nothing survives the transaction
// (set_config(…, true) is transaction-local).
//
// COPY takes no bind parameters, so values reach the query as transaction-local settings
// (`params` → set_config('credo.copy.<name>', value, true), read back with current_setting in the
// SQL): no value is ever spliced into SQL text.
//
// The transaction is REPEATABLE READ, READ ONLY: the statements of one run see one snapshot.
//
// Not available on embedded PGlite (one shared backend session; COPY TO STDOUT through its socket
// is not supported): callers check copyDoorAvailable() and keep their paged path for it.
import pg from "pg";
import type { Readable } from "node:stream";
import { env } from "../env";
import { surviveLostConnections } from "./lost-connections";
import { copyRows, type CopyRowsOptions } from "./copy-rows";
import { RUNTIME_ROLE } from "./doors";
import type { TenantId } from "../tenancy/tenant-id";

export interface CopyTx {
  /** A plain query in the same transaction (rows as pg returns them), values as bind parameters. */
  query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /**
   * `COPY (…) TO STDOUT …` in the same transaction, its rows as they come (server/db/copy-rows.ts:
   * each row ended by LF, or CRLF with `crlf`; `onChunk` told where rows end); resolves when the
   * stream has been consumed by `consume`.
   */
  copyOut(sql: string, rows: CopyRowsOptions, consume: (stream: Readable) => Promise<void>): Promise<void>;
}

const globalForCopy = globalThis as unknown as { credoCopyPool?: pg.Pool };

function pool(): pg.Pool {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set.");
  // Small: a copy holds its connection for the whole export, and exports run one or two at a time.
  if (!globalForCopy.credoCopyPool) {
    const p = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, allowExitOnIdle: true });
    surviveLostConnections(p, "copy door");
    globalForCopy.credoCopyPool = p;
  }
  return globalForCopy.credoCopyPool;
}

/** COPY streaming is used on a real PostgreSQL server only. */
export function copyDoorAvailable(): boolean {
  return env.CREDO_EMBEDDED !== "1" && Boolean(env.DATABASE_URL);
}

/** Closes the door's pool (tests, shutdown). */
export async function closeCopyDoor(): Promise<void> {
  const p = globalForCopy.credoCopyPool;
  globalForCopy.credoCopyPool = undefined;
  await p?.end();
}

const PARAM_NAME = /^[a-z_]{1,40}$/;

/**
 * Runs fn in one REPEATABLE READ, READ ONLY tenant transaction as credo_app under RLS. `params`
 * become `current_setting('credo.copy.<name>')` for the SQL fn sends.
 */
export async function inTenantCopy<T>(tenantId: TenantId, params: Record<string, string>, fn: (tx: CopyTx) => Promise<T>): Promise<T> {
  if (!tenantId) throw new Error("inTenantCopy requires a tenant id");
  const client = await pool().connect();
  let broken = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const names = Object.keys(params);
    for (const n of names) if (!PARAM_NAME.test(n)) throw new Error(`copy parameter name ${n} is not allowed`);
    const settings = names.map((n, i) => `, set_config('credo.copy.${n}', $${i + 3}, true)`).join("");
    // No parallel workers: COPY writes the rows one by one in order, so workers would only ship every
    // (wide) row through shared-memory queues to a Gather Merge, and take cores from other requests.
    // No sort: the rows come in index order. The planner sees `tenant_id = (SELECT current_setting…)`
    // as an average tenant, so for a big one it chose a bitmap scan and sorted every formatted row
    // (for 1M events a 450 MB external sort on disk, half the export's database time); with sorting
    // priced out it walks the (tenant_id, id) index and streams from the first row.
    // DateStyle ISO: the SQL formats timestamps from their text (server/audit/export/copy.ts).
    await client.query(
      `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('max_parallel_workers_per_gather', '0', true), ` +
        `set_config('enable_sort', 'off', true), set_config('DateStyle', 'ISO, MDY', true)${settings}`,
      [RUNTIME_ROLE, tenantId, ...names.map((n) => params[n]!)],
    );
    const tx: CopyTx = {
      query: async <R extends pg.QueryResultRow>(sql: string, values?: unknown[]) => (await client.query<R>(sql, values)).rows,
      copyOut: async (sql, rows, consume) => {
        const stream = client.query(copyRows(sql, rows));
        await consume(stream);
      },
    };
    const result = await fn(tx);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    // A COPY abandoned mid-stream leaves the connection in an unknown protocol state: drop it.
    broken = true;
    throw e;
  } finally {
    client.release(broken ? true : undefined);
  }
}
