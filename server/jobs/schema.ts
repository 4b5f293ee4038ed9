// graphile-worker's schema (graphile_worker): created and migrated by graphile-worker itself, with the
// OWNER connection at migrate time (server/db/migrate.ts) — never by the runtime role. Kept apart
// from queue.ts so that migrating loads neither the app's configuration nor Prisma.
import { Logger, runMigrations, type LogLevel } from "graphile-worker";

export const JOB_SCHEMA = "graphile_worker";

export function logLine(level: string, msg: string, meta?: Record<string, unknown>): void {
  const line = JSON.stringify({ level, msg, ...meta });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

/** graphile's logger: warnings and errors only unless verbose (its info lines are per job). */
export function jobsLogger(verbose = false): Logger {
  return new Logger((scope) => (level: LogLevel, message: string) => {
    if (level === "debug") return;
    if (level === "info" && !verbose) return;
    logLine(level === "warning" ? "warn" : level, `jobs: ${message}`, scope.workerId ? { workerId: scope.workerId } : undefined);
  });
}

/** Creates/migrates graphile-worker's schema (idempotent). */
export async function migrateJobQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, maxPoolSize: 1, schema: JOB_SCHEMA, logger: jobsLogger() });
}
