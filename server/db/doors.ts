// The one door to the database. Every query the console runs goes through one of three functions,
// each of which opens ONE transaction, switches to the runtime role `credo_app` (not superuser, no
// BYPASSRLS, owns nothing) and sets the transaction-local scope that the RLS policies read:
//
//   inTenant(tenantId, fn)  app.tenant_id = tenantId  → tenant-owned rows of that tenant only
//   asUser(userId, fn)      app.user_id   = userId    → the user's own memberships, across tenants
//   onPlatform(fn)          no scope                  → platform tables only (tenants, users);
//                                                       every tenant-owned table reads as empty
//
// set_config(..., true) is transaction-local, so nothing survives into the next use of the pooled
// connection (tested in server/db/rls.test.ts, "pool hygiene").
//
// Who connects (README "Database roles"): on a real server the app logs in as credo_runtime, a
// NOINHERIT member of credo_app that is neither superuser nor owner (`npm start` refuses otherwise,
// server/db/role-check.ts): the switch below is what gives it any privilege, and `RESET ROLE` only
// takes privileges away. Embedded PGlite always connects as superuser `postgres` in one shared
// session, so there the per-transaction switch is the only thing standing between a query and
// superuser — it stays for both stores. Platform tables are written only through narrow SECURITY
// DEFINER functions (migration 20261205200000_least_privilege).
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma } from "./generated/client";
import { appPool, prismaClient } from "./client";
import { literalSql, readOnlyTransaction, withOpening, type Opened } from "./opening";
import { noteConnection, readTransactionOn, type ReadDb } from "./rows";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import { withTenantSlot } from "../tenancy/concurrency";
import { noteLogTenant } from "../observability/logger";
import { isUuid } from "../isomorphic/uuid";
import { env } from "../env";

/** A database handle inside a scoped transaction. */
export type Db = Prisma.TransactionClient;

/** What tenant repositories take: the handle and the tenant it is scoped to, inseparable. */
export interface TenantScope {
  readonly tenantId: TenantId;
  readonly db: Db;
}

/**
 * What read-only repositories take: a tenant and a transaction that queryRows (server/db/rows.ts)
 * reads in. A TenantScope is one; so is what readInTenant hands on, which has no Prisma client.
 */
export interface TenantReadScope {
  readonly tenantId: TenantId;
  readonly db: ReadDb;
}

export const RUNTIME_ROLE = "credo_app";

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

/** How a door's own transaction is opened. */
export interface DoorOptions {
  /**
   * BEGIN READ ONLY: PostgreSQL refuses every write of the transaction, and its COMMIT is not
   * waited for (server/db/opening.ts). For work that only reads. A door that joins a request
   * transaction (joinRequestTransaction) runs in that transaction as it is.
   */
  readOnly?: boolean;
}

async function scoped<T>(settings: { tenantId?: string; userId?: string }, fn: (db: Db) => Promise<T>, options: DoorOptions = {}): Promise<T> {
  const joined = joinableRequestTransaction();
  if (joined) return inRequestTransaction(joined, settings, fn);
  // The role switch and the scope ride with the transaction's BEGIN (server/db/opening.ts), and on
  // a real server the BEGIN waits for the transaction's first statement: a read of queryRows then
  // goes in the same round trip, and a transaction that sends nothing costs none.
  const values = [RUNTIME_ROLE, settings.tenantId ?? "", settings.userId ?? ""];
  return withOpening(
    literalSql(SCOPE_SQL, values),
    (opened) =>
      prismaClient().$transaction(async (db) => {
        noteConnection(db, opened.connection);
        // The same statements with bind parameters, should the BEGIN have gone out without them.
        if (!opened.sent()) {
          if (options.readOnly) await db.$executeRawUnsafe("SET TRANSACTION READ ONLY");
          await db.$queryRawUnsafe(SCOPE_SQL, ...values);
        }
        return fn(db);
      }, TX_OPTIONS),
    { defer: env.CREDO_EMBEDDED !== "1", readOnly: options.readOnly },
  );
}

const SCOPE_SQL = "SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)";

/**
 * Runs fn in one transaction scoped to a tenant (application filter + RLS), holding one of the
 * tenant's slots of the pool (server/tenancy/concurrency.ts: TenantBusyError past its share).
 */
export function inTenant<T>(tenantId: TenantId, fn: (scope: TenantScope) => Promise<T>, options: DoorOptions = {}): Promise<T> {
  if (!tenantId) throw new Error("inTenant requires a tenant id");
  noteLogTenant(tenantId);
  return withTenantSlot(tenantId, () => scoped({ tenantId }, (db) => fn({ tenantId, db }), options));
}

/**
 * The read door: fn's reads (queryRows only: the scope has no Prisma client) in ONE read-only
 * transaction scoped to the tenant — same role, same RLS, same pool share as inTenant — without
 * Prisma's interactive transaction, whose own cost was most of what a one-page read paid over its
 * raw SQL (issue 16). On a real server its BEGIN READ ONLY, role and scope go with the first read in
 * one round trip and the COMMIT is not waited for (server/db/opening.ts readOnlyTransaction).
 * Inside an operator's request it joins the request's transaction like every door; on embedded
 * PGlite it is inTenant(…, { readOnly: true }).
 */
