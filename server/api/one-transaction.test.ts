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
  // The limiter counts in Redis once the client is connected (before that: in-process insurance).
  const redis = redisClient();
  if (!redis) throw new Error("these tests need REDIS_URL");
  for (let i = 0; i < 100 && redis.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 50));
  expect(redis.status).toBe("ready");
});

describe("one transaction per tenant procedure", () => {
  it("list procedures: one BEGIN, ≤ 5 statements, Redis before the transaction and never inside it", async () => {
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
      expect(s.statements, `${name}: ${calls.map((c) => c.text.slice(0, 60)).join(" | ")}`).toBeLessThanOrEqual(5);
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
