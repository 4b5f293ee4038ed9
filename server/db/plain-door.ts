// A short tenant transaction on a plain pg connection, for hot loops whose statements do all the
// work in the database (the purge's table batches, server/deletion/purge.ts): the Prisma door's
// interactive transaction costs more per batch than the batch's own statement. The rules of
// server/db/doors.ts hold: ONE transaction that switches to the runtime role credo_app and sets
// app.tenant_id (transaction-local, so RLS applies exactly as in inTenant and nothing survives the
// transaction); the transaction, the role and the scope go in the first round trip.
//
// Real PostgreSQL only (copyDoorAvailable's rule): embedded PGlite shares one backend session among
// its few socket connections, and the Prisma door is the one that budgets them. Callers keep the
// Prisma door there.
import pg from "pg";
import { env } from "../env";
import { surviveLostConnections } from "./lost-connections";
import { RUNTIME_ROLE } from "./doors";
import type { TenantId } from "../tenancy/tenant-id";
import { isUuid } from "../isomorphic/uuid";
import { literalSql, type LiteralValue } from "./opening";

/** What runs inside: parameterized statements of the one transaction. */
export interface PlainTx {
  query<R extends pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

const globalForPlain = globalThis as unknown as { credoPlainPool?: pg.Pool };

function pool(): pg.Pool {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set.");
  // Small: a purge runs its batches one after another (one worker job per tenant at a time).
  if (!globalForPlain.credoPlainPool) {
    const p = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, allowExitOnIdle: true });
    surviveLostConnections(p, "plain door");
    globalForPlain.credoPlainPool = p;
  }
  return globalForPlain.credoPlainPool;
}

export function plainDoorAvailable(): boolean {
  return env.CREDO_EMBEDDED !== "1" && Boolean(env.DATABASE_URL);
}

/** Closes the door's pool (tests, shutdown). */
export async function closePlainDoor(): Promise<void> {
  const p = globalForPlain.credoPlainPool;
  globalForPlain.credoPlainPool = undefined;
  await p?.end();
}

/** Runs fn in one tenant transaction as credo_app under RLS; commits when fn resolves. */
export async function inTenantPlain<T>(tenantId: TenantId, fn: (tx: PlainTx) => Promise<T>): Promise<T> {
  // The first round trip is a simple-protocol query (several statements, no bind parameters): the
  // tenant id goes in as a literal, so it must be exactly a UUID (and is quoted by pg as well).
  if (!isUuid(tenantId)) throw new Error("inTenantPlain requires a tenant id (UUID)");
  const client = await pool().connect();
  // Reused only after a clean COMMIT or ROLLBACK: a connection that failed mid-transaction
  // (terminated, protocol error) is dropped.
  let reusable = false;
  try {
    await client.query(`BEGIN; ${tenantScopeSql(tenantId)}`);
    let result: T;
    try {
      result = await fn({ query: async (sql, params) => (await client.query(sql, params as unknown[] | undefined)).rows });
    } catch (e) {
      await client.query("ROLLBACK").then(
        () => (reusable = true),
        () => undefined,
      );
      throw e;
    }
    await client.query("COMMIT");
    reusable = true;
    return result;
  } finally {
    client.release(reusable ? undefined : true);
  }
}

/** The role switch and tenant scope, values as literals (the first statement of both doors here). */
function tenantScopeSql(tenantId: TenantId): string {
  return literalSql("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)", [RUNTIME_ROLE, tenantId]);
}

/**
 * ONE statement in one tenant transaction, in ONE round trip: `BEGIN; role and scope; statement;
 * COMMIT` as a single simple-protocol query (a raw autocommit statement's cost, issue 16). The
 * rules are inTenantPlain's — same role, same RLS, one transaction — but nothing can run between
 * the statement and its COMMIT, so the statement must carry all of its own checks (it raises to
 * roll back). `$n` placeholders in `sql` (a constant of the caller) are replaced by the values as
 * literals (literalSql, server/db/opening.ts); casts stay in the SQL. Returns the statement's rows (pg's
 * text-format parsing: int4 → number, timestamptz → Date, …).
 */
export async function inTenantPlainOneTrip<R extends pg.QueryResultRow>(tenantId: TenantId, sql: string, values: readonly LiteralValue[]): Promise<R[]> {
  if (!isUuid(tenantId)) throw new Error("inTenantPlainOneTrip requires a tenant id (UUID)");
  const statement = literalSql(sql, values);
  const client = await pool().connect();
  let reusable = false;
  try {
    const results = (await client.query(`BEGIN; ${tenantScopeSql(tenantId)}; ${statement}; COMMIT`)) as unknown as pg.QueryResult<R>[];
    reusable = true;
    return results[2]!.rows;
  } catch (e) {
    // The transaction (if it began) is aborted and its remaining statements were skipped: end it.
    await client.query("ROLLBACK").then(
      () => (reusable = true),
      () => undefined,
    );
    throw e;
  } finally {
    client.release(reusable ? undefined : true);
  }
}
