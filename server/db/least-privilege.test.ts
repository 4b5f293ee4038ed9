// Least privilege of the runtime (migration 20261205200000_least_privilege, README "Database roles"):
// the app's pool logs in as credo_runtime exactly as in production, and every statement here is what
// an SQL injection inside a request's transaction could send. None of it may raise privileges, mint
// a security admin, read a password hash or write another tenant's row in a platform table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { inject } from "vitest";
import { makeTenant, makeUser, uniq } from "../testing/fixtures";
import { inTenant, onPlatform, RUNTIME_ROLE } from "./doors";
import { hashPassword } from "../auth/password";
import { authenticate } from "../auth/credentials";
import { createUser, setPlatformRole, setUserName, setUserPassword, userCredentials } from "../accounts/platform-users-repository";
import { assertLeastPrivilege, readRoleFacts, roleProblem, type RoleFacts } from "./role-check";
import type { TenantId } from "../tenancy/tenant-id";

let runtime: pg.Pool;
let owner: pg.Pool;
let a: { id: TenantId; slug: string };
let b: { id: TenantId; slug: string };
let bDeletionId: string;

beforeAll(async () => {
  runtime = new pg.Pool({ connectionString: inject("runtimeDatabaseUrl"), max: 2 });
  owner = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
  a = await makeTenant();
  b = await makeTenant();
  // A deletion record of tenant B (written by the owner: what the tests below must not reach).
  const r = await owner.query<{ id: string }>(
    `INSERT INTO tenant_deletions (target_tenant_id, tenant_slug, status, reason, requested_by_label, requested_at, grace_days, purge_after, requested_counts, cancelled_at)
     VALUES ($1, $2, 'cancelled', 'test', 'owner', now(), 7, now() + interval '7 days', '{}', now()) RETURNING id`,
    [b.id, b.slug],
  );
  bDeletionId = r.rows[0]!.id;
});
afterAll(async () => {
  await runtime.end();
  await owner.end();
});

/**
 * One transaction opened exactly like the doors (server/db/doors.ts) on the runtime login, then `sql`
 * — what injected SQL would run. Rolled back either way; returns the rows or the error.
 */
async function inRequest(tenant: string | null, sql: string, params: unknown[] = [], userId = ""): Promise<{ rows: Record<string, unknown>[]; rowCount: number } | { error: string }> {
  const c = await runtime.connect();
  try {
    await c.query("BEGIN");
    await c.query("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)", [RUNTIME_ROLE, tenant ?? "", userId]);
    try {
      const r = await c.query(sql, params);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    } catch (e) {
      return { error: (e as Error).message };
    }
  } finally {
    await c.query("ROLLBACK").catch(() => undefined);
    c.release();
  }
}

async function refused(tenant: string | null, sql: string, params: unknown[] = [], pattern = /permission denied|row-level security/): Promise<void> {
  const r = await inRequest(tenant, sql, params);
  expect("error" in r ? r.error : `succeeded: ${JSON.stringify(r)}`).toMatch(pattern);
}

/** refused(), at the user door of `userId` (app.user_id set, no tenant). */
async function refusedAtUserDoor(userId: string, sql: string, params: unknown[] = []): Promise<void> {
  const r = await inRequest(null, sql, params, userId);
  expect("error" in r ? r.error : `succeeded: ${JSON.stringify(r)}`).toMatch(/permission denied|row-level security/);
}

async function affected(tenant: string | null, sql: string, params: unknown[] = [], userId = ""): Promise<number> {
  const r = await inRequest(tenant, sql, params, userId);
  if ("error" in r) throw new Error(r.error);
  return r.rowCount;
}

