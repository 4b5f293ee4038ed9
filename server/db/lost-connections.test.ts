// surviveLostConnections (server/db/lost-connections.ts): a connection the server ends while a door
// holds it BETWEEN two statements fails that door's work — never the process (an "error" event with
// no listener is an uncaught exception, which Vitest reports as a failed run) — and the door works
// again afterwards. For every pool of server/db, on the real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { inTenant } from "./doors";
import { closePlainDoor, inTenantPlain } from "./plain-door";
import { closeCopyDoor, inTenantCopy } from "./copy-door";
import { makeTenant } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";
import type { TenantId } from "../tenancy/tenant-id";
import { captureLogs, runWithLogContext } from "../observability/logger";

let tenant: { id: TenantId };
let owner: pg.Pool;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);

beforeAll(async () => {
  tenant = await makeTenant();
  owner = superuserPool();
  process.on("uncaughtException", onUncaught);
});
afterAll(async () => {
  process.off("uncaughtException", onUncaught);
  await Promise.all([closePlainDoor(), closeCopyDoor()]);
  await owner.end();
});

/** Ends backend `pid` from outside and waits until the server has let it go (its FATAL is sent). */
async function terminate(pid: number): Promise<void> {
  await owner.query("SELECT pg_terminate_backend($1)", [pid]);
  for (let i = 0; i < 100; i++) {
    const { rowCount } = await owner.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
    if (rowCount === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // The FATAL message reaches the idle, checked-out client's socket now: let its "error" event fire.
  await new Promise((r) => setTimeout(r, 100));
}

type Door = (body: (query: (sql: string) => Promise<Array<Record<string, unknown>>>) => Promise<unknown>) => Promise<unknown>;

const doors: Array<[string, Door]> = [
  ["app pool (inTenant)", (body) => inTenant(tenant.id, ({ db }) => body((sql) => db.$queryRawUnsafe(sql)))],
  ["plain door (inTenantPlain)", (body) => inTenantPlain(tenant.id, (tx) => body((sql) => tx.query(sql)))],
  ["copy door (inTenantCopy)", (body) => inTenantCopy(tenant.id, {}, (tx) => body((sql) => tx.query(sql)))],
];

describe("a connection lost while a door holds it", () => {
  for (const [name, door] of doors) {
    it(`${name}: the work fails with an error, the process does not, and the door works again`, async () => {
      let reached = false;
      // Inside a request's log context, as the console's doors run: the connection may be opened here.
      const { result, lines } = await captureLogs(() =>
        runWithLogContext({ requestId: "req-lost-connection", tenantId: tenant.id }, () =>
          door(async (query) => {
            const [row] = await query("SELECT pg_backend_pid() AS pid");
            await terminate(Number(row!.pid));
            await query("SELECT 1");
            reached = true;
          }).then(
            () => "resolved",
            (e: unknown) => e,
          ),
        ),
      );
      expect(result).toBeInstanceOf(Error);
      expect(reached).toBe(false);
      // The loss is logged as the pool's, not as some request's (the socket's async context is the opener's).
      const lost = lines.filter((l) => l.msg === "database connection lost");
      expect(lost.length).toBeGreaterThan(0);
      for (const l of lost) expect(l).not.toHaveProperty("requestId");
      expect(uncaught).toEqual([]);
      const rows = (await door((query) => query("SELECT current_setting('app.tenant_id') AS t"))) as Array<{ t: string }>;
      expect(rows).toEqual([{ t: tenant.id }]);
    });
  }
});
