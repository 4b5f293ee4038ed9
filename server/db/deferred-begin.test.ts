// The doors' deferred BEGIN (server/db/opening.ts): on a real server a door's transaction sends its
// BEGIN and scope with its first statement — in the same round trip when that is a read of
// queryRows — and never sends anything before them. These tests hold it to that: what goes over the
// wire (the statement log sees every pg query of the process), the scope every first statement runs
// in, values sent as literals reading back exactly as bind parameters do, and a failed opening
// letting nothing through. On the real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "./generated/client";
import { prismaClient } from "./client";
import { inTenant, onPlatform } from "./doors";
import { withOpening } from "./opening";
import { noteConnection, queryRows } from "./rows";
import { installStatementLog, recordCalls, summarize } from "./statement-log";
import { twoTenants, type TestTenant } from "../testing/fixtures";

let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  installStatementLog();
  [a, b] = await twoTenants("deferred.test");
});

const SCOPE = Prisma.sql`SELECT current_user::text AS role, current_setting('app.tenant_id', true) AS tenant`;
const sqlTexts = (calls: { kind: string; text: string }[]) => calls.filter((c) => c.kind === "sql").map((c) => c.text);

describe("a door's deferred BEGIN", () => {
  it("goes with a first queryRows read in ONE round trip, then COMMIT; the read runs in the door's role and scope", async () => {
    const { result, calls } = await recordCalls(() =>
      inTenant(a.id, async (scope) => {
        // No tenant filter: row level security alone must keep b's event out of this first read.
        const events = await queryRows<{ tenant_id: string; target_id: string }>(scope.db, Prisma.sql`SELECT tenant_id, target_id FROM audit_events WHERE action = ${"deferred.test"}`);
        const [where] = await queryRows<{ role: string; tenant: string }>(scope.db, SCOPE);
        return { events, where };
      }),
    );
    const texts = sqlTexts(calls);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^BEGIN; SELECT set_config\('role', 'credo_app', true\), set_config\('app.tenant_id', '[0-9a-f-]{36}', true\)/);
    // …and the page in the same query (the log keeps a statement's first 200 characters).
    expect(texts[0]).toContain("', true); SELECT tenant_id, target_id FROM");
    expect(texts[2]).toBe("COMMIT");
    expect(summarize(calls).transactions).toBe(1);
    expect(result.events).toEqual([{ tenant_id: a.id, target_id: a.slug }]);
    expect(result.where).toEqual({ role: "credo_app", tenant: a.id });
  });

  it("goes ahead of a first statement of Prisma's, in its own round trip, and that statement runs in the scope", async () => {
    const { result, calls } = await recordCalls(() =>
      inTenant(b.id, async (scope) => {
        const events = await scope.db.auditEvent.findMany({ where: { action: "deferred.test" }, select: { tenantId: true } });
        const [where] = await scope.db.$queryRaw<{ role: string; tenant: string }[]>(SCOPE);
        return { events, where };
      }),
    );
    const texts = sqlTexts(calls);
    expect(texts[0]).toMatch(/^BEGIN; SELECT set_config\('role', 'credo_app', true\)/);
    expect(texts[1]).toMatch(/FROM "public"\."audit_events"/);
    expect(texts[texts.length - 1]).toBe("COMMIT");
    expect(result.events).toEqual([{ tenantId: b.id }]);
    expect(result.where).toEqual({ role: "credo_app", tenant: b.id });
  });

  it("costs no round trip at all when the door sends nothing, whether it returns or throws", async () => {
    const { result, calls } = await recordCalls(() => inTenant(a.id, async () => 42));
    expect(result).toBe(42);
    expect(sqlTexts(calls)).toEqual([]);
    const failed = await recordCalls(() => inTenant(a.id, async () => Promise.reject(new Error("nothing to do"))).catch((e: Error) => e.message));
    expect(failed.result).toBe("nothing to do");
    expect(sqlTexts(failed.calls)).toEqual([]);
    // The pool's connections are fine afterwards: the next door reads in its own scope.
    const [where] = await inTenant(b.id, (scope) => queryRows<{ role: string; tenant: string }>(scope.db, SCOPE));
    expect(where).toEqual({ role: "credo_app", tenant: b.id });
  });

  it("sends values as literals that read back exactly as bind parameters do", async () => {
    const values = ["it's \\ \"quoted\" — ünïcødé 🗝️ $1 $2", new Date("2026-12-06T10:11:12.345Z"), 9007199254740993n, 41, true, null, "x%_\\"];
    const sql = Prisma.sql`SELECT ${values[0]}::text AS s, ${values[1]}::timestamptz AS d, ${values[2]}::bigint AS b, ${values[3]}::int + 1 AS n,
      ${values[4]}::boolean AS f, ${values[5]}::text AS z, ${values[6]} AS u, ${"a"} || ${"b"} AS joined FROM generate_series(1, 3) LIMIT ${2}`;
    const { result: merged, calls } = await recordCalls(() => onPlatform((db) => queryRows<Record<string, unknown>>(db, sql)));
    expect(sqlTexts(calls)).toHaveLength(2); // the read went with the BEGIN
    // A transaction no door opened: the same statement with bind parameters, through Prisma.
    const bound = await prismaClient().$transaction((db) => queryRows<Record<string, unknown>>(db, sql));
    expect(merged).toEqual(bound);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ s: values[0], d: values[1], b: values[2], n: 42, f: true, z: null, u: values[6], joined: "ab" });
  });

  it("goes ahead on its own when a first read's values have no literal form (an array)", async () => {
    const { result, calls } = await recordCalls(() =>
      inTenant(a.id, (scope) => queryRows<{ n: number }>(scope.db, Prisma.sql`SELECT count(*)::int AS n FROM audit_events WHERE action = ANY(${["deferred.test"]}::text[])`)),
    );
    const texts = sqlTexts(calls);
    expect(texts[0]).toMatch(/^BEGIN; SELECT set_config/);
    expect(texts[1]).toMatch(/^SELECT count/);
    expect(result).toEqual([{ n: 1 }]);
  });

  it("a value holding NUL is bound, not spliced (the simple protocol would cut the query at it)", async () => {
    const { result, calls } = await recordCalls(() =>
      inTenant(a.id, (scope) => queryRows(scope.db, Prisma.sql`SELECT count(*) FROM audit_events WHERE action = ${"deferred\0test"}`)).catch((e: Error) => e.message),
    );
    expect(result).toMatch(/invalid byte sequence/);
    const texts = sqlTexts(calls);
    expect(texts[0]).toMatch(/^BEGIN; SELECT set_config\('role', 'credo_app', true\), set_config\('app.tenant_id', '[0-9a-f-]{36}', true\), set_config\('app.user_id', '', true\)$/);
    expect(texts[1]).toMatch(/^SELECT count\(\*\) FROM audit_events WHERE action = \$1$/);
  });

  it("a first read that fails rolls the transaction back and leaves the connection clean", async () => {
    const { result, calls } = await recordCalls(() =>
      inTenant(a.id, (scope) => queryRows(scope.db, Prisma.sql`SELECT 1 / ${0}::int AS boom`)).catch((e: Error) => e.message),
    );
    expect(result).toMatch(/division by zero/);
    const texts = sqlTexts(calls);
    expect(texts[0]).toMatch(/^BEGIN; SELECT set_config/);
    expect(texts[texts.length - 1]).toBe("ROLLBACK");
    const [where] = await inTenant(b.id, (scope) => queryRows<{ role: string; tenant: string }>(scope.db, SCOPE));
    expect(where).toEqual({ role: "credo_app", tenant: b.id });
  });

  it("lets nothing through after an opening that failed: the statement waiting for it is never sent", async () => {
    const marker = `never-sent-${Date.now()}`;
    const attempt = (first: (db: Prisma.TransactionClient) => Promise<unknown>) =>
      withOpening(
        "SELECT 1 / 0",
        (opened) =>
          prismaClient().$transaction(async (db) => {
            noteConnection(db, opened.connection);
            return first(db);
          }),
        { defer: true },
      ).then(
        () => "ran",
        (e: Error) => e.message,
      );
    for (const first of [
      (db: Prisma.TransactionClient) => db.$queryRawUnsafe(`SELECT '${marker}' AS m`),
      (db: Prisma.TransactionClient) => queryRows(db, Prisma.sql`SELECT ${marker} AS m, ${[1]}::int[] AS a`),
      (db: Prisma.TransactionClient) => queryRows(db, Prisma.sql`SELECT ${marker} AS m`),
    ]) {
      const { result, calls } = await recordCalls(() => attempt(first));
      expect(result).toMatch(/division by zero/);
      const texts = sqlTexts(calls);
      expect(texts[0]).toMatch(/^BEGIN; SELECT 1 \/ 0/);
      // Merged into the opening's own query (the third) or never sent (the first two): never on its own.
      expect(texts.slice(1).some((t) => t.includes(marker))).toBe(false);
    }
  });
});

