// graphile-worker's schema (graphile_worker): created and migrated by graphile-worker itself, with the
// OWNER connection at migrate time (server/db/migrate.ts) — never by the runtime role. Kept apart
// from queue.ts so that migrating loads neither the app's configuration nor Prisma.
import pg from "pg";
import { Logger, runMigrations, type LogLevel } from "graphile-worker";
import { logger } from "../observability/logger";

export const JOB_SCHEMA = "graphile_worker";

/** A job-queue log line through the console's logger (server/observability/logger.ts). */
export function logLine(level: string, msg: string, meta?: Record<string, unknown>): void {
  const fn = level === "error" ? logger.error : level === "warn" ? logger.warn : level === "debug" ? logger.debug : logger.info;
  fn.call(logger, meta ?? {}, msg);
}

/** graphile's logger: warnings and errors only unless verbose (its info lines are per job). */
export function jobsLogger(verbose = false): Logger {
  return new Logger((scope) => (level: LogLevel, message: string) => {
    if (level === "debug") return;
    if (level === "info" && !verbose) return;
    logLine(level === "warning" ? "warn" : level, `jobs: ${message}`, scope.workerId ? { workerId: scope.workerId } : undefined);
  });
}

/**
 * Creates/migrates graphile-worker's schema (idempotent), then grants it to the queue's role
 * credo_jobs (migration 20261205200000_least_privilege): the worker's own connection
 * (JOBS_DATABASE_URL, login role credo_worker) then needs neither the owner nor superuser. graphile
 * creates its objects here, after the SQL migrations, so the grant cannot live in a migration file.
 */
export async function migrateJobQueue(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, maxPoolSize: 1, schema: JOB_SCHEMA, logger: jobsLogger() });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO credo_jobs;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO credo_jobs;
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO credo_jobs;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO credo_jobs;
      -- graphile enables RLS without policies on its private tables (only the owner may touch them):
      -- the queue's role gets the same full access through a policy of its own.
      DO $$
      DECLARE t record;
      BEGIN
        FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = '${JOB_SCHEMA}' AND c.relkind = 'r' AND c.relrowsecurity
                    AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'credo_jobs_all')
        LOOP
          EXECUTE format('CREATE POLICY credo_jobs_all ON ${JOB_SCHEMA}.%I TO credo_jobs USING (true) WITH CHECK (true)', t.relname);
        END LOOP;
      END
      $$;`);
  } finally {
    await client.end();
  }
}
