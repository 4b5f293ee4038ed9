// inTenantPlainOneTrip (server/db/plain-door.ts): a whole tenant transaction in one round trip —
// runtime role, tenant scope and RLS as inTenant's, the values quoted exactly, a raise rolls back,
// and the pooled connection comes back clean. On the real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { closePlainDoor, inTenantPlainOneTrip } from "./plain-door";
import { installStatementLog, recordCalls } from "./statement-log";
import { makeTenant } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";
import type { TenantId } from "../tenancy/tenant-id";

let a: { id: TenantId; slug: string };
let b: { id: TenantId; slug: string };
let owner: pg.Pool;

beforeAll(async () => {
  installStatementLog();
  a = await makeTenant();
  b = await makeTenant();
  owner = superuserPool();
});
afterAll(async () => {
  await closePlainDoor();
  await owner.end();
});

const INSERT = `INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1::uuid, $2::text, $3::text) RETURNING slug, name`;

describe("inTenantPlainOneTrip", () => {
  it("runs as the runtime role in the tenant's scope, under RLS, in one round trip", async () => {
    const { result, calls } = await recordCalls(() =>
      inTenantPlainOneTrip<{ role: string; tenant: string; tenants: number; in_tx: boolean }>(
        a.id,
        `SELECT current_user::text AS role, current_setting('app.tenant_id') AS tenant,
                (SELECT count(DISTINCT tenant_id)::int FROM audit_events) AS tenants,
                now() <> clock_timestamp() AS in_tx`,
        [],
      ),
    );
    expect(result).toEqual([{ role: "credo_app", tenant: a.id, tenants: 1, in_tx: true }]);
    // One statement sent to the server: BEGIN, scope, the statement and COMMIT together.
    expect(calls.filter((c) => c.kind === "sql")).toHaveLength(1);
  });

  it("quotes every value exactly (quotes, backslashes, a $n inside a value) and commits", async () => {
    const name = `it's a \\ "test" $2 ; -- ${"\n"}=cmd`;
    const rows = await inTenantPlainOneTrip<{ slug: string; name: string }>(a.id, INSERT, [a.id, "ws-quoting", name]);
    expect(rows).toEqual([{ slug: "ws-quoting", name }]);
    const stored = await owner.query(`SELECT name FROM workspaces WHERE tenant_id = $1 AND slug = 'ws-quoting'`, [a.id]);
    expect(stored.rows).toEqual([{ name }]);
  });

  it("cannot write another tenant's row (RLS), and nothing is left behind", async () => {
    await expect(inTenantPlainOneTrip(a.id, INSERT, [b.id, "ws-foreign", "foreign"])).rejects.toThrow(/row-level security/);
    const stored = await owner.query(`SELECT 1 FROM workspaces WHERE slug = 'ws-foreign'`);
    expect(stored.rowCount).toBe(0);
  });

  it("a raise rolls the whole transaction back and the connection is reusable", async () => {
    await expect(
      inTenantPlainOneTrip(a.id, `WITH w AS (${INSERT}) SELECT 1 / (SELECT count(*)::int - 1 FROM w) AS boom`, [a.id, "ws-rolled-back", "x"]),
    ).rejects.toThrow(/division by zero/);
    expect((await owner.query(`SELECT 1 FROM workspaces WHERE slug = 'ws-rolled-back'`)).rowCount).toBe(0);
    // The pool has two connections: both are in a clean state (no aborted transaction, no scope).
    for (let i = 0; i < 4; i++) {
      const [r] = await inTenantPlainOneTrip<{ tenant: string }>(b.id, `SELECT current_setting('app.tenant_id') AS tenant`, []);
      expect(r).toEqual({ tenant: b.id });
    }
  });

  it("refuses a tenant id that is not a UUID, and a placeholder without a value", async () => {
    await expect(inTenantPlainOneTrip("x'; DROP TABLE tenants; --" as TenantId, "SELECT 1", [])).rejects.toThrow(/UUID/);
    await expect(inTenantPlainOneTrip(a.id, "SELECT $1::text, $2::text AS v", ["one"])).rejects.toThrow(/no value for \$2/);
  });
});
