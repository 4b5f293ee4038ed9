// The Prisma client. Private to server/db: everything else gets a database handle from a door
// (server/db/doors.ts), which opens a transaction, switches to the runtime role and sets the scope.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { env } from "../env";
import { surviveLostConnections } from "./lost-connections";
import { carryOpenings } from "./opening";
import { installPlanCache } from "./plan-cache";

function create(): PrismaClient {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start the console with `npm run dev` (embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  // Embedded PGlite serves one backend session to all sockets; a small pool avoids queueing behind
  // its connection limit (see server/db/embedded.ts).
  const max = appPoolMax();
  const options = globalForPrisma.credoSessionOptions;
  // Our own pg.Pool (ended with the client) so its in-use/waiting counts can be read (appPoolStats).
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max, ...(options ? { options } : {}) });
  globalForPrisma.credoPool = pool;
  surviveLostConnections(pool, "app");
  carryOpenings(pool);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // The adapter recognises a pool by `instanceof` its own pg: a second copy of pg would make it
  // silently open another pool from our pool's fields. Fail loudly instead.
  if ((adapter as unknown as { externalPool?: unknown }).externalPool !== pool) throw new Error("@prisma/adapter-pg did not accept the pg pool (two copies of pg?)");
  installPlanCache();
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { credoPrisma?: PrismaClient; credoPool?: pg.Pool; credoPoolCap?: number; credoSessionOptions?: string };

/** The app pool's size (what a tenant's share is taken of: server/tenancy/concurrency.ts). */
export function appPoolMax(): number {
  let max = env.CREDO_EMBEDDED === "1" ? Math.min(env.DATABASE_POOL_MAX, 4) : env.DATABASE_POOL_MAX;
  if (globalForPrisma.credoPoolCap) max = Math.min(max, globalForPrisma.credoPoolCap);
  return max;
}

/** Connections of the app pool right now (metrics); null before the first query opened it. */
export function appPoolStats(): { total: number; idle: number; waiting: number; max: number } | null {
  const p = globalForPrisma.credoPool;
  if (!p) return null;
  return { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, max: p.options.max ?? appPoolMax() };
}

/** Server-side bounds on every session of a pool (milliseconds); see sessionOptions. */
export interface SessionTimeouts {
  /** A transaction left idle (its client frozen or gone) is ended and its locks released. */
  idleInTransactionMs: number;
  /** A statement waiting longer than this for a lock fails instead of queueing behind a frozen holder. */
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/** libpq `options` setting the timeouts for every session of a pool (pg passes it at connect). */
export function sessionOptions(t: SessionTimeouts): string {
  return [
    `-c idle_in_transaction_session_timeout=${Math.trunc(t.idleInTransactionMs)}`,
    `-c lock_timeout=${Math.trunc(t.lockTimeoutMs)}`,
    `-c statement_timeout=${Math.trunc(t.statementTimeoutMs)}`,
    `-c application_name=${t.applicationName.replace(/[^A-Za-z0-9_.-]/g, "")}`,
  ].join(" ");
}

/**
 * Bounds this process's pool on the database side (before its first query). `npm run worker` does:
 * a worker that freezes mid-transaction then cannot hold its row locks for longer than the idle
 * timeout, and never waits longer than the lock timeout behind another frozen one. Not for the
 * embedded database (one shared backend session) nor for the console's own pool.
 */
export function boundPrismaSessions(t: SessionTimeouts): void {
  if (env.CREDO_EMBEDDED === "1") return;
  globalForPrisma.credoSessionOptions = sessionOptions(t);
}

/**
 * Caps this process's pool (before its first query). The embedded launcher runs the job worker next
 * to `next` (which has its own pool): both must fit under PGlite's connection limit together.
 */
export function limitPrismaPool(max: number): void {
  globalForPrisma.credoPoolCap = max;
}

/** One client per process (kept on globalThis so Next's dev reloads don't open new pools). */
export function prismaClient(): PrismaClient {
  globalForPrisma.credoPrisma ??= create();
  return globalForPrisma.credoPrisma;
}

/** The pool under the Prisma client (opened with it): for the read door's Prisma-free transactions. */
export function appPool(): pg.Pool {
  prismaClient();
  return globalForPrisma.credoPool!;
}

export async function disconnectPrisma(): Promise<void> {
  await globalForPrisma.credoPrisma?.$disconnect();
  globalForPrisma.credoPrisma = undefined;
  globalForPrisma.credoPool = undefined;
}
