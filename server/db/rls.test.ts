// The second isolation layer alone: PostgreSQL Row Level Security with the application filter
// bypassed (raw SQL as the runtime role), plus the catalog facts it relies on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { inject } from "vitest";
import { callerFor, makeTenant, makeUser, grant } from "../testing/fixtures";
import { writeRegulatedMode } from "../policies/tenant-repository";
import { runRetentionPurge } from "../audit/retention";
import { inTenant, onPlatform, RUNTIME_ROLE } from "./doors";
import type { TenantId } from "../tenancy/tenant-id";

let pool: pg.Pool;
let a: { id: TenantId; slug: string };
let b: { id: TenantId; slug: string };

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
  a = await makeTenant();
  b = await makeTenant();
  const u = await makeUser();
  await grant(a, u.id, "owner");
  await grant(b, u.id, "owner");
  // A row in every tenant table for both tenants (signing keys and data keys come with provisioning).
  const owner = callerFor(u.id);
  for (const t of [a, b]) {
    await owner.apiKeys.create({ tenant: t.slug, name: "rls", scopes: ["keys.read"], expiresInDays: 1 });
    await owner.clients.create({ tenant: t.slug, name: "rls", type: "web", redirectUris: [`https://${t.slug}.rls.example.com/cb`] });
    await inTenant(t.id, (scope) => writeRegulatedMode(scope, false, new Date()));
    await inTenant(t.id, (scope) => scope.db.workspace.create({ data: { tenantId: scope.tenantId, slug: "main", name: "Main" } }));
    await owner.audit.requestExport({ tenant: t.slug, format: "csv" });
    await owner.audit.checkpoint({ tenant: t.slug });
    await runRetentionPurge(t.id);
  }
});
afterAll(async () => {
  await pool.end();
});

/** Runs statements in one transaction as the runtime role with the given tenant setting. */
async function asRuntime<T>(tenant: string | null, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query(`SET LOCAL ROLE ${RUNTIME_ROLE}`);
    if (tenant !== null) await c.query("SELECT set_config('app.tenant_id', $1, true)", [tenant]);
    const out = await fn(c);
    await c.query("COMMIT");
    return out;
  } catch (e) {
    await c.query("ROLLBACK");
    throw e;
  } finally {
    c.release();
  }
}

const TENANT_TABLES = [
  "memberships",
  "audit_events",
  "audit_chain_heads",
  "signing_keys",
  "tenant_data_keys",
  "api_keys",
  "oauth_clients",
  "oauth_client_secrets",
  "policy_versions",
  "workspaces",
  "audit_exports",
  "audit_checkpoints",
  "audit_retention_state",
];

describe("RLS without the application filter", () => {
  it("with tenant A's setting, every tenant table shows only A's rows", async () => {
    for (const table of TENANT_TABLES) {
      const rows = await asRuntime(a.id, (c) => c.query(`SELECT DISTINCT tenant_id::text AS t FROM ${table}`));
      expect({ table, tenants: rows.rows.map((r) => r.t) }).toEqual({ table, tenants: [a.id] });
    }
  });

  it("with no setting (or an empty one) nothing is visible and nothing can be inserted", async () => {
    for (const setting of [null, ""]) {
      for (const table of TENANT_TABLES) {
        const n = await asRuntime(setting, (c) => c.query(`SELECT count(*)::int AS n FROM ${table}`));
        expect({ table, n: n.rows[0].n }).toEqual({ table, n: 0 });
      }
      await expect(
        asRuntime(setting, (c) =>
          c.query("INSERT INTO audit_events (tenant_id, actor_type, action, target_type) VALUES ($1, 'system', 'x.y', 'test')", [a.id]),
        ),
      ).rejects.toThrow(/row-level security/);
    }
  });

  it("under A's setting, inserting a row for B fails and B's rows cannot be updated or deleted", async () => {
    await expect(
      asRuntime(a.id, (c) => c.query("INSERT INTO audit_events (tenant_id, actor_type, action, target_type) VALUES ($1, 'system', 'x.y', 'test')", [b.id])),
    ).rejects.toThrow(/row-level security/);
    const updated = await asRuntime(a.id, (c) => c.query("UPDATE memberships SET role = 'owner' WHERE tenant_id = $1", [b.id]));
    expect(updated.rowCount).toBe(0);
    const deleted = await asRuntime(a.id, (c) => c.query("DELETE FROM memberships WHERE tenant_id = $1", [b.id]));
    expect(deleted.rowCount).toBe(0);
    const still = await asRuntime(b.id, (c) => c.query("SELECT count(*)::int AS n FROM memberships"));
    expect(still.rows[0].n).toBe(1);
    // Moving A's row into B is refused by WITH CHECK.
    await expect(asRuntime(a.id, (c) => c.query("UPDATE memberships SET tenant_id = $1", [b.id]))).rejects.toThrow(/row-level security/);
  });

  it("the runtime role may append audit events but never change or remove them", async () => {
    for (const sql of ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events", "TRUNCATE audit_events"]) {
      await expect(asRuntime(a.id, (c) => c.query(sql))).rejects.toThrow(/permission denied/);
    }
  });
});