describe("a read-only door", () => {
  it("begins READ ONLY: PostgreSQL refuses a write, whichever way it is sent, and nothing is written", async () => {
    const label = `read-only-${Date.now()}`;
    const write = (scope: { db: Prisma.TransactionClient; tenantId: string }) =>
      scope.db.auditEvent.create({ data: { tenantId: scope.tenantId, actorType: "system", action: "deferred.test", targetType: "test", targetId: label } });
    const { result, calls } = await recordCalls(() => inTenant(a.id, (scope) => write(scope).then(() => "written", (e: Error) => e.message), { readOnly: true }));
    expect(result).toMatch(/read-only transaction/);
    expect(sqlTexts(calls)[0]).toMatch(/^BEGIN READ ONLY; SELECT set_config\('role', 'credo_app', true\)/);
    const viaFunction = await inTenant(a.id, (scope) => queryRows(scope.db, Prisma.sql`SELECT nextval('audit_events_id_seq') AS n`).then(() => "written", (e: Error) => e.message), { readOnly: true });
    expect(viaFunction).toMatch(/read-only transaction/);
    expect(await inTenant(a.id, (scope) => scope.db.auditEvent.count({ where: { targetId: label } }))).toBe(0);
  });

  it("reads in its scope, and its COMMIT ends the transaction before the connection's next one begins", async () => {
    const STATE = Prisma.sql`SELECT current_user::text AS role, current_setting('app.tenant_id', true) AS tenant, pg_backend_pid() AS pid,
      current_setting('transaction_read_only') AS ro, txid_current_if_assigned() IS NULL AS no_xid, statement_timestamp() AS at`;
    type State = { role: string; tenant: string; pid: number; ro: string; no_xid: boolean; at: Date };
    const { result: first, calls } = await recordCalls(() => inTenant(a.id, async (scope) => (await queryRows<State>(scope.db, STATE))[0]!, { readOnly: true }));
    expect(first).toMatchObject({ role: "credo_app", tenant: a.id, ro: "on", no_xid: true });
    expect(sqlTexts(calls)).toEqual([expect.stringMatching(/^BEGIN READ ONLY; /), "COMMIT"]);
    // The same connection at once (the pool hands out the most recently released): a new
    // transaction, read-write, in the new scope.
    const next = await inTenant(b.id, async (scope) => (await queryRows<State>(scope.db, STATE))[0]!);
    expect(next).toMatchObject({ role: "credo_app", tenant: b.id, pid: first.pid, ro: "off" });
  });
});
