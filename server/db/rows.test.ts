// queryRows (server/db/rows.ts): a door's reads on the transaction's own connection. They must be
// in that transaction (its role, its scope, its uncommitted rows), typed as $queryRaw types them,
// and never reach the connection once the transaction is over — by then it may carry another
// tenant's transaction. On the real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "./generated/client";
import { prismaClient } from "./client";
import { inTenant, onPlatform, type Db } from "./doors";
import { queryRows } from "./rows";
import { installStatementLog, recordCalls } from "./statement-log";
import { twoTenants, type TestTenant } from "../testing/fixtures";

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  installStatementLog();
  [a, b] = await twoTenants();
});

const SCOPE = Prisma.sql`SELECT current_user::text AS role, current_setting('app.tenant_id', true) AS tenant, pg_backend_pid() AS pid`;

/** Every type the repositories read, once each (and as arrays where they read arrays). */
const TYPES = Prisma.sql`
  SELECT 9007199254740993::int8 AS big, ARRAY[1, NULL, 3]::int8[] AS bigs, 42::int4 AS int, true AS bool, 'x'::text AS text,
         ARRAY['a', NULL]::varchar(8)[] AS texts, '6f1c1a59-58a5-4c0b-9a0b-0f5cf2a1c2d3'::uuid AS id,
         '2026-12-06 10:11:12.345+00'::timestamptz AS at, '2026-12-06 10:11:12.345'::timestamp AS naive,
         ARRAY['2026-12-06 10:11:12']::timestamp[] AS naives, '{"k": [1, "two", null]}'::jsonb AS doc, '\\x00ff10'::bytea AS bytes,
         NULL::text AS nothing`;

describe("queryRows", () => {
  it("runs in the door's transaction: its role, its tenant scope, its own uncommitted writes, on its connection", async () => {
    const label = `rows-${Date.now()}`;
    const { result, calls } = await recordCalls(() =>
      inTenant(a.id, async (scope) => {
        const [viaPrisma] = await scope.db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        await scope.db.auditEvent.create({ data: { tenantId: a.id, actorType: "system", action: "rows.test", targetType: "test", targetId: label } });
        const [where] = await queryRows<{ role: string; tenant: string; pid: number }>(scope.db, SCOPE);
        // No tenant filter in the SQL: row level security alone keeps other tenants' events out.
        const events = await queryRows<{ tenant_id: string; target_id: string }>(scope.db, Prisma.sql`SELECT tenant_id, target_id FROM audit_events`);
        return { viaPrisma: viaPrisma!.pid, where: where!, events };
      }),
    );
    expect(result.where).toMatchObject({ role: "credo_app", tenant: a.id, pid: result.viaPrisma });
    expect(result.events.map((e) => e.target_id)).toContain(label);
    expect(new Set(result.events.map((e) => e.tenant_id))).toEqual(new Set([a.id]));
    // Sent by pg itself (no rowMode "array": that is Prisma's adapter), between BEGIN and COMMIT.
    const texts = calls.map((c) => c.text);
    expect(texts.filter((t) => t.startsWith("SELECT current_user"))).toHaveLength(1);
    expect(texts[texts.length - 1]).toBe("COMMIT");
  });

  it("with keepPlan, prepares the statement once per connection (PostgreSQL keeps its plan); without, never", async () => {
    const seen = await inTenant(a.id, async (scope) => {
      await queryRows(scope.db, SCOPE, { keepPlan: true });
      return queryRows<{ name: string; statement: string }>(scope.db, Prisma.sql`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'credo_rows_%'`);
    });
    expect(seen.map((r) => r.statement)).toContain(SCOPE.text);
    expect(seen.some((r) => r.statement.includes("pg_prepared_statements"))).toBe(false);
  });

  it("types its rows as $queryRaw does (bigint, Date, parsed JSON, bytes), whichever way it goes", async () => {
    const direct = await onPlatform((db) => queryRows<Record<string, unknown>>(db, TYPES));
    // A transaction no door opened: no connection noted, so queryRows goes through $queryRaw.
    const viaPrisma = await prismaClient().$transaction((db) => queryRows<Record<string, unknown>>(db, TYPES));
    const bytesOf = (r: Record<string, unknown>) => ({ ...r, bytes: Array.from(r.bytes as Uint8Array) });
    expect(Buffer.isBuffer(direct[0]!.bytes)).toBe(true); // pg's own parse: the direct path was taken
    expect(Buffer.isBuffer(viaPrisma[0]!.bytes)).toBe(false);
    expect(bytesOf(direct[0]!)).toEqual(bytesOf(viaPrisma[0]!));
    expect(direct[0]).toMatchObject({
      big: 9007199254740993n,
      bigs: [1n, null, 3n],
      int: 42,
      texts: ["a", null],
      at: new Date("2026-12-06T10:11:12.345Z"),
      naive: new Date("2026-12-06T10:11:12.345Z"),
      naives: [new Date("2026-12-06T10:11:12Z")],
      doc: { k: [1, "two", null] },
      nothing: null,
    });
  });

  it("never reaches the connection after the transaction ended, even when it now carries another tenant's", async () => {
    let leaked: Db | null = null;
    const pid = await inTenant(a.id, async (scope) => {
      leaked = scope.db;
      return (await queryRows<{ pid: number }>(scope.db, SCOPE))[0]!.pid;
    });
    const inB = await inTenant(b.id, async (scope) => {
      const mine = (await queryRows<{ pid: number; tenant: string }>(scope.db, SCOPE))[0]!;
      const stale = await queryRows(leaked!, SCOPE).then(
        (rows) => ({ rows }),
        (e: unknown) => ({ error: e }),
      );
      return { mine, stale };
    });
    // The pool hands the same connection to B's transaction (most recently released first)…
    expect(inB.mine).toMatchObject({ pid, tenant: b.id });
    // …and A's ended handle is refused instead of reading in B's scope.
    expect(inB.stale).toHaveProperty("error");
  });

  it("is refused after a rolled-back transaction too", async () => {
    let leaked: Db | null = null;
    await expect(
      inTenant(a.id, async (scope) => {
        leaked = scope.db;
        await queryRows(scope.db, SCOPE);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const stale = await inTenant(b.id, () => queryRows(leaked!, SCOPE).then(() => "read", () => "refused"));
    expect(stale).toBe("refused");
  });
});
