// The read door (server/db/doors.ts readInTenant): a read-only tenant transaction without Prisma.
// These tests hold it to the doors' rules on the real PostgreSQL: what goes over the wire (one round
// trip for a one-read door, nothing before its BEGIN and scope), row level security as the only
// filter keeping another tenant's rows out, writes refused, a handle that is dead once its door has
// closed, and a connection that goes back to the pool with nothing of the tenant left on it.
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "./generated/client";
import { appPool, prismaClient } from "./client";
import { inTenant, joinRequestTransaction, readInTenant, type TenantReadScope } from "./doors";
import { queryRows } from "./rows";
import { installStatementLog, recordCalls } from "./statement-log";
import { twoTenants, type TestTenant } from "../testing/fixtures";
import { listAuditEvents } from "../audit/repository";

let a: TestTenant;
let b: TestTenant;
const ACTION = "read-door.test";

beforeAll(async () => {
  installStatementLog();
  [a, b] = await twoTenants(ACTION);
});

const STATE = Prisma.sql`SELECT current_user::text AS role, current_setting('app.tenant_id', true) AS tenant,
  current_setting('transaction_read_only') AS ro, pg_backend_pid() AS pid`;
type State = { role: string; tenant: string; ro: string; pid: number };
const sqlTexts = (calls: { kind: string; text: string }[]) => calls.filter((c) => c.kind === "sql").map((c) => c.text);