export function readInTenant<T>(tenantId: TenantId, fn: (scope: TenantReadScope) => Promise<T>): Promise<T> {
  if (!tenantId) throw new Error("readInTenant requires a tenant id");
  if (env.CREDO_EMBEDDED === "1" || joinableRequestTransaction()) return inTenant(tenantId, fn, { readOnly: true });
  noteLogTenant(tenantId);
  const opening = literalSql(SCOPE_SQL, [RUNTIME_ROLE, tenantId, ""]);
  return withTenantSlot(tenantId, () =>
    readOnlyTransaction(appPool(), opening, async (client) => {
      const tx = readTransactionOn(client);
      try {
        return await fn({ tenantId, db: tx.db });
      } finally {
        tx.end();
      }
    }),
  );
}

/** Runs fn scoped to one signed-in user: sees only that user's memberships (no tenant data). */
export function asUser<T>(userId: string, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!userId) throw new Error("asUser requires a user id");
  return scoped({ userId }, fn);
}

/**
 * Platform-wide path: tenants and users tables (security-admin tenant list, provisioning, sign-in).
 * Tenant-owned tables are invisible here; to write into a new tenant, provisioning calls
 * `enterTenant` inside the same transaction. Platform rows are read-only here except through the
 * credo_* functions (create a tenant or operator, change an operator's status/password/role); a
 * tenant's own lifecycle columns are updated after `enterTenant`.
 */
export function onPlatform<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return scoped({}, fn);
}

/**
 * Inside an onPlatform transaction: switch its scope to one tenant. Callers: provisioning, and the
 * public-endpoint resolver in server/tenancy/context.ts (one transaction per public request).
 */
export async function enterTenant(db: Db, tenantId: TenantId): Promise<TenantScope> {
  noteLogTenant(tenantId);
  await db.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
  return { tenantId, db };
}

/**
 * Inside a tenant transaction: run `fn` in ONE user's scope (their own memberships and sessions,
 * no tenant data), then return to the tenant. Used when removing a membership must find out, in
 * the same transaction, whether it was the user's last one (server/auth/membership-sessions.ts).
 */
export async function withinUserScope<T>(scope: TenantScope, userId: string, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!userId) throw new Error("withinUserScope requires a user id");
  await scope.db.$queryRaw`SELECT set_config('app.tenant_id', '', true), set_config('app.user_id', ${userId}, true)`;
  try {
    return await fn(scope.db);
  } finally {
    await scope.db.$queryRaw`SELECT set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', '', true)`;
  }
}

/** What credo_request_context (migration 20261206101000_request_context) returns; null: no such user. */
export interface RequestContextRow {
  u_id: string;
  u_email: string;
  u_name: string;
  u_platform_role: string | null;
  u_status: string;
  s_id: string | null;
  s_created_at: Date | null;
  s_last_seen_at: Date | null;
  s_expires_at: Date | null;
  s_revoked_at: Date | null;
  s_second_factor_verified_at: Date | null;
  s_last_verified_at: Date | null;
  g_version: number | null;
  g_document: unknown;
  /** Only when the session has not verified a second factor (the gate needs them then). */
  n_factors: number | null;
  n_memberships: number | null;
  t_id: string | null;
  t_slug: string | null;
  t_name: string | null;
  t_status: string | null;
  t_paused_at: Date | null;
  t_paused_reason: string | null;
  m_role: string | null;
  m_expires_at: Date | null;
  /** The function left the transaction in t_id's tenant scope (the operator may open it). */
  scoped: boolean;
  /** When scoped: the newest global policy version (g_version) and tenant-wide version in full. */
  lg_document: unknown;
  lg_author_label: string | null;
  lg_comment: string | null;
  lg_created_at: Date | null;
  lt_id: string | null;
  lt_version: number | null;
  lt_document: unknown;
  lt_author_label: string | null;
  lt_comment: string | null;
  lt_created_at: Date | null;
}

/**
 * A signed-in operator's request in ONE transaction. Its first statement (credo_request_context)
 * switches to the runtime role, enters the user's scope and reads operator, session, global policy
 * version, what the second-factor gate needs and — with a slug — tenant and membership; when the
 * operator may open that tenant it leaves the transaction in the tenant's scope, which `fn` then
 * gets as `scope` (null otherwise: the transaction is in the user's scope, as asUser's).
 * server/tenancy/context.ts is the one caller; it re-checks every condition before using `scope`.
 */