describe("catalog", () => {
  it("the global identifier registry is readable by all, but a tenant may only claim and release its own values", async () => {
    const value = `rls-${Date.now()}`;
    await expect(
      asRuntime(a.id, (c) => c.query("INSERT INTO global_identifiers (kind, value, owner_tenant_id) VALUES ('signing_key.kid', $1, $2)", [value, b.id])),
    ).rejects.toThrow(/row-level security/);
    await asRuntime(b.id, (c) => c.query("INSERT INTO global_identifiers (kind, value, owner_tenant_id) VALUES ('signing_key.kid', $1, $2)", [value, b.id]));
    const seen = await asRuntime(a.id, (c) => c.query("SELECT owner_tenant_id::text AS o FROM global_identifiers WHERE value = $1", [value]));
    expect(seen.rows).toEqual([{ o: b.id }]);
    const deleted = await asRuntime(a.id, (c) => c.query("DELETE FROM global_identifiers WHERE value = $1", [value]));
    expect(deleted.rowCount).toBe(0);
    const noTenant = await asRuntime(null, (c) => c.query("DELETE FROM global_identifiers WHERE value = $1", [value]));
    expect(noTenant.rowCount).toBe(0);
    expect((await asRuntime(b.id, (c) => c.query("DELETE FROM global_identifiers WHERE value = $1", [value]))).rowCount).toBe(1);
  });

  it("every table with tenant_id has RLS enabled and forced, and a policy", async () => {
    const r = await pool.query(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    expect(r.rows.length).toBeGreaterThanOrEqual(TENANT_TABLES.length);
    for (const row of r.rows) {
      expect({ t: row.relname, rls: row.relrowsecurity, force: row.relforcerowsecurity, policy: row.policies > 0 }).toEqual({
        t: row.relname, rls: true, force: true, policy: true,
      });
    }
  });

  it("every tenant table's primary key and every index start with tenant_id", async () => {
    const r = await pool.query(`
      SELECT t.relname AS tbl, i.relname AS idx, a.attname AS first_col
        FROM pg_index x
        JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
       WHERE n.nspname = 'public'
         AND EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = t.oid AND c.attname = 'tenant_id')`);
    // The one documented exception: memberships(user_id) for "which tenants may this user open".
    // tenant_invitations_token_hash_key: accepting looks an invitation up by its token's hash alone
    // (the accept link names no tenant); a SHA-256 of 256 random bits is unique across tenants anyway.
    // audit_events_id_idx and audit_events_regulated_occurred_at_tenant_id_idx: the security admins'
    // cross-tenant feed and regulated totals (migration 20261206103000), read only by the functions
    // running as credo_audit_feed; no tenant query can use them to see another tenant's rows (RLS).
    const crossTenant = new Set(["memberships_user_id_idx", "tenant_invitations_token_hash_key", "audit_events_id_idx", "audit_events_regulated_occurred_at_tenant_id_idx"]);
    const offenders = r.rows.filter((row) => row.first_col !== "tenant_id" && !crossTenant.has(row.idx));
    expect(offenders).toEqual([]);
  });

  it("the runtime role is not superuser, cannot bypass RLS and owns nothing", async () => {
    const r = await pool.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", [RUNTIME_ROLE]);
    expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await pool.query(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = $1",
      [RUNTIME_ROLE],
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it("the application's doors really run as the runtime role", async () => {
    const who = await inTenant(a.id, (s) => s.db.$queryRaw<{ u: string; t: string }[]>`SELECT current_user::text AS u, current_setting('app.tenant_id') AS t`);
    expect(who[0]).toEqual({ u: RUNTIME_ROLE, t: a.id });
    const platform = await onPlatform((db) => db.$queryRaw<{ u: string }[]>`SELECT current_user::text AS u`);
    expect(platform[0]!.u).toBe(RUNTIME_ROLE);
  });
});

describe("pool hygiene", () => {
  it("after a transaction for A (also one that fails midway) the same connection shows nothing of A", async () => {
    await expect(
      asRuntime(a.id, async (c) => {
        await c.query("SELECT 1 FROM audit_events");
        await c.query("SELECT 1/0");
      }),
    ).rejects.toThrow();
    // max: 1 → the very same connection, in a fresh transaction with no tenant.
    const after = await asRuntime(null, async (c) => {
      const s = await c.query("SELECT current_setting('app.tenant_id', true) AS t, current_user::text AS u");
      const n = await c.query("SELECT count(*)::int AS n FROM audit_events");
      return { setting: s.rows[0].t, user: s.rows[0].u, n: n.rows[0].n };
    });
    expect(after).toEqual({ setting: "", user: RUNTIME_ROLE, n: 0 });
    const outside = await pool.query("SELECT current_user::text AS u, current_setting('app.tenant_id', true) AS t");
    expect(outside.rows[0].u).not.toBe(RUNTIME_ROLE);
    expect(outside.rows[0].t).toBe("");
  });

  it("through the doors: a tenant transaction that throws leaves nothing behind for the next one", async () => {
    await expect(
      inTenant(a.id, async (s) => {
        await s.db.auditEvent.count();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    // Run many platform transactions so every pooled connection is reused at least once.
    const counts = await Promise.all(Array.from({ length: 30 }, () => onPlatform((db) => db.auditEvent.count())));
    expect(counts.every((n) => n === 0)).toBe(true);
  });
});