describe("the login role cannot raise its privileges", () => {
  it("connects as credo_runtime (not superuser, not owner) and works as credo_app inside a door", async () => {
    const rows = await inTenant(a.id, (scope) =>
      scope.db.$queryRaw<{ session: string; current: string; superuser: boolean }[]>`
        SELECT session_user::text AS session, current_user::text AS current, (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS superuser`,
    );
    expect(rows[0]).toEqual({ session: "credo_runtime", current: "credo_app", superuser: false });
  });

  it("RESET ROLE inside a request's transaction leaves a role that can read nothing", async () => {
    const r = await inRequest(a.id, "RESET ROLE");
    expect("error" in r).toBe(false);
    const c = await runtime.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)", [RUNTIME_ROLE, a.id]);
      await c.query("RESET ROLE");
      expect((await c.query("SELECT current_user::text AS u")).rows[0].u).toBe("credo_runtime");
      await expect(c.query("SELECT count(*) FROM tenants")).rejects.toThrow(/permission denied/);
    } finally {
      await c.query("ROLLBACK");
      c.release();
    }
  });

  it("SET ROLE to the superuser or the owner is refused", async () => {
    await refused(a.id, "SET ROLE postgres");
    await refused(a.id, "SELECT set_config('role', 'postgres', true)");
    await refused(null, "SET SESSION AUTHORIZATION postgres");
    await refused(a.id, "SET ROLE credo_jobs");
  });

  it("cannot touch the job queue's schema or the worker heartbeats", async () => {
    await refused(a.id, "SELECT count(*) FROM graphile_worker._private_jobs");
    await refused(a.id, "INSERT INTO job_worker_heartbeats (pool_id) VALUES ('x')");
  });

  it("cannot create objects or change RLS", async () => {
    await refused(null, "CREATE TABLE evil (x int)");
    await refused(null, "ALTER TABLE users DISABLE ROW LEVEL SECURITY", [], /must be owner/);
    await refused(null, "DROP POLICY tenant_isolation ON tenant_deletions", [], /must be owner/);
  });
});

describe("users: no direct writes, no password hashes", () => {
  it("cannot make anyone a security admin, insert or delete operators", async () => {
    const u = await makeUser();
    for (const tenant of [a.id, null]) {
      await refused(tenant, "UPDATE users SET platform_role = 'security_admin' WHERE id = $1", [u.id]);
      await refused(tenant, "UPDATE users SET status = 'active'");
      await refused(tenant, "INSERT INTO users (email, name, platform_role) VALUES ($1, 'x', 'security_admin')", [`${uniq("evil")}@example.test`]);
      await refused(tenant, "DELETE FROM users WHERE id = $1", [u.id]);
    }
    const row = await owner.query(`SELECT platform_role FROM users WHERE id = $1`, [u.id]);
    expect(row.rows[0].platform_role).toBeNull();
  });

  it("cannot read password hashes; every other column reads normally", async () => {
    await refused(null, "SELECT password_hash FROM users");
    await refused(null, "SELECT * FROM users");
    await refused(a.id, "SELECT email FROM users WHERE password_hash IS NOT NULL");
    const ok = await inRequest(null, "SELECT id, email, name, platform_role, status, created_at FROM users LIMIT 1");
    expect("error" in ok).toBe(false);
  });

  it("sign-in still works, through the one credential function", async () => {
    const email = `${uniq("signin")}@example.test`;
    await onPlatform(async (db) => createUser(db, { email, name: "Signer", passwordHash: await hashPassword("Correct-Horse-1") }));
    expect(await authenticate({ email, password: "Correct-Horse-1" }, `198.51.100.${Math.floor(Math.random() * 200)}`)).toMatchObject({ ok: true });
    const cred = await onPlatform((db) => userCredentials(db, email));
    expect(cred?.passwordHash).toMatch(/^\$argon2id\$/);
  });
});