export function inOperatorRequest<T>(
  req: { userId: string; sessionId: string; slug: string | null; knownPolicyVersion: number },
  fn: (row: RequestContextRow | null, db: Db, scope: TenantScope | null) => Promise<T>,
): Promise<T> {
  if (!req.userId || !req.sessionId) throw new Error("inOperatorRequest requires a user and a session id");
  // The context call rides with the transaction's BEGIN (server/db/opening.ts): one round trip and
  // no pass through the query compiler. Its values go in as literals: ids that are not UUIDs (the
  // cast would fail the BEGIN itself) take the usual path and fail there as before.
  const literal = isUuid(req.userId) && isUuid(req.sessionId) && Number.isInteger(req.knownPolicyVersion);
  const values = [req.userId, req.sessionId, req.slug, req.knownPolicyVersion];
  const sql = literal ? literalSql(REQUEST_CONTEXT_SQL, values) : null;
  const transaction = (opened: Opened) =>
    prismaClient().$transaction(async (db) => {
      noteConnection(db, opened.connection);
      const rows = (opened.rows() as RequestContextRow[] | null) ?? (await db.$queryRawUnsafe<RequestContextRow[]>(REQUEST_CONTEXT_SQL, ...values));
      const row = rows[0] ?? null;
      const scope = row?.scoped && row.t_id ? { tenantId: tenantIdFromDatabase(row.t_id), db } : null;
      // The request entered this tenant (logs, metrics and per-tenant usage attribute it).
      if (scope) {
        noteLogTenant(scope.tenantId);
        if (req.slug) tenantIdBySlug.set(req.slug, scope.tenantId);
      }
      return fn(row, db, scope);
    }, TX_OPTIONS);
  const run = () => withOpening(sql, transaction);
  if (!req.slug) return run();
  // The tenant's share of the pool (server/tenancy/concurrency.ts) is taken BEFORE the connection:
  // the tenant id is only resolved inside the transaction, so the slot is keyed by the id this
  // instance last resolved the slug to (the same key inTenant uses), or by the slug the first time.
  return withTenantSlot(tenantIdBySlug.get(req.slug) ?? `slug:${req.slug}`, run);
}

const REQUEST_CONTEXT_SQL = "SELECT * FROM credo_request_context($1::uuid, $2::uuid, $3::text, $4::int)";

/** slug → tenant id as last resolved on this instance: only the key of a pool-share slot. */
const tenantIdBySlug = new Map<string, TenantId>();

/**
 * Inside an inOperatorRequest transaction: back to the user's own scope (no tenant), e.g. to
 * update their session row. Use withinUserScope when a tenant scope must be restored afterwards.
 */
export async function leaveTenantFor(db: Db, userId: string): Promise<void> {
  if (!userId) throw new Error("leaveTenantFor requires a user id");
  await db.$queryRaw`SELECT set_config('app.tenant_id', '', true), set_config('app.user_id', ${userId}, true)`;
}

/**
 * A signed-in operator's request transaction (server/api/trpc.ts, user and platform procedures):
 * while `fn` runs, the doors above (asUser, onPlatform, inTenant) do not open transactions of their
 * own but JOIN this one — they set their scope in it and run there — so the operator check and the
 * procedure are one transaction, committed or rolled back together. The transaction starts in
 * `userId`'s own scope (what credo_request_context leaves), so a first asUser for that user needs no
 * statement at all.
 *
 * One door at a time: sibling doors (e.g. in Promise.all) queue, because they share one connection
 * and one scope. A door opened INSIDE a joined door gets a transaction of its own, as before, since
 * switching the scope under the outer door's feet would let its next query run in the wrong scope.
 */
export function joinRequestTransaction<T>(db: Db, userId: string, fn: () => Promise<T>): Promise<T> {
  const request: RequestTransaction = { db, scope: { tenantId: "", userId }, queue: Promise.resolve(), open: true };
  return requestTransactions.run({ request, insideDoor: false }, async () => {
    try {
      return await fn();
    } finally {
      // Timers and callbacks created during the request keep its async context (e.g. a flush
      // interval armed by its first use): once the request is over they open their own transactions.
      request.open = false;
    }
  });
}

interface RequestTransaction {
  readonly db: Db;
  /** The scope the transaction is known to be in; null once a door's own work may have changed it. */
  scope: { tenantId: string; userId: string } | null;
  /** Doors of this request run one after another. */
  queue: Promise<unknown>;
  /** False once the request's work is done (its transaction commits or rolls back next). */
  open: boolean;
}

const requestTransactions = new AsyncLocalStorage<{ request: RequestTransaction; insideDoor: boolean }>();

function joinableRequestTransaction(): RequestTransaction | null {
  const current = requestTransactions.getStore();
  return current && current.request.open && !current.insideDoor ? current.request : null;
}

function inRequestTransaction<T>(request: RequestTransaction, settings: { tenantId?: string; userId?: string }, fn: (db: Db) => Promise<T>): Promise<T> {
  const wanted = { tenantId: settings.tenantId ?? "", userId: settings.userId ?? "" };
  const run = async () => {
    const known = request.scope;
    if (!known || known.tenantId !== wanted.tenantId || known.userId !== wanted.userId) {
      await request.db.$queryRaw`SELECT set_config('role', ${RUNTIME_ROLE}, true),
                                        set_config('app.tenant_id', ${wanted.tenantId}, true),
                                        set_config('app.user_id', ${wanted.userId}, true)`;
    }
    // fn may step into another scope (enterTenant, withinUserScope): known again only after a switch.
    request.scope = null;
    return requestTransactions.run({ request, insideDoor: true }, () => fn(request.db));
  };
  const result = request.queue.then(run, run);
  request.queue = result.catch(() => undefined);
  return result;
}
