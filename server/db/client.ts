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
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { credoPrisma?: PrismaClient; credoPoolCap?: number };

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