describe("narrow write functions check their own arguments", () => {
  it("credo_create_user: never with a platform role, never in a tenant transaction, only argon2id hashes", async () => {
    const email = `${uniq("new")}@example.test`;
    const made = await onPlatform((db) => createUser(db, { email, name: "New", passwordHash: null }));
    expect((await owner.query(`SELECT platform_role, status FROM users WHERE id = $1`, [made.id])).rows[0]).toEqual({ platform_role: null, status: "active" });
    await refused(a.id, "SELECT credo_create_user($1, 'x', NULL)", [`${uniq("t")}@example.test`], /not in a tenant transaction/);
    await refused(null, "SELECT credo_create_user($1, 'x', 'plaintext')", [`${uniq("t")}@example.test`], /argon2id/);
    await refused(null, "SELECT credo_create_user('Not-Lower@Example.test', 'x', NULL)", [], /invalid e-mail/);
    await refused(null, "SELECT credo_create_user($1, '', NULL)", [`${uniq("t")}@example.test`], /invalid name/);
  });

  it("credo_set_platform_role: only another, active security admin (so one always remains)", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const target = await makeUser();
    const nobody = await makeUser();
    await refused(null, "SELECT credo_set_platform_role($1, $1, 'security_admin')", [nobody.id], /another security admin/);
    await refused(null, "SELECT credo_set_platform_role($1, $1, NULL)", [admin.id], /another security admin/);
    await refused(null, "SELECT credo_set_platform_role($1, $2, 'security_admin')", [nobody.id, target.id], /only an active security admin/);
    await refused(null, "SELECT credo_set_platform_role($1, $2, 'root')", [admin.id, target.id], /invalid platform role/);
    await refused(a.id, "SELECT credo_set_platform_role($1, $2, 'security_admin')", [admin.id, target.id], /not in a tenant transaction/);
    await onPlatform((db) => setPlatformRole(db, admin.id, target.id, "security_admin"));
    expect((await owner.query(`SELECT platform_role FROM users WHERE id = $1`, [target.id])).rows[0].platform_role).toBe("security_admin");
    // A suspended security admin changes nothing.
    await owner.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [admin.id]);
    await refused(null, "SELECT credo_set_platform_role($1, $2, NULL)", [admin.id, target.id], /only an active security admin/);
    await owner.query(`UPDATE users SET status = 'active' WHERE id = $1`, [admin.id]);
    // The one removed cannot remove the remover back.
    await onPlatform((db) => setPlatformRole(db, target.id, admin.id, null));
    await refused(null, "SELECT credo_set_platform_role($1, $2, NULL)", [admin.id, target.id], /only an active security admin/);
  });

  it("credo_set_user_password / credo_set_user_status / credo_create_tenant refuse bad arguments", async () => {
    const u = await makeUser();
    await refused(null, "SELECT credo_set_user_password($1, 'plaintext')", [u.id], /argon2id/);
    await refused(null, "SELECT credo_set_user_password($1, NULL)", [u.id], /argon2id/);
    await refused(a.id, "SELECT credo_set_user_password($1, '$argon2id$v=19$x')", [u.id], /not in a tenant transaction/);
    await onPlatform(async (db) => setUserPassword(db, u.id, await hashPassword("Another-Pass-2")));
    await refused(null, "SELECT credo_set_user_status($1, 'deleted')", [u.id], /invalid status/);
    await refused(a.id, "SELECT credo_set_user_status($1, 'suspended')", [u.id], /not in a tenant transaction/);
    await refused(null, "SELECT credo_create_tenant('Bad Slug', 'x')", [], /invalid slug/);
    await refused(null, "SELECT credo_create_tenant($1, '')", [uniq("s")], /invalid name/);
    await refused(a.id, "SELECT credo_create_tenant($1, 'x')", [uniq("s")], /not in a tenant transaction/);
    await refused(a.id, "SELECT * FROM credo_tenant_deletion_index(NULL, NULL, 10)", [], /platform view/);
    await refused(null, "SELECT * FROM credo_tenant_deletion_index('gone', NULL, 10)", [], /invalid status/);
  });
});

