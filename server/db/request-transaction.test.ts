// joinRequestTransaction (server/db/doors.ts): while a user/platform request runs, the doors join its
// one transaction, each in its own scope, one at a time; work the request left behind (a timer armed
// during it) opens transactions of its own once the request is over. On the real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { prismaClient } from "./client";
import { asUser, inTenant, joinRequestTransaction, onPlatform, type Db } from "./doors";
import { installStatementLog, recordCalls, summarize } from "./statement-log";
import { makeTenant, makeUser } from "../testing/fixtures";

let user: { id: string };
let tenant: Awaited<ReturnType<typeof makeTenant>>;

beforeAll(async () => {
  installStatementLog();
  user = await makeUser();
  tenant = await makeTenant();
});

/** The scope a door's transaction is in, as the RLS policies read it. */
async function scopeOf(db: Db): Promise<{ user: string; tenant: string; role: string }> {
  const rows = await db.$queryRaw<{ user: string; tenant: string; role: string }[]>`
    SELECT current_setting('app.user_id', true) AS user, current_setting('app.tenant_id', true) AS tenant, current_user::text AS role`;
  return rows[0]!;
}

/** A request transaction as the tRPC middleware opens it (the request context leaves it in the user's scope). */
function request<T>(fn: () => Promise<T>): Promise<T> {
  return prismaClient().$transaction(async (db) => {
    await db.$queryRaw`SELECT set_config('role', 'credo_app', true), set_config('app.tenant_id', '', true), set_config('app.user_id', ${user.id}, true)`;
    return joinRequestTransaction(db, user.id, fn);
  });
}

describe("doors inside a request transaction", () => {
  it("join it: one BEGIN, each door in its own scope, siblings one after another", async () => {
    const { result, calls } = await recordCalls(() =>
      request(() =>
        Promise.all([
          asUser(user.id, scopeOf),
          onPlatform(scopeOf),
          inTenant(tenant.id, (scope) => scopeOf(scope.db)),
          asUser(user.id, scopeOf),
        ]),
      ),
    );
    expect(summarize(calls).transactions).toBe(1);
    const [mine, platform, inside, mineAgain] = result;
    expect(mine).toEqual({ user: user.id, tenant: "", role: "credo_app" });
    expect(platform).toEqual({ user: "", tenant: "", role: "credo_app" });
    expect(inside).toEqual({ user: "", tenant: tenant.id, role: "credo_app" });
    expect(mineAgain).toEqual({ user: user.id, tenant: "", role: "credo_app" });
  });

  it("a door opened inside a joined door gets a transaction of its own (the outer scope stays put)", async () => {
    const { result, calls } = await recordCalls(() =>
      request(() =>
        onPlatform(async (db) => {
          const inner = await inTenant(tenant.id, (scope) => scopeOf(scope.db));
          return { inner, outer: await scopeOf(db) };
        }),
      ),
    );
    expect(summarize(calls).transactions).toBe(2);
    expect(result.inner.tenant).toBe(tenant.id);
    expect(result.outer).toEqual({ user: "", tenant: "", role: "credo_app" });
  });

  it("work armed during the request but run after it opens its own transaction", async () => {
    let later: Promise<{ user: string; tenant: string }> | null = null;
    await request(async () => {
      later = new Promise((r) => setTimeout(r, 50)).then(() => asUser(user.id, scopeOf));
    });
    await expect(later!).resolves.toMatchObject({ user: user.id, tenant: "" });
  });

  it("a failing door rolls the whole request back", async () => {
    const name = `rolled-back-${Date.now()}`;
    await expect(
      request(async () => {
        await inTenant(tenant.id, (scope) => scope.db.workspace.create({ data: { tenantId: scope.tenantId, slug: "rb", name } }));
        await onPlatform(() => Promise.reject(new Error("fails after the write")));
      }),
    ).rejects.toThrow("fails after the write");
    expect(await inTenant(tenant.id, (scope) => scope.db.workspace.count({ where: { tenantId: scope.tenantId, name } }))).toBe(0);
  });
});