describe("the read door", () => {
  it("sends BEGIN READ ONLY, role, scope and its first read in ONE round trip, then a COMMIT; RLS alone keeps the other tenant out", async () => {
    const { result, calls } = await recordCalls(() =>
      readInTenant(a.id, async (scope) => {
        // No tenant filter: only row level security can keep b's event out of this read.
        const events = await queryRows<{ tenant_id: string; target_id: string }>(scope.db, Prisma.sql`SELECT tenant_id, target_id FROM audit_events WHERE action = ${ACTION}`);
        // b's row asked for by its tenant id: still nothing.
        const foreign = await queryRows(scope.db, Prisma.sql`SELECT id FROM audit_events WHERE tenant_id = ${b.id}::uuid`);
        const [state] = await queryRows<State>(scope.db, STATE);
        return { events, foreign, state };
      }),
    );
    const texts = sqlTexts(calls);
    expect(texts[0]).toMatch(/^BEGIN READ ONLY; SELECT set_config\('role', 'credo_app', true\), set_config\('app.tenant_id', '[0-9a-f-]{36}', true\)/);
    // …and the read in the same query (the log keeps a statement's first 200 characters).
    expect(texts[0]).toContain("', true); SELECT tenant_id, target_");
    expect(texts).toHaveLength(4);
    expect(texts[3]).toBe("COMMIT");
    expect(result.events).toEqual([{ tenant_id: a.id, target_id: a.slug }]);
    expect(result.foreign).toEqual([]);
    expect(result.state).toMatchObject({ role: "credo_app", tenant: a.id, ro: "on" });
  });

  it("reads an audit page as inTenant does (the viewer's repository takes either scope)", async () => {
    const viaRead = await readInTenant(b.id, (scope) => listAuditEvents(scope, { actionPrefix: "read-door.", limit: 10 }));
    const viaDoor = await inTenant(b.id, (scope) => listAuditEvents(scope, { actionPrefix: "read-door.", limit: 10 }));
    expect(viaRead).toEqual(viaDoor);
    expect(viaRead.items.map((e) => [e.tenantId, e.targetId])).toEqual([[b.id, b.slug]]);
  });

  it("refuses a write, whichever way it is asked, and writes nothing", async () => {
    const label = `read-door-write-${Date.now()}`;
    const insert = Prisma.sql`INSERT INTO audit_events (tenant_id, actor_type, action, target_type, target_id) VALUES (${a.id}::uuid, 'system', ${ACTION}, 'test', ${label}) RETURNING id`;
    const first = await readInTenant(a.id, (scope) => queryRows(scope.db, insert)).catch((e: Error) => e.message);
    expect(first).toMatch(/read-only transaction/);
    const later = await readInTenant(a.id, async (scope) => {
      await queryRows(scope.db, STATE);
      return queryRows(scope.db, Prisma.sql`SELECT nextval('audit_events_id_seq')`);
    }).catch((e: Error) => e.message);
    expect(later).toMatch(/read-only transaction/);
    expect(await inTenant(a.id, (scope) => scope.db.auditEvent.count({ where: { targetId: label } }))).toBe(0);
  });

  it("costs no round trip when it reads nothing, whether it returns or throws", async () => {
    const { result, calls } = await recordCalls(() => readInTenant(a.id, async () => 7));
    expect(result).toBe(7);
    expect(sqlTexts(calls)).toEqual([]);
    const failed = await recordCalls(() => readInTenant(a.id, () => Promise.reject(new Error("nothing read"))).catch((e: Error) => e.message));
    expect(failed.result).toBe("nothing read");
    expect(sqlTexts(failed.calls)).toEqual([]);
  });

  it("rolls back a failed read and hands the connection back clean: no role, no tenant, no transaction", async () => {
    const { result, calls } = await recordCalls(() => readInTenant(a.id, (scope) => queryRows(scope.db, Prisma.sql`SELECT 1 / ${0}::int AS boom`)).catch((e: Error) => e.message));
    expect(result).toMatch(/division by zero/);
    expect(sqlTexts(calls).at(-1)).toBe("ROLLBACK");
    const pool = appPool();
    const client = await pool.connect();
    try {
      const r = await client.query<{ tenant: string | null; role: string; in_tx: boolean }>(
        "SELECT current_setting('app.tenant_id', true) AS tenant, current_user::text AS role, now() <> statement_timestamp() AS in_tx",
      );
      expect(r.rows[0]!.tenant ?? "").toBe("");
      expect(r.rows[0]!.role).not.toBe("credo_app");
      expect(r.rows[0]!.in_tx).toBe(false);
    } finally {
      client.release();
    }
  });

  it("sends its BEGIN and scope ahead of a first read whose values have no literal form", async () => {
    const { result, calls } = await recordCalls(() =>
      readInTenant(a.id, (scope) => queryRows<{ n: number }>(scope.db, Prisma.sql`SELECT count(*)::int AS n FROM audit_events WHERE action = ANY(${[ACTION]}::text[])`)),
    );
    const texts = sqlTexts(calls);
    expect(texts[0]).toMatch(/^BEGIN READ ONLY; SELECT set_config\('role', 'credo_app', true\), set_config\('app.tenant_id', '[0-9a-f-]{36}', true\), set_config\('app.user_id', '', true\)$/);
    expect(texts[1]).toMatch(/^SELECT count/);
    expect(result).toEqual([{ n: 1 }]);
  });

  it("gives a handle that is dead once the door has closed: a late read fails and sends nothing", async () => {
    let kept: TenantReadScope | null = null;
    await readInTenant(a.id, async (scope) => {
      kept = scope;
      await queryRows(scope.db, STATE);
    });
    const { result, calls } = await recordCalls(() => queryRows(kept!.db, Prisma.sql`SELECT id FROM audit_events`).catch((e: Error) => e.message));
    expect(result).toMatch(/read transaction has ended/);
    expect(sqlTexts(calls)).toEqual([]);
  });

  it("joins an operator's request transaction instead of opening its own", async () => {
    const { result, calls } = await recordCalls(() =>
      prismaClient().$transaction(async (db) => {
        const [outer] = await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        const inner = await joinRequestTransaction(db, "00000000-0000-4000-8000-000000000000", () => readInTenant(a.id, async (scope) => (await queryRows<State>(scope.db, STATE))[0]!));
        return { outer: outer!.pid, inner };
      }),
    );
    expect(result.inner).toMatchObject({ role: "credo_app", tenant: a.id, pid: result.outer });
    expect(sqlTexts(calls).some((t) => t.startsWith("BEGIN READ ONLY"))).toBe(false);
  });
});