describe("no platform table lets a tenant transaction write another tenant's row", () => {
  it("tenants: no INSERT or DELETE; UPDATE only of the transaction's own tenant, never its id or slug", async () => {
    await refused(a.id, "INSERT INTO tenants (slug, name) VALUES ($1, 'x')", [uniq("evil")]);
    await refused(null, "INSERT INTO tenants (slug, name) VALUES ($1, 'x')", [uniq("evil")]);
    await refused(a.id, "DELETE FROM tenants WHERE id = $1", [b.id]);
    await refused(a.id, "UPDATE tenants SET slug = 'pwned' WHERE id = $1", [a.id]);
    expect(await affected(a.id, "UPDATE tenants SET name = 'pwned' WHERE id = $1", [b.id])).toBe(0);
    expect(await affected(a.id, "UPDATE tenants SET paused_at = now(), paused_reason = 'x' WHERE id = $1", [b.id])).toBe(0);
    expect(await affected(a.id, "UPDATE tenants SET status = 'suspended' WHERE id <> $1", [a.id])).toBe(0);
    expect(await affected(null, "UPDATE tenants SET status = 'suspended'")).toBe(0);
    await refused(a.id, "UPDATE tenants SET id = $2 WHERE id = $1", [a.id, b.id]);
    expect((await inRequest(a.id, "SELECT id FROM tenants WHERE id = $1 FOR UPDATE", [b.id])) as unknown).toMatchObject({ rows: [] });
    expect(await affected(a.id, "UPDATE tenants SET paused_at = NULL WHERE id = $1", [a.id])).toBe(1);
    const rowB = await owner.query(`SELECT status, paused_at FROM tenants WHERE id = $1`, [b.id]);
    expect(rowB.rows[0]).toEqual({ status: "active", paused_at: null });
  });

  it("tenant_deletions: invisible and unwritable without the tenant's own scope", async () => {
    expect((await inRequest(null, "SELECT count(*)::int AS n FROM tenant_deletions")) as unknown).toMatchObject({ rows: [{ n: 0 }] });
    expect((await inRequest(a.id, "SELECT count(*)::int AS n FROM tenant_deletions WHERE id = $1", [bDeletionId])) as unknown).toMatchObject({ rows: [{ n: 0 }] });
    expect(await affected(a.id, "UPDATE tenant_deletions SET status = 'cancelled', cancelled_at = now() WHERE id = $1", [bDeletionId])).toBe(0);
    expect(await affected(null, "UPDATE tenant_deletions SET last_error = 'x'")).toBe(0);
    const insert = `INSERT INTO tenant_deletions (target_tenant_id, tenant_slug, status, reason, requested_by_label, requested_at, grace_days, purge_after, requested_counts)
                    VALUES ($1, 'x', 'pending', 'evil', 'x', now(), 0, now(), '{}')`;
    await refused(a.id, insert, [b.id]);
    await refused(null, insert, [b.id]);
    await refused(a.id, "DELETE FROM tenant_deletions WHERE id = $1", [bDeletionId]);
    await refused(b.id, "UPDATE tenant_deletions SET target_tenant_id = $2 WHERE id = $1", [bDeletionId, a.id]);
    // B's own scope reads it.
    expect((await inRequest(b.id, "SELECT count(*)::int AS n FROM tenant_deletions WHERE id = $1", [bDeletionId])) as unknown).toMatchObject({ rows: [{ n: 1 }] });
  });

  it("global_identifiers: claim and release only for the own tenant, never update", async () => {
    await owner.query(`INSERT INTO global_identifiers (kind, value, owner_tenant_id) VALUES ('test.kind', $1, $2)`, [`b-${b.id}`, b.id]);
    await refused(a.id, "INSERT INTO global_identifiers (kind, value, owner_tenant_id) VALUES ('test.kind', $1, $2)", [uniq("v"), b.id]);
    await refused(null, "INSERT INTO global_identifiers (kind, value, owner_tenant_id) VALUES ('test.kind', $1, $2)", [uniq("v"), b.id]);
    expect(await affected(a.id, "DELETE FROM global_identifiers WHERE owner_tenant_id = $1", [b.id])).toBe(0);
    expect(await affected(null, "DELETE FROM global_identifiers")).toBe(0);
    await refused(a.id, "UPDATE global_identifiers SET owner_tenant_id = $1 WHERE owner_tenant_id = $2", [a.id, b.id]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM global_identifiers WHERE value = $1`, [`b-${b.id}`])).rows[0].n).toBe(1);
  });

  it("global_policy_versions: appended only from the platform door, never changed", async () => {
    const insert = `INSERT INTO global_policy_versions (version, document, author_label, comment) VALUES (999999, '{}', 'x', 'x')`;
    await refused(a.id, insert);
    await refused(a.id, "UPDATE global_policy_versions SET comment = 'x'");
    await refused(null, "DELETE FROM global_policy_versions");
  });

  it("memberships through the doors: A's transaction cannot add itself to B", async () => {
    const u = await makeUser();
    await refused(a.id, "INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [b.id, u.id]);
    await expect(
      inTenant(a.id, (scope) => scope.db.$executeRaw`UPDATE tenants SET status = 'suspended' WHERE id = ${b.id}::uuid`),
    ).resolves.toBe(0);
  });
});

describe("npm start refuses privileged connections", () => {
  const base: RoleFacts = { role: "credo_runtime", superuser: false, bypassRls: false, tableOwner: "credo_owner", actsAsOwner: false, memberOfExpected: true };

  it("says what to do for a superuser, BYPASSRLS, the owner, a non-member or an unmigrated database", () => {
    expect(roleProblem(base, "app")).toBeNull();
    expect(roleProblem({ ...base, role: "postgres", superuser: true }, "app")).toMatch(/"postgres", a superuser.*ALTER ROLE credo_runtime PASSWORD.*DATABASE_MIGRATION_URL/);
    expect(roleProblem({ ...base, bypassRls: true }, "app")).toMatch(/BYPASSRLS/);
    expect(roleProblem({ ...base, role: "credo_owner", actsAsOwner: true }, "app")).toMatch(/owns the tables/);
    expect(roleProblem({ ...base, memberOfExpected: false }, "app")).toMatch(/not a member of credo_app/);
    expect(roleProblem({ ...base, tableOwner: null }, "app")).toMatch(/npm run db:migrate/);
    expect(roleProblem({ ...base, role: "postgres", superuser: true }, "jobs")).toMatch(/JOBS_DATABASE_URL.*credo_worker/);
  });

  it("checks the real server: the admin URL is refused, the login roles pass", async () => {
    await expect(assertLeastPrivilege(inject("databaseUrl"), "app")).rejects.toThrow(/a superuser/);
    await expect(assertLeastPrivilege(inject("runtimeDatabaseUrl"), "app")).resolves.toBeUndefined();
    await expect(assertLeastPrivilege(inject("jobsDatabaseUrl"), "jobs")).resolves.toBeUndefined();
    await expect(assertLeastPrivilege(inject("jobsDatabaseUrl"), "app")).rejects.toThrow(/not a member of credo_app/);
    expect(await readRoleFacts(inject("runtimeDatabaseUrl"), "app")).toMatchObject({ role: "credo_runtime", superuser: false, actsAsOwner: false, tableOwner: "postgres" });
  });
});

describe("the merged features' tables and write paths (20261205210000_least_privilege_accounts)", () => {
  it("platform audit: append-only for the runtime, the chain head moves only its seq and hash", async () => {
    for (const tenant of [null, a.id]) {
      await refused(tenant, "UPDATE platform_audit_events SET details = '{}'");
      await refused(tenant, "DELETE FROM platform_audit_events");
      await refused(tenant, "TRUNCATE platform_audit_events");
      await refused(tenant, "UPDATE platform_audit_checkpoints SET event_count = 0");
      await refused(tenant, "DELETE FROM platform_audit_checkpoints");
      await refused(tenant, "DELETE FROM platform_audit_chain_head");
      await refused(tenant, "UPDATE platform_audit_chain_head SET id = 2");
    }
    // A tenant transaction may append (deletions record there) but never reads the stream.
    expect((await inRequest(a.id, "SELECT count(*)::int AS n FROM platform_audit_events")) as unknown).toMatchObject({ rows: [{ n: 0 }] });
  });

  it("users: the new paths write one column each, never platform_role, status or a hash of another kind", async () => {
    const u = await makeUser();
    await refused(null, "UPDATE users SET name = 'x' WHERE id = $1", [u.id]);
    await refused(null, "UPDATE users SET password_changed_at = now() WHERE id = $1", [u.id]);
    await refused(a.id, "SELECT credo_set_user_name($1, 'x')", [u.id], /not in a tenant transaction/);
    await refused(null, "SELECT credo_set_user_name($1, '')", [u.id], /invalid name/);
    await refused(null, "SELECT credo_set_user_password($1, 'plaintext', now())", [u.id], /argon2id/);
    await refused(null, "SELECT credo_set_user_password($1, NULL, now())", [u.id], /argon2id/);
    await refused(a.id, "SELECT credo_clear_user_password($1)", [u.id], /not in a tenant transaction/);
    await refused(a.id, "SELECT * FROM credo_users_password_set(ARRAY[$1]::uuid[])", [u.id], /platform view/);
    const state = await inRequest(null, "SELECT * FROM credo_users_password_set(ARRAY[$1]::uuid[])", [u.id]);
    expect(state).toEqual({ rows: [{ id: u.id, has_password: false }], rowCount: 1 });
    await onPlatform((db) => setUserName(db, u.id, "Renamed"));
    expect((await owner.query(`SELECT name, platform_role, status FROM users WHERE id = $1`, [u.id])).rows[0]).toEqual({ name: "Renamed", platform_role: null, status: "active" });
  });

  it("second factors: another user's factors are invisible at the user door; secrets are never rewritten", async () => {
    const x = await makeUser();
    const y = await makeUser();
    await owner.query(
      `INSERT INTO user_factors (user_id, kind, name, secret_kek_id, secret_iv, secret_tag, secret_ciphertext)
       VALUES ($1, 'totp', 'phone', 'k1', decode(repeat('00', 12), 'hex'), decode(repeat('00', 16), 'hex'), '\\x01')`,
      [y.id],
    );
    await owner.query(`INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, decode(repeat('ab', 32), 'hex'))`, [y.id]);
    expect((await inRequest(null, "SELECT count(*)::int AS n FROM user_factors WHERE user_id = $1", [y.id], x.id)) as unknown).toMatchObject({ rows: [{ n: 0 }] });
    expect((await inRequest(null, "SELECT count(*)::int AS n FROM user_recovery_codes WHERE user_id = $1", [y.id], x.id)) as unknown).toMatchObject({ rows: [{ n: 0 }] });
    expect((await inRequest(a.id, "SELECT count(*)::int AS n FROM user_factors")) as unknown).toMatchObject({ rows: [{ n: 0 }] });
    expect(await affected(null, "DELETE FROM user_factors WHERE user_id = $1", [y.id], x.id)).toBe(0);
    await refusedAtUserDoor(y.id, "UPDATE user_factors SET secret_ciphertext = '\\x02' WHERE user_id = $1", [y.id]);
    await refusedAtUserDoor(y.id, "UPDATE user_factors SET user_id = $2 WHERE user_id = $1", [y.id, x.id]);
    await refusedAtUserDoor(y.id, "UPDATE user_recovery_codes SET code_hash = decode(repeat('cd', 32), 'hex') WHERE user_id = $1", [y.id]);
    await refusedAtUserDoor(x.id, "INSERT INTO user_factors (user_id, kind, name, credential_id, public_key, sign_count, confirmed_at) VALUES ($1, 'passkey', 'k', 'c', '\\x01', 0, now())", [y.id]);
  });

  it("sessions, invitations and reset tokens: used up or revoked, never re-pointed or deleted", async () => {
    for (const sql of [
      "DELETE FROM operator_sessions",
      "UPDATE operator_sessions SET user_id = gen_random_uuid()",
      "UPDATE operator_sessions SET expires_at = now() + interval '10 years'",
      "UPDATE platform_invitations SET platform_role = 'security_admin'",
      "UPDATE platform_invitations SET token_hash = 'x'",
      "UPDATE platform_invitations SET expires_at = now() + interval '10 years'",
      "DELETE FROM platform_invitations",
      "UPDATE password_reset_tokens SET user_id = gen_random_uuid()",
      "UPDATE password_reset_tokens SET token_hash = 'x'",
      "DELETE FROM password_reset_tokens",
      "UPDATE dev_outbox SET text = 'x'",
    ]) await refused(null, sql);
    await refused(a.id, "UPDATE tenant_invitations SET role = 'owner'");
    await refused(a.id, "UPDATE tenant_invitations SET tenant_id = $1", [b.id]);
    await refused(a.id, "DELETE FROM tenant_invitations");
    // A tenant transaction sees no platform invitation, reset token or session.
    for (const table of ["platform_invitations", "password_reset_tokens", "operator_sessions"]) {
      expect((await inRequest(a.id, `SELECT count(*)::int AS n FROM ${table}`)) as unknown).toMatchObject({ rows: [{ n: 0 }] });
    }
  });

  it("tenant_deletions: the purge's scrubbing is a function, only in the tenant's own scope, only once it is deleted", async () => {
    await refused(b.id, "UPDATE tenant_deletions SET reason = 'rewritten' WHERE id = $1", [bDeletionId]);
    await refused(b.id, "UPDATE tenant_deletions SET requested_by_label = 'someone else' WHERE id = $1", [bDeletionId]);
    await refused(a.id, "SELECT credo_scrub_tenant_deletions($1)", [b.id], /own tenant's scope/);
    await refused(null, "SELECT credo_scrub_tenant_deletions($1)", [b.id], /own tenant's scope/);
    await refused(b.id, "SELECT credo_scrub_tenant_deletions($1)", [b.id], /purged tenant/);
    expect((await owner.query(`SELECT reason FROM tenant_deletions WHERE id = $1`, [bDeletionId])).rows[0].reason).toBe("test");
  });
});
