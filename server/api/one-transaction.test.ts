// A tenant procedure is ONE database transaction — operator, session, second-factor gate, tenant,
// membership and the procedure's own queries — and the rate limiter's Redis call is made before it
// opens, never while it is open. Counted on the real PostgreSQL and Redis with the statement log
// (server/db/statement-log.ts), which sees every statement this process sends.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, rejection, sessionFor, twoTenantWorld } from "../testing/fixtures";
import { installStatementLog, recordCalls, redisInsideTransactions, summarize } from "../db/statement-log";
import { redisClient } from "../redis";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;

beforeAll(async () => {
  installStatementLog();
  w = await twoTenantWorld();
  // Sign everyone in before recording (sessionFor creates the session row once per user).
  for (const u of [w.ownerA, w.ownerB, w.supportA, w.admin]) await sessionFor(u.id);
  // Lists with rows: an API key (its creator's standing is read with it) and a client with a secret.
  const a = callerFor(w.ownerA.id);
  await a.apiKeys.create({ tenant: w.a.slug, name: "listed", scopes: ["audit.read"], expiresInDays: 30 });
  await a.clients.create({ tenant: w.a.slug, name: "listed", type: "m2m", redirectUris: [], postLogoutRedirectUris: [], allowedOrigins: [] });
  // The limiter counts in Redis once the client is connected (before that: in-process insurance).
  const redis = redisClient();
  if (!redis) throw new Error("these tests need REDIS_URL");
  for (let i = 0; i < 100 && redis.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 50));
  expect(redis.status).toBe("ready");
});

