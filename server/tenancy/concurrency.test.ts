// Per-tenant concurrency (server/tenancy/concurrency.ts) on the real PostgreSQL pool: tenant A
// holding its whole share with slow transactions neither blocks tenant B nor gets more than its
// share; A's excess waits, then is refused with TenantBusyError (429 + Retry-After over tRPC).
// Ordering is asserted, never timing.
import { afterEach, describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { handleTrpcRequest } from "../api/http";
import { callerFor, sessionFor, twoTenantWorld } from "../testing/fixtures";
import { observedRoute } from "../observability/request";
import { configureTenantConcurrency, concurrencySettings, tenantInFlight, tenantSlots, TenantBusyError, withTenantSlot } from "./concurrency";

afterEach(() => configureTenantConcurrency(null));

/** app/api/trpc's handler shape, with a fixed (absent) session. */
const trpcRoute = observedRoute("/api/trpc", (req: Request) => handleTrpcRequest(req, async () => null), { tenantMetrics: false });

/** A gate the test opens: transactions of A stay open (holding their connections) until then. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe("a tenant's share of the database pool", () => {
  it("defaults to half the pool of this instance", () => {
    const s = concurrencySettings();
    expect(s.share).toBe(0.5);
    expect(tenantSlots(s)).toBe(Math.max(1, Math.floor(s.poolMax / 2)));
    expect(tenantSlots({ share: 0.5, waitMs: 0, poolMax: 1 })).toBe(1);
  });

  it("A holds its share with slow transactions: B still gets a connection at once; A's excess is refused", async () => {
    const w = await twoTenantWorld();
    // Pool of 10 (the test pool), share 0.4 → 4 slots per tenant; the excess waits 300 ms.
    configureTenantConcurrency({ share: 0.4, poolMax: 10, waitMs: 300 });
    const slots = tenantSlots();
    expect(slots).toBe(4);

    const g = gate();
    let aDone = 0;
    const held = Array.from({ length: slots }, () =>
      inTenant(w.a.id, async (s) => {
        await s.db.$queryRaw`SELECT 1`;
        await g.opened;
      }).then(() => aDone++),
    );
    await expect.poll(() => tenantInFlight(w.a.id)).toBe(slots);

    // B is not behind A: its transaction completes while all of A's are still open.
    const b = await inTenant(w.b.id, (s) => s.db.$queryRaw<{ n: number }[]>`SELECT 1::int AS n`);
    expect(b[0]!.n).toBe(1);
    expect(aDone).toBe(0);

    // A's next transaction waits for one of A's own slots, then is refused.
    const excess = await inTenant(w.a.id, (s) => s.db.$queryRaw`SELECT 1`).catch((e: unknown) => e);
    expect(excess).toBeInstanceOf(TenantBusyError);
    expect((excess as TenantBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(aDone).toBe(0);

    g.open();
    await Promise.all(held);
    expect(tenantInFlight(w.a.id)).toBe(0);
    // Freed: A works again.
    await inTenant(w.a.id, (s) => s.db.$queryRaw`SELECT 1`);
  });

  it("the excess waiting for a slot gets it when one frees up, first come first served", async () => {
    configureTenantConcurrency({ share: 0.1, poolMax: 10, waitMs: 5_000 }); // 1 slot
    const order: string[] = [];
    const g = gate();
    const first = withTenantSlot("t-fifo", async () => {
      await g.opened;
      order.push("first");
    });
    const second = withTenantSlot("t-fifo", async () => void order.push("second"));
    const third = withTenantSlot("t-fifo", async () => void order.push("third"));
    await expect.poll(() => tenantInFlight("t-fifo")).toBe(1);
    g.open();
    await Promise.all([first, second, third]);
    expect(order).toEqual(["first", "second", "third"]);
    expect(tenantInFlight("t-fifo")).toBe(0);
  });

  it("a nested transaction of the same tenant reuses the caller's slot instead of waiting on itself", async () => {
    const w = await twoTenantWorld();
    configureTenantConcurrency({ share: 0.1, poolMax: 10, waitMs: 100 }); // 1 slot
    const n = await inTenant(w.a.id, async () => inTenant(w.a.id, (s) => s.db.$queryRaw<{ n: number }[]>`SELECT 2::int AS n`));
    expect(n[0]!.n).toBe(2);
  });

  it("over tRPC the refusal is 429 TOO_MANY_REQUESTS with Retry-After; from an HTTP route 503 with Retry-After", async () => {
    const w = await twoTenantWorld();
    const { value: key } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "busy", scopes: ["keys.read"], expiresInDays: 1 });
    const session = await sessionFor(w.ownerA.id);
    configureTenantConcurrency({ share: 0.1, poolMax: 10, waitMs: 100 }); // 1 slot
    const g = gate();
    const holder = inTenant(w.a.id, async () => g.opened);
    await expect.poll(() => tenantInFlight(w.a.id)).toBe(1);
    const url = `http://localhost/api/trpc/keys.list?input=${encodeURIComponent(JSON.stringify({ json: { tenant: w.a.slug } }))}`;

    const trpc = await handleTrpcRequest(new Request(url), async () => session);
    expect(trpc.status).toBe(429);
    expect(trpc.headers.get("Retry-After")).toBe("1");
    expect(await trpc.text()).toContain("database operations in progress");

    // With an API key even the key's lookup (in A) waits for A's slot: the route answers 503.
    const route = await trpcRoute(new Request(url, { headers: { authorization: `Bearer ${key}` } }));
    expect(route.status).toBe(503);
    expect(route.headers.get("Retry-After")).toBe("1");

    g.open();
    await holder;
    expect((await trpcRoute(new Request(url, { headers: { authorization: `Bearer ${key}` } }))).status).toBe(200);
  });
});
