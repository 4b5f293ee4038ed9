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
// connection (tested in server/db/isolation.test.ts).
import type { Prisma } from "./generated/client";
import { prismaClient } from "./client";
import type { TenantId } from "../tenancy/tenant-id";

/** A database handle inside a scoped transaction. */
export type Db = Prisma.TransactionClient;

/** What tenant repositories take: the handle and the tenant it is scoped to, inseparable. */
export interface TenantScope {
  readonly tenantId: TenantId;
  readonly db: Db;
}

export const RUNTIME_ROLE = "credo_app";

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

async function scoped<T>(settings: { tenantId?: string; userId?: string }, fn: (db: Db) => Promise<T>): Promise<T> {
  return prismaClient().$transaction(async (db) => {
    await db.$queryRaw`SELECT set_config('role', ${RUNTIME_ROLE}, true),
                              set_config('app.tenant_id', ${settings.tenantId ?? ""}, true),
                              set_config('app.user_id', ${settings.userId ?? ""}, true)`;
    return fn(db);
  }, TX_OPTIONS);
}

/** Runs fn in one transaction scoped to a tenant (application filter + RLS). */
export function inTenant<T>(tenantId: TenantId, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  if (!tenantId) throw new Error("inTenant requires a tenant id");
  return scoped({ tenantId }, (db) => fn({ tenantId, db }));
}

/** Runs fn scoped to one signed-in user: sees only that user's memberships (no tenant data). */
export function asUser<T>(userId: string, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!userId) throw new Error("asUser requires a user id");
  return scoped({ userId }, fn);
}

/**
 * Platform-wide path: tenants and users tables (security-admin tenant list, provisioning, sign-in).
 * Tenant-owned tables are invisible here; to write into a new tenant, provisioning calls
 * `enterTenant` inside the same transaction.
 */
export function onPlatform<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  return scoped({}, fn);
}

/**
 * Inside an onPlatform transaction: switch its scope to one tenant. Callers: provisioning, and the
 * public-endpoint resolver in server/tenancy/context.ts (one transaction per public request).
 */
export async function enterTenant(db: Db, tenantId: TenantId): Promise<TenantScope> {
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
