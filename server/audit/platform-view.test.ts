// The security admins' cross-tenant view: recent events of every tenant, cursor-paged — except
// tenants in regulated mode (ADR-003), of which only anonymous counts appear. The SQL function's
// notion of "regulated" matches server/policies' effective value in every combination.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { inTenant } from "../db/doors";
import { readTenantPolicy, writeRegulatedMode } from "../policies/tenant-repository";
import { insertTenantVersion, TENANT_SCOPE_KEY } from "../policies/repository";
import { callerFor, makeUser, rejection } from "../testing/fixtures";
import { appendChained, bareTenant } from "../testing/audit";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
});
afterAll(async () => {
  await pool.end();
});

describe("platform audit view", () => {
  it("lists events across tenants newest first, cursor-paged, never a regulated tenant's", async () => {
    const open1 = await bareTenant();
    const open2 = await bareTenant();
    const regulated = await bareTenant();
    await inTenant(regulated.id, (s) => writeRegulatedMode(s, true, new Date()));
    await appendChained(open1.id, Array.from({ length: 3 }, () => ({ action: "platform.view.open1" })));
    await appendChained(regulated.id, Array.from({ length: 4 }, () => ({ action: "platform.view.regulated", targetId: "secret-target" })));
    await appendChained(open2.id, Array.from({ length: 3 }, () => ({ action: "platform.view.open2" })));
    await appendChained(open1.id, [{ action: "platform.view.open1" }]);

    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const seen: { id: bigint; tenantSlug: string; action: string }[] = [];
    let cursor: bigint | null = null;
    let pages = 0;
    let regulatedCounts: { tenants: number | null; eventsLast24h: number | null; minTenants: number } | null = null;
    do {
      const page: Awaited<ReturnType<typeof admin.platform.audit.tenantEvents>> = await admin.platform.audit.tenantEvents({ cursor, limit: 4 });
      regulatedCounts = page.regulated;
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
      // Newest first: once all 7 of this test's events are seen, the regulated tenant's (written in
      // between) would have been too.
    } while (cursor && seen.filter((e) => e.action.startsWith("platform.view.")).length < 7 && pages < 500);
    const ids = seen.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
    const mine = seen.filter((e) => e.action.startsWith("platform.view."));
    expect(mine.map((e) => e.action)).toEqual(["platform.view.open1", "platform.view.open2", "platform.view.open2", "platform.view.open2", "platform.view.open1", "platform.view.open1", "platform.view.open1"]);
    expect(mine.filter((e) => e.tenantSlug === open1.slug)).toHaveLength(4);
    expect(seen.some((e) => e.tenantSlug === regulated.slug || e.action === "platform.view.regulated")).toBe(false);
    // Nothing identifying in the counts.
    expect(Object.keys(regulatedCounts!).sort()).toEqual(["eventsLast24h", "minTenants", "tenants"]);

    // Regulated mode turned off: what was recorded while it was on stays out of the view; only
    // events written afterwards appear.
    await inTenant(regulated.id, (s) => writeRegulatedMode(s, false, new Date()));
    await appendChained(regulated.id, [{ action: "platform.view.after_regulated" }]);
    const first = await admin.platform.audit.tenantEvents({ limit: 100 });
    const ofRegulated = first.items.filter((e) => e.tenantSlug === regulated.slug);
    expect(ofRegulated.map((e) => e.action)).toEqual(["platform.view.after_regulated"]);
    // The stamp is in the row itself, written by the database (the application cannot choose it).
    const stamps = await pool.query(`SELECT action, regulated FROM audit_events WHERE tenant_id = $1 AND action LIKE 'platform.view.%' ORDER BY id`, [regulated.id]);
    expect(stamps.rows.map((r) => [r.action, r.regulated])).toEqual([
      ...Array.from({ length: 4 }, () => ["platform.view.regulated", true]),
      ["platform.view.after_regulated", false],
    ]);
  });

  it("shows regulated totals only over at least 5 tenants, else no numbers", async () => {
    /** The function's answer and the truth, read in one snapshot (other test files write too). */
    const snapshot = async () => {
      const c = await pool.connect();
      try {
        await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
        const truth = await c.query(`
          SELECT count(*)::int AS tenants FROM tenants t WHERE t.status <> 'deleted' AND (credo_tenant_regulated(t.id)
             OR EXISTS (SELECT 1 FROM audit_events e WHERE e.tenant_id = t.id AND e.regulated AND e.occurred_at >= now() - interval '1 day'))`);
        await c.query("SET LOCAL ROLE credo_app");
        const got = await c.query(`SELECT tenants, events FROM platform_audit_regulated_summary(now() - interval '1 day')`);
        await c.query("ROLLBACK");
        return { truth: truth.rows[0].tenants as number, tenants: got.rows[0].tenants as string | null, events: got.rows[0].events as string | null };
      } finally {
        c.release();
      }
    };
    const makeRegulated = async () => {
      const t = await bareTenant();
      await inTenant(t.id, (s) => writeRegulatedMode(s, true, new Date()));
      await appendChained(t.id, [{ action: "platform.k.regulated" }]);
      return t;
    };
    await makeRegulated();
    let s = await snapshot();
    if (s.truth < 5) expect({ tenants: s.tenants, events: s.events }).toEqual({ tenants: null, events: null });
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    for (let i = 0; i < 5; i++) await makeRegulated();
    s = await snapshot();
    expect(s.truth).toBeGreaterThanOrEqual(5);
    expect(Number(s.tenants)).toBe(s.truth);
    expect(Number(s.events)).toBeGreaterThanOrEqual(6);
    const page = await admin.platform.audit.tenantEvents({ limit: 5 });
    expect(page.regulated.tenants).toBeGreaterThanOrEqual(5);
    expect(page.regulated.minTenants).toBe(5);
  });

  it("is for security admins only, and the SQL door refuses a tenant scope", async () => {
    const t = await bareTenant();
    const owner = await makeUser();
    expect(await rejection(callerFor(owner.id).platform.audit.tenantEvents({}))).toMatchObject({ code: "FORBIDDEN" });
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT * FROM platform_audit_feed(NULL, 10)`)).rejects.toThrow(/not available inside a tenant scope/);
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT * FROM platform_audit_regulated_summary(now())`)).rejects.toThrow(/not available inside a tenant scope/);
    // The functions run as credo_audit_feed (migration 20261206103000), whose cross-tenant SELECT
    // policies the app's login role can never assume.
    const runtime = new pg.Client({ connectionString: inject("runtimeDatabaseUrl") });
    await runtime.connect();
    try {
      await expect(runtime.query("SET ROLE credo_audit_feed")).rejects.toThrow(/permission denied/);
      const seen = await runtime.query("BEGIN; SET LOCAL ROLE credo_app; SELECT count(*)::int AS n FROM audit_events");
      expect((seen as unknown as pg.QueryResult[])[2]!.rows[0].n).toBe(0);
      await runtime.query("ROLLBACK");
    } finally {
      await runtime.end();
    }
    // After the call the transaction still has no tenant scope.
    const scope = await pool.connect();
    try {
      await scope.query("BEGIN");
      await scope.query("SET LOCAL ROLE credo_app");
      await scope.query("SELECT count(*) FROM platform_audit_feed(NULL, 5)");
      const after = await scope.query("SELECT current_setting('app.tenant_id', true) AS t");
      expect(after.rows[0].t ?? "").toBe("");
      await scope.query("ROLLBACK");
    } finally {
      scope.release();
    }
  });

  it("its regulated-mode rule equals the policies module's, for every combination of global and tenant values", async () => {
    const globals: (boolean | null | "junk")[] = [null, true, false];
    const tenantValues: (boolean | null | "junk")[] = [null, true, false, "junk"];
    const inserted: number[] = [];
    const maxGlobal = async () => Number((await pool.query("SELECT coalesce(max(version), 0) AS v FROM global_policy_versions")).rows[0].v);
    try {
      for (const g of globals) {
        if (g !== null) {
          const v = (await maxGlobal()) + 1;
          await pool.query(`INSERT INTO global_policy_versions (version, document, author_label, comment) VALUES ($1, $2, 'test', 'test')`, [v, JSON.stringify({ regulated: { enabled: g } })]);
          inserted.push(v);
        }
        for (const tv of tenantValues) {
          const t = await bareTenant();
          if (tv !== null) {
            await inTenant(t.id, (s) =>
              insertTenantVersion(s, TENANT_SCOPE_KEY, null, { version: 1, document: { regulated: { enabled: tv } }, authorId: null, authorLabel: "test", comment: "test", createdAt: new Date() }),
            );
          }
          const ts = (await inTenant(t.id, (s) => readTenantPolicy(s))).regulatedMode;
          const sql = (await pool.query(`SELECT credo_tenant_regulated($1) AS r`, [t.id])).rows[0].r as boolean;
          expect({ g, tv, sql }).toEqual({ g, tv, sql: ts });
        }
      }
    } finally {
      if (inserted.length) await pool.query(`DELETE FROM global_policy_versions WHERE version = ANY($1::int[])`, [inserted]);
    }
  });
});
