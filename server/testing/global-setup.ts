// Creates one fresh, migrated database on the real PostgreSQL server for the whole test run and
// drops it afterwards. Tests learn its URL through vitest's provide/inject (setup-env.ts).
import type { TestProject } from "vitest/node";
import pg from "pg";
import { migrateDatabase } from "../db/migrate";

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * `url` with the login role instead of the admin. On a server that asks for passwords (the admin URL
 * carries one), the login role gets TEST_DATABASE_RUNTIME_PASSWORD (a test server's roles only).
 */
async function loginUrl(url: string, role: "credo_runtime" | "credo_worker"): Promise<string> {
  const u = new URL(url);
  const password = u.password ? (process.env.TEST_DATABASE_RUNTIME_PASSWORD ?? "credo-test-only") : "";
  if (password) {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`ALTER ROLE ${role} PASSWORD '${password.replaceAll("'", "''")}'`);
    await c.end();
  }
  u.username = role;
  u.password = password;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const name = `credo_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(ADMIN_URL, name);
  await migrateDatabase(url);
  // The app's pool runs as the least-privileged login roles the migration created, as in production.
  project.provide("databaseUrl", url);
  project.provide("runtimeDatabaseUrl", await loginUrl(url, "credo_runtime"));
  project.provide("jobsDatabaseUrl", await loginUrl(url, "credo_worker"));
  project.provide("adminUrl", ADMIN_URL);

  return async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The test database as the admin/owner (migrations, inspection, test set-up). */
    databaseUrl: string;
    /** The same database as credo_runtime: the app's DATABASE_URL in tests. */
    runtimeDatabaseUrl: string;
    /** The same database as credo_worker: the job queue's connection in tests. */
    jobsDatabaseUrl: string;
    adminUrl: string;
  }
}
