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

export default async function setup(project: TestProject) {
  const name = `credo_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(ADMIN_URL, name);
  await migrateDatabase(url);
  project.provide("databaseUrl", url);
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
    databaseUrl: string;
    adminUrl: string;
  }
}
