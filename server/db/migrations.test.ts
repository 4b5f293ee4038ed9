// Integration test of the whole migration path: the Prisma 6.19 CLI with the WASM schema engine and
// server/db/migrator-adapter.ts (whose fixes lean on @prisma/adapter-pg internals — this test is the
// guard when upgrading Prisma, pg or PGlite).
//
//  1. Real PostgreSQL (TEST_DATABASE_ADMIN_URL, default postgres@127.0.0.1:5432): a fresh database is
//     migrated; `migrate status` is clean; `migrate diff --from-migrations … --to-schema-datamodel`
//     finds NO difference — the drift guard: editing prisma/schema.prisma without adding a migration
//     fails here. Also: a second deploy is a no-op, a failing deploy throws with the CLI output.
//  2. Embedded PGlite: the same deploy/status/diff through pglite-socket, then the data directory is
//     reopened and still holds the schema (persistence).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase, runPrismaCli } from "./migrate";

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TIMEOUT = 180_000;
const APP_TABLES = [
  "_prisma_migrations",
  "api_keys",
  "audit_chain_heads",
  "audit_checkpoints",
  "audit_events",
  "audit_exports",
  "audit_retention_state",
  "dev_outbox",
  "global_identifiers",
  "global_policy_versions",
  "job_worker_heartbeats",
  "memberships",
  "oauth_client_secrets",
  "oauth_clients",
  "operator_sessions",
  "password_reset_tokens",
  "platform_audit_chain_head",
  "platform_audit_checkpoints",
  "platform_audit_events",
  "platform_invitations",
  "policy_versions",
  "signing_keys",
  "tenant_data_keys",
  "tenant_deletions",
  "tenant_invitations",
  "tenant_storage_snapshots",
  "tenant_usage_hourly",
  "tenants",
  "user_factors",
  "user_recovery_codes",
  "users",
  "webauthn_challenges",
  "workspaces",
];
const DRIFT_ARGS = [
  "migrate",
  "diff",
  "--from-migrations",
  "prisma/migrations",
  "--to-schema-datamodel",
  "prisma/schema.prisma",
  "--exit-code", // 0 = no difference, 2 = difference, 1 = error
];

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function publicTables(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ t: string }>(
      "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    return rows.map((r) => r.t);
  });
}

async function appliedMigrations(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1",
    );
    return rows.map((r) => r.name);
  });
}

async function expectStatusUpToDate(url: string, embedded = false): Promise<void> {
  const status = await runPrismaCli(["migrate", "status"], url, { embedded });
  expect(status.output).toContain("Database schema is up to date!");
  expect(status.code, status.output).toBe(0);
}

