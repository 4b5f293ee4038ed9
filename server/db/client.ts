// The Prisma client. Private to server/db: everything else gets a database handle from a door
// (server/db/doors.ts), which opens a transaction, switches to the runtime role and sets the scope.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { env } from "../env";

function create(): PrismaClient {
  if (!env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is not set. Start the console with `npm run dev` (embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  // Embedded PGlite serves one backend session to all sockets; a small pool avoids queueing behind
  // its connection limit (see server/db/embedded.ts).
  let max = env.CREDO_EMBEDDED === "1" ? Math.min(env.DATABASE_POOL_MAX, 4) : env.DATABASE_POOL_MAX;
  if (globalForPrisma.credoPoolCap) max = Math.min(max, globalForPrisma.credoPoolCap);
  const options = globalForPrisma.credoSessionOptions;
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max, ...(options ? { options } : {}) });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { credoPrisma?: PrismaClient; credoPoolCap?: number; credoSessionOptions?: string };

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

export async function disconnectPrisma(): Promise<void> {
  await globalForPrisma.credoPrisma?.$disconnect();
  globalForPrisma.credoPrisma = undefined;
}
