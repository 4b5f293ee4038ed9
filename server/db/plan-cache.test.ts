// The query plan cache (server/db/plan-cache.ts): a read compiled once is reused for the identical
// call only, writes are never cached, the tenant's rows are still the tenant's (a plan carries the
// call's own values, and the transaction its own scope and RLS), cached plans are frozen and
// executing them does not change them. On the real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { inTenant, type TenantScope } from "./doors";
import { planCacheStats, setPlanCacheEnabled } from "./plan-cache";
import { makeTenant } from "../testing/fixtures";
import type { TenantId } from "../tenancy/tenant-id";

// A Prisma read (findMany), as a repository writes one: the list pages themselves go past Prisma
// now (server/db/rows.ts).
const findPublishedKeys = (scope: TenantScope) =>
  scope.db.signingKey.findMany({
    where: { tenantId: scope.tenantId, state: { in: ["next", "current", "previous"] } },
    select: { kid: true, alg: true, state: true, publicJwk: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { kid: "asc" }],
  });

let a: { id: TenantId; slug: string };
let b: { id: TenantId; slug: string };

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
});

const delta = async <T,>(fn: () => Promise<T>) => {
  const before = planCacheStats();
  const result = await fn();
  const after = planCacheStats();
  return { result, hits: after.hits - before.hits, misses: after.misses - before.misses };
};

describe("query plan cache", () => {
  it("is installed in this process", () => {
    expect(planCacheStats().installed).toBe(true);
  });

  it("compiles a read once and reuses its plan for the identical call", async () => {
    const first = await delta(() => inTenant(a.id, (s) => findPublishedKeys(s)));
    const again = await delta(() => inTenant(a.id, (s) => findPublishedKeys(s)));
    expect(first.result.length).toBeGreaterThan(0);
    expect(again.result).toEqual(first.result);
    expect(again.misses).toBe(0);
    expect(again.hits).toBeGreaterThan(0);
  });

  it("another tenant's identical call is its own plan, and returns only its own rows", async () => {
    const inA = await inTenant(a.id, (s) => findPublishedKeys(s));
    const inB = await delta(() => inTenant(b.id, (s) => findPublishedKeys(s)));
    expect(inB.misses).toBeGreaterThan(0);
    expect(inB.result.length).toBeGreaterThan(0);
    const kids = new Set(inA.map((k) => k.kid));
    expect(inB.result.some((k) => kids.has(k.kid))).toBe(false);
    // And tenant A's cached plan, run in tenant B's scope, still finds none of A's rows (RLS):
    // the plan carries A's id, the transaction B's scope.
    const crossed = await inTenant(b.id, (s) => findPublishedKeys({ tenantId: a.id, db: s.db }));
    expect(crossed).toEqual([]);
  });

  it("turned off, every call is compiled (the bench's comparison row)", async () => {
    await inTenant(a.id, (s) => findPublishedKeys(s));
    setPlanCacheEnabled(false);
    try {
      const off = await delta(() => inTenant(a.id, (s) => findPublishedKeys(s)));
      expect(off.hits + off.misses).toBe(0);
    } finally {
      setPlanCacheEnabled(true);
    }
    expect((await delta(() => inTenant(a.id, (s) => findPublishedKeys(s)))).hits).toBeGreaterThan(0);
  });

  it("never caches a write", async () => {
    const write = await delta(() =>
      inTenant(a.id, (s) => s.db.workspace.create({ data: { tenantId: a.id, slug: `plan-cache-${Date.now()}`, name: "Plan cache" } })),
    );
    expect(write.hits + write.misses).toBe(0);
  });

  it("keeps plans frozen, unchanged by running them", async () => {
    const { plans } = (globalThis as unknown as { credoPlanCache: { plans: Iterable<[string, unknown]> } }).credoPlanCache;
    await inTenant(a.id, (s) => findPublishedKeys(s));
    const snapshot = new Map([...plans].map(([k, v]) => [k, JSON.stringify(v)]));
    expect(snapshot.size).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await inTenant(a.id, (s) => findPublishedKeys(s));
    for (const [key, plan] of plans) {
      expect(Object.isFrozen(plan)).toBe(true);
      if (snapshot.has(key)) expect(JSON.stringify(plan)).toBe(snapshot.get(key));
    }
  });
});