async function expectNoDrift(url: string, embedded = false): Promise<void> {
  const diff = await runPrismaCli(DRIFT_ARGS, url, { embedded });
  expect(
    diff.code,
    `prisma/schema.prisma and prisma/migrations differ (or the diff failed). Author the missing migration with\n` +
      `  npx prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma --script\n` +
      diff.output,
  ).toBe(0);
  expect(diff.output).toContain("No difference detected.");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("migrations on the real PostgreSQL server", () => {
  const name = `credo_migrations_${process.pid}_${Date.now()}`;
  const url = withDatabase(ADMIN_URL, name);

  afterAll(async () => {
    await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }, TIMEOUT);

  it(
    "deploys to a fresh database, reports up to date, and matches schema.prisma (drift guard)",
    async () => {
      await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE "${name}"`));

      await migrateDatabase(url);
      expect(await publicTables(url)).toEqual(APP_TABLES);
      const applied = await appliedMigrations(url);
      expect(applied.length).toBeGreaterThan(0);

      // The hand-written part of the foundation migration ran too (the DO $$ block was not split).
      const rls = await withClient(url, async (c) => {
        const { rows } = await c.query<{ relname: string; forced: boolean }>(
          `SELECT relname::text AS relname, relforcerowsecurity AS forced FROM pg_class
            WHERE relname IN ('memberships', 'audit_events') AND relkind = 'r' ORDER BY 1`,
        );
        const role = await c.query("SELECT 1 FROM pg_roles WHERE rolname = 'credo_app'");
        return { rows, role: role.rowCount };
      });
      expect(rls.rows).toEqual([
        { relname: "audit_events", forced: true },
        { relname: "memberships", forced: true },
      ]);
      expect(rls.role).toBe(1);

      await expectStatusUpToDate(url);
      await expectNoDrift(url);
      await expectAuditSearchIndexes(url);

      // A second deploy is a no-op.
      await migrateDatabase(url);
      expect(await appliedMigrations(url)).toEqual(applied);
    },
    TIMEOUT,
  );

  it(
    "throws with the CLI output when deploy fails",
    async () => {
      const missing = withDatabase(ADMIN_URL, `credo_missing_${process.pid}_${Date.now()}`);
      await expect(migrateDatabase(missing)).rejects.toThrow(/prisma migrate deploy failed[\s\S]*does not exist/);
    },
    TIMEOUT,
  );
});

/**
 * The audit viewer's indexes (migration 20261207106000): pg_trgm and btree_gin present, the
 * free-text GIN index led by tenant_id, and the action column in the "C" collation (the prefix
 * filter is a range). On PGlite this also proves the extensions were loaded (server/db/pglite.ts).
 */
async function expectAuditSearchIndexes(url: string) {
  const found = await withClient(url, async (c) => ({
    extensions: (await c.query("SELECT extname::text AS name FROM pg_extension WHERE extname IN ('pg_trgm', 'btree_gin') ORDER BY 1")).rows.map((r) => r.name),
    index: (await c.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_events' AND indexname = 'audit_events_text_trgm_idx'")).rows[0]?.indexdef as string | undefined,
    collation: (await c.query("SELECT collation_name::text AS c FROM information_schema.columns WHERE table_name = 'audit_events' AND column_name = 'action'")).rows[0]?.c,
    trigrams: (await c.query("SELECT show_trgm('ab') AS t")).rows[0]?.t,
  }));
  expect(found.extensions).toEqual(["btree_gin", "pg_trgm"]);
  expect(found.index).toMatch(/USING gin \(tenant_id, action gin_trgm_ops, target_type gin_trgm_ops, target_id gin_trgm_ops\)/);
  expect(found.collation).toBe("C");
  expect(found.trigrams).toEqual(["  a", " ab", "ab "]);
}

describe("migrations on embedded PGlite", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "credo-pglite-"));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    "deploys, reports up to date, matches schema.prisma, and persists across a restart",
    async () => {
      const first = await startEmbeddedPostgres({ dataDir, port: await freePort() });
      try {
        await migrateDatabase(first.url, { embedded: true });
        expect(await publicTables(first.url)).toEqual(APP_TABLES);
        await expectStatusUpToDate(first.url, true);
        await expectNoDrift(first.url, true); // shadow = in-memory PGlite
        await expectAuditSearchIndexes(first.url);
        await withClient(first.url, (c) =>
          c.query("INSERT INTO tenants (slug, name) VALUES ('persisted', 'Persisted tenant')"),
        );
      } finally {
        await first.stop();
      }

      const second = await startEmbeddedPostgres({ dataDir, port: await freePort() });
      try {
        expect(await publicTables(second.url)).toEqual(APP_TABLES);
        expect((await appliedMigrations(second.url)).length).toBeGreaterThan(0);
        const slugs = await withClient(second.url, async (c) => (await c.query("SELECT slug FROM tenants")).rows);
        expect(slugs).toEqual([{ slug: "persisted" }]);
        await expectAuditSearchIndexes(second.url); // the extensions load again on reopening
        await migrateDatabase(second.url, { embedded: true }); // nothing pending: no-op
        await expectStatusUpToDate(second.url, true);
      } finally {
        await second.stop();
      }
    },
    TIMEOUT,
  );

  it("fails clearly when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir, port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