describe("one transaction per tenant procedure", () => {
  it("list procedures: one BEGIN carrying the request context, ≤ 4 statements, Redis before the transaction and never inside it", async () => {
    const a = callerFor(w.ownerA.id);
    const lists: Record<string, () => Promise<unknown>> = {
      "clients.list": () => a.clients.list({ tenant: w.a.slug }),
      "keys.list": () => a.keys.list({ tenant: w.a.slug }),
      "apiKeys.list": () => a.apiKeys.list({ tenant: w.a.slug }),
      "audit.list": () => a.audit.list({ tenant: w.a.slug }),
    };
    for (const [name, call] of Object.entries(lists)) {
      await call(); // the first request of this session to the tenant learns the admission hint
      const { calls } = await recordCalls(call);
      const s = summarize(calls);
      expect({ name, transactions: s.transactions }).toEqual({ name, transactions: 1 });
      expect(s.statements, `${name}: ${calls.map((c) => c.text.slice(0, 60)).join(" | ")}`).toBeLessThanOrEqual(4);
      // The operator, session, tenant and membership read goes out with the BEGIN (server/db/opening.ts).
      expect(calls.find((c) => c.kind === "sql")?.text, name).toMatch(/^BEGIN; SELECT \* FROM credo_request_context\('/);
      expect(s.redis, `${name} is rate limited in Redis`).toBeGreaterThan(0);
      expect(redisInsideTransactions(calls), name).toEqual([]);
      // The Redis call comes first, then the transaction.
      expect(calls[0]!.kind, name).toBe("redis");
    }
  });

  it("the first request of a session to a tenant: admitted between two transactions, never inside one", async () => {
    const support = callerFor(w.supportA.id);
    const { calls } = await recordCalls(() => support.audit.list({ tenant: w.a.slug }));
    const s = summarize(calls);
    expect(s.transactions).toBe(2);
    expect(s.redis).toBeGreaterThan(0);
    expect(redisInsideTransactions(calls)).toEqual([]);
    const again = summarize((await recordCalls(() => support.audit.list({ tenant: w.a.slug }))).calls);
    expect(again.transactions).toBe(1);
  });

  it("security admins: one transaction and no Redis at all (never limited by a tenant)", async () => {
    const admin = callerFor(w.admin.id);
    for (let i = 0; i < 2; i++) {
      const { calls } = await recordCalls(() => admin.clients.list({ tenant: w.b.slug }));
      expect(summarize(calls)).toMatchObject({ transactions: 1, redis: 0 });
    }
  });

  it("a foreign tenant: NOT_FOUND in one transaction, and the foreign tenant's budget is not touched", async () => {
    const a = callerFor(w.ownerA.id);
    for (let i = 0; i < 2; i++) {
      const { result, calls } = await recordCalls(() => rejection(a.clients.list({ tenant: w.b.slug })));
      expect(result.code).toBe("NOT_FOUND");
      expect(summarize(calls)).toMatchObject({ transactions: 1, redis: 0 });
    }
  });

  it("a mutation: one transaction with its audit event, rolled back as a whole when it fails", async () => {
    const a = callerFor(w.ownerA.id);
    await a.apiKeys.list({ tenant: w.a.slug });
    const { result, calls } = await recordCalls(() => a.apiKeys.create({ tenant: w.a.slug, name: "one-tx", scopes: ["audit.read"], expiresInDays: 30 }));
    expect(result.value).toMatch(/./);
    const s = summarize(calls);
    expect(s.transactions).toBe(1);
    expect(redisInsideTransactions(calls)).toEqual([]);
    expect(calls.some((c) => /^COMMIT/i.test(c.text))).toBe(true);
    const failed = await recordCalls(() => rejection(a.apiKeys.revoke({ tenant: w.a.slug, keyId: "00000000-0000-4000-8000-000000000000" } as never)));
    expect(failed.result.code).not.toBe("OK");
    expect(summarize(failed.calls).transactions).toBe(1);
    expect(failed.calls.some((c) => /^ROLLBACK/i.test(c.text))).toBe(true);
  });
});

// User and platform procedures: the operator check (credo_request_context) and the procedure's own
// queries share ONE transaction too; the procedure's doors join it (server/db/doors.ts
// joinRequestTransaction). Procedures marked ownTransactions (Redis, mail, cache invalidation) keep
// their own transactions, outside of which their Redis calls happen.
describe("one transaction per user and platform procedure", () => {
  /** Runs a call once (warm caches), then records it. */
  async function recorded(call: () => Promise<unknown>) {
    await call();
    return (await recordCalls(call)).calls;
  }

  it("user procedures (me, account, sessions, factors): one BEGIN, the operator read first, no Redis", async () => {
    const a = callerFor(w.ownerA.id);
    const procedures: Record<string, () => Promise<unknown>> = {
      "me.profile": () => a.me.profile(),
      "me.tenants": () => a.me.tenants(),
      "account.profile": () => a.account.profile(),
      "sessions.mine": () => a.sessions.mine(),
      "factors.mine": () => a.factors.mine(),
    };
    for (const [name, call] of Object.entries(procedures)) {
      const calls = await recorded(call);
      const sql = calls.filter((c) => c.kind === "sql");
      expect({ name, ...summarize(calls) }).toMatchObject({ name, transactions: 1, redis: 0 });
      expect(sql[0]?.text, name).toMatch(/^BEGIN; SELECT \* FROM credo_request_context\('/);
      // The procedure's queries (if any) sit between the operator read and the COMMIT.
      expect(sql.at(-1)?.text, name).toMatch(/^COMMIT/i);
    }
  });

  it("platform procedures (audit, users, tenants, policies, deletions): one BEGIN each", async () => {
    const admin = callerFor(w.admin.id);
    const procedures: Record<string, () => Promise<unknown>> = {
      "platformAudit.list": () => admin.platform.audit.list({}),
      "platform.auditEvents": () => admin.platform.audit.tenantEvents({}),
      "platform.listTenants": () => admin.platform.tenants.list({}),
      "platformUsers.list": () => admin.platform.users.list({}),
      "globalPolicies.state": () => admin.platform.policies.state(),
      "platformDeletions.list": () => admin.platform.deletions.list({}),
      "platformSessions.sessions": () => admin.platform.sessions.list({ userId: w.ownerA.id }),
    };
    for (const [name, call] of Object.entries(procedures)) {
      const calls = await recorded(call);
      expect({ name, ...summarize(calls) }).toMatchObject({ name, transactions: 1, redis: 0 });
      expect(calls.filter((c) => c.kind === "sql")[0]?.text, name).toMatch(/^BEGIN; SELECT \* FROM credo_request_context\('/);
    }
  });

  it("a user mutation commits with its operator check; a failed one rolls back as a whole", async () => {
    const a = callerFor(w.ownerA.id);
    const { calls } = await recordCalls(() => a.account.updateName({ name: "One Transaction" }));
    const s = summarize(calls);
    expect(s).toMatchObject({ transactions: 1, redis: 0 });
    expect(calls.some((c) => /^COMMIT/i.test(c.text))).toBe(true);
    expect((await a.account.profile()).name).toBe("One Transaction");

    const failed = await recordCalls(() => rejection(a.sessions.revoke({ sessionId: "00000000-0000-4000-8000-000000000000" })));
    expect(failed.result.code).toBe("NOT_FOUND");
    expect(summarize(failed.calls).transactions).toBe(1);
    expect(failed.calls.some((c) => /^ROLLBACK/i.test(c.text))).toBe(true);
  });

  it("refusals: a platform procedure called by a non-admin, and a stranger, each in one transaction", async () => {
    const a = callerFor(w.ownerA.id);
    const refused = await recordCalls(() => rejection(a.platform.audit.list({})));
    expect(refused.result.code).toBe("FORBIDDEN");
    expect(summarize(refused.calls)).toMatchObject({ transactions: 1, redis: 0 });
    const strangerId = "00000000-0000-4000-8000-000000000000";
    await sessionFor(strangerId); // (no user: a session id that matches no row, made before recording)
    const unknown = await recordCalls(() => rejection(callerFor(strangerId).me.profile()));
    expect(unknown.result.code).toBe("UNAUTHORIZED");
    expect(summarize(unknown.calls)).toMatchObject({ transactions: 1, redis: 0 });
  });

  it("procedures that talk to Redis keep it outside every transaction", async () => {
    const admin = callerFor(w.admin.id);
    const { calls } = await recordCalls(() => rejection(admin.factors.stepUp({ method: "password", password: "not the password" } as never)));
    expect(redisInsideTransactions(calls)).toEqual([]);
  });
});
