// Rate limits on REAL Redis (the shared one at REDIS_URL, and a private redis-server this file
// starts, stops and restarts on its own port — the shared server is never stopped) and the real
// PostgreSQL: exact admission under concurrency, window boundaries, the burst pool, tenant
// isolation (noisy neighbour), fail-open with the in-process insurance limiter while Redis is down
// and recovery when it returns, and the 429 answers (Retry-After, RateLimit headers) of the real
// HTTP handlers: tRPC (sessions and API keys), JWKS and authorize-check.
import { PEER_HEADER, peerStamp } from "../http/client-ip";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { until } from "../testing/wait";
import superjson from "superjson";
import type { Redis } from "ioredis";
import { GET as jwksGET } from "@/app/api/public/tenants/[tenant]/jwks/route";
import { POST as authorizeCheckPOST } from "@/app/api/public/authorize-check/route";
import { handleTrpcRequest } from "../api/http";
import { connectRedis, redisClient } from "../redis";
import { callerFor, sessionFor, twoTenantWorld } from "../testing/fixtures";
import { DEFAULT_RATE_LIMITS, rateLimitConfigFor, type SurfaceLimit } from "./config";
import { inTenant } from "../db/doors";
import { tenantKey, UNKNOWN_CLIENT_LIMIT, unknownTenantKey } from "./enforce";
import { BURST_REFILL_WINDOWS, createRateLimitEngine, rateLimitEngine, setRateLimitEngine, type RateLimitEngine } from "./limiter";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sharedRedis = () => redisClient()!;
/** A fresh key per test: tests never share a window. */
const freshKey = (surface = "trpc") => `${randomUUID()}:${surface}`;
const limit = (requestsPerWindow: number, windowSeconds: number, burst = 0): SurfaceLimit => ({ requestsPerWindow, windowSeconds, burst });

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
  // The first request of a process may find the client still connecting (it would count in-process).
  await until(() => sharedRedis().status === "ready", 10_000, "the shared Redis");
});
afterEach(() => setRateLimitEngine(undefined));

describe("the engine on the shared Redis", () => {
  const engine = () => rateLimitEngine();

  it("stores counts under rl:<tenantId>:<surface>, with the window as TTL", async () => {
    const tenantId = randomUUID();
    const key = tenantKey(tenantId, "apiKey");
    expect(key).toBe(`${tenantId}:apiKey`);
    const d = await engine().consume(key, limit(10, 60));
    expect(d).toMatchObject({ allowed: true, limit: 10, remaining: 9, degraded: false });
    expect(await sharedRedis().get(`rl:${tenantId}:apiKey`)).toBe("1");
    const ttl = await sharedRedis().pttl(`rl:${tenantId}:apiKey`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("admits exactly N of 5N concurrent requests (N = window quota + burst)", async () => {
    for (const l of [limit(20, 60), limit(20, 60, 7)]) {
      const key = freshKey();
      const n = l.requestsPerWindow + l.burst;
      const decisions = await Promise.all(Array.from({ length: 5 * n }, () => engine().consume(key, l)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(n);
      const refused = decisions.filter((d) => !d.allowed);
      expect(refused).toHaveLength(4 * n);
      for (const d of refused) {
        expect(d.remaining).toBe(0);
        expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(d.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
    }
  });

  it("window boundary: the quota comes back when the window resets, the burst pool only after BURST_REFILL_WINDOWS windows", async () => {
    const key = freshKey();
    const l = limit(3, 1, 2);
    const first = await engine().consume(key, l);
    const rest = [];
    for (let i = 0; i < 4; i++) rest.push(await engine().consume(key, l));
    // 3 from the window + 2 from the burst pool, then refused until the window resets (≤ 1 s).
    expect([first, ...rest].map((d) => d.allowed)).toEqual([true, true, true, true, true]);
    const refused = await engine().consume(key, l);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBe(1);

    // The next fixed window, and the sliding guard (server/ratelimit/sliding-guard.ts) no longer
    // counting the 5 just admitted: no window of 1 s may hold more than 3 + 2.
    await until(async () => (await sharedRedis().exists(`rl:${key}`, `rl:${key}:sw`)) === 0, 4_000, "the next window");
    const next = [];
    for (let i = 0; i < 4; i++) next.push(await engine().consume(key, l));
    // A new window: 3 again; the burst pool (refills every BURST_REFILL_WINDOWS s here) is still spent.
    expect(next.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(next[0]!.remaining).toBe(2);
    expect(BURST_REFILL_WINDOWS).toBeGreaterThan(1);
    const burstTtl = await sharedRedis().pttl(`rl:${key}:burst`);
    expect(burstTtl).toBeGreaterThan(1000);
    expect(burstTtl).toBeLessThanOrEqual(BURST_REFILL_WINDOWS * 1000);
  });

  it("noisy neighbour: tenant A at 10x its limit leaves B's admission and remaining count unchanged", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const l = limit(30, 60);
    const [aDecisions, bDecisions] = await Promise.all([
      Promise.all(Array.from({ length: 300 }, () => engine().consume(tenantKey(a, "public"), l))),
      Promise.all(Array.from({ length: 30 }, () => engine().consume(tenantKey(b, "public"), l))),
    ]);
    expect(aDecisions.filter((d) => d.allowed)).toHaveLength(30);
    expect(bDecisions.every((d) => d.allowed)).toBe(true);
    expect(bDecisions.map((d) => d.remaining).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const usage = await engine().usage(tenantKey(b, "public"), l);
    expect(usage).toMatchObject({ consumed: 30, remaining: 0 });
  });

  it("usage() reads without counting; null before the first request", async () => {
    const key = freshKey();
    const l = limit(10, 60, 5);
    expect(await engine().usage(key, l)).toBeNull();
    for (let i = 0; i < 12; i++) await engine().consume(key, l);
    const u = await engine().usage(key, l);
    expect(u).toMatchObject({ consumed: 10, remaining: 0, burstConsumed: 2, burstRemaining: 3, degraded: false });
    expect(await engine().usage(key, l)).toEqual(u);
  });
});

// ---------------------------------------------------------------------------------------------
// Redis stopped and restarted: a private redis-server on its own port (never the shared one).
// ---------------------------------------------------------------------------------------------

const PRIVATE_PORT = 6390 + (process.pid % 200);
const DEAD_PORT = PRIVATE_PORT + 200; // nothing listens here

function startPrivateRedis(): void {
  execFileSync("redis-server", [
    "--port", String(PRIVATE_PORT), "--bind", "127.0.0.1", "--daemonize", "yes", "--save", "", "--appendonly", "no",
    "--dir", "/tmp", "--pidfile", `/tmp/credo-test-redis-${PRIVATE_PORT}.pid`, "--logfile", "",
  ]);
}
function stopPrivateRedis(): void {
  try {
    execFileSync("redis-cli", ["-p", String(PRIVATE_PORT), "shutdown", "nosave"], { stdio: "ignore" });
  } catch {
    // already stopped
  }
}

describe("Redis stopped and restarted", () => {
  let client: Redis;
  let engine: RateLimitEngine;

  beforeAll(async () => {
    stopPrivateRedis();
    startPrivateRedis();
    client = connectRedis(`redis://127.0.0.1:${PRIVATE_PORT}`);
    engine = createRateLimitEngine(client);
    await until(() => client.status === "ready", 10_000, "the private Redis");
  });
  afterAll(() => {
    client?.disconnect();
    stopPrivateRedis();
  });

  it("fails open into the in-process insurance limiter (still limiting, never an error), then returns to Redis", async () => {
    const key = freshKey("apiKey");
    const l = limit(5, 60);
    expect(await engine.consume(key, l)).toMatchObject({ allowed: true, remaining: 4, degraded: false });
    expect(await client.get(`rl:${key}`)).toBe("1");

    stopPrivateRedis();
    await until(() => client.status !== "ready", 10_000, "the client to notice");
    // Down: counted in-process, same limit: 5 admitted, then refused — and nothing throws.
    const down = [];
    for (let i = 0; i < 7; i++) down.push(await engine.consume(key, l));
    expect(down.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(down.every((d) => d.degraded)).toBe(true);
    expect(await engine.usage(key, l)).toMatchObject({ consumed: 5, degraded: true });

    // Through the real HTTP handlers while Redis is down: answers, never a 500.
    setRateLimitEngine(engine);
    const jwks = await jwksGET(new Request(`http://localhost/${w.a.slug}/.well-known/jwks.json`), { params: Promise.resolve({ tenant: w.a.slug }) });
    expect(jwks.status).toBe(200);
    const { value } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "redis down", scopes: ["keys.read"], expiresInDays: 1 });
    const res = await trpcGet("keys.list", { tenant: w.a.slug }, { authorization: `Bearer ${value}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe(String(DEFAULT_RATE_LIMITS.apiKey.requestsPerWindow));

    // Back: the client reconnects by itself and counting returns to Redis (a fresh window there).
    startPrivateRedis();
    await until(() => client.status === "ready", 15_000, "the client to reconnect");
    const back = await engine.consume(key, l);
    expect(back).toMatchObject({ allowed: true, remaining: 4, degraded: false });
    expect(await client.get(`rl:${key}`)).toBe("1");
  });

  it("a Redis that hangs counts as down after the timeout (insurance), not a stalled request", async () => {
    const key = freshKey();
    const l = limit(5, 60);
    await until(() => client.status === "ready", 15_000, "the private Redis");
    // Redis blocks for 1.5 s; the limiter gives up after REDIS_TIMEOUT_MS and uses the insurance limiter.
    const sleeper = connectRedis(`redis://127.0.0.1:${PRIVATE_PORT}`);
    await until(() => sleeper.status === "ready", 10_000, "a second connection");
    await sleeper.config("SET", "lua-time-limit", "5000");
    const blocked = sleeper.eval("local t = redis.call('TIME'); local s = tonumber(t[1]) * 1000000 + tonumber(t[2]); while true do local n = redis.call('TIME'); if tonumber(n[1]) * 1000000 + tonumber(n[2]) - s > 1500000 then break end end return 1", 0);
    await sleep(50);
    const t0 = Date.now();
    const d = await engine.consume(key, l);
    const took = Date.now() - t0;
    expect(d.allowed).toBe(true);
    expect(took).toBeLessThan(1000);
    await blocked;
    sleeper.disconnect();
  });

  it("a Redis that never answers (nothing on the port): every request admitted by the insurance limiter", async () => {
    const dead = connectRedis(`redis://127.0.0.1:${DEAD_PORT}`);
    try {
      const deadEngine = createRateLimitEngine(dead);
      const key = freshKey();
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await deadEngine.consume(key, limit(3, 60)));
      expect(decisions.map((d) => [d.allowed, d.degraded])).toEqual([[true, true], [true, true], [true, true], [false, true]]);
      setRateLimitEngine(deadEngine);
      const res = await authorizeCheck({ client_id: "x".repeat(32), redirect_uri: "https://nowhere.example/cb" });
      expect(res.status).toBe(200);
    } finally {
      dead.disconnect();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 429 through the real HTTP handlers, limits configured through the policies API.
// ---------------------------------------------------------------------------------------------

async function trpcGet(path: string, input: unknown, headers: Record<string, string> = {}, session: { user: { id: string } } | null = null) {
  const encoded = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  return handleTrpcRequest(new Request(`http://localhost/api/trpc/${path}?input=${encoded}`, { headers }), async () => session);
}

async function authorizeCheck(body: unknown, ip = "198.51.100.1") {
  return authorizeCheckPOST(
    new Request("http://localhost/api/public/authorize-check", {
      method: "POST",
      headers: { "content-type": "application/json", [PEER_HEADER]: peerStamp(ip) },
      body: JSON.stringify(body),
    }),
  );
}

const jwks = (slug: string) => jwksGET(new Request(`http://localhost/${slug}/.well-known/jwks.json`), { params: Promise.resolve({ tenant: slug }) });

/** Saves rate-limit overrides as the tenant's owner would (a new policy version). */
async function setRateLimits(slug: string, ownerId: string, rateLimits: Record<string, SurfaceLimit>) {
  const owner = callerFor(ownerId);
  const state = await owner.policies.state({ tenant: slug });
  await owner.policies.save({
    tenant: slug,
    document: { ...state.overrides, rateLimits: { ...(state.overrides.rateLimits ?? {}), ...rateLimits } },
    expectedVersion: state.latest?.version ?? 0,
    comment: "rate limit test",
  });
}

function expectRateLimitHeaders(res: Response, l: SurfaceLimit) {
  expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(l.windowSeconds);
  expect(res.headers.get("ratelimit-limit")).toBe(String(l.requestsPerWindow));
  expect(res.headers.get("ratelimit-remaining")).toBe("0");
  expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
  expect(res.headers.get("ratelimit-policy")).toBe(`${l.requestsPerWindow};w=${l.windowSeconds}`);
}

describe("429 from the HTTP handlers", () => {
  it("API keys: at most N of 5N concurrent tRPC requests succeed, the rest are 429 with Retry-After and RateLimit headers; B unaffected", async () => {
    const l = limit(8, 60, 4);
    await setRateLimits(w.a.slug, w.ownerA.id, { apiKey: l });
    const { value: keyA } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "flood", scopes: ["keys.read"], expiresInDays: 1 });
    const { value: keyB } = await callerFor(w.ownerB.id).apiKeys.create({ tenant: w.b.slug, name: "neighbour", scopes: ["keys.read"], expiresInDays: 1 });

    const n = l.requestsPerWindow + l.burst;
    const [resA, resB] = await Promise.all([
      Promise.all(Array.from({ length: 5 * n }, () => trpcGet("keys.list", { tenant: w.a.slug }, { authorization: `Bearer ${keyA}` }))),
      Promise.all(Array.from({ length: n }, () => trpcGet("keys.list", { tenant: w.b.slug }, { authorization: `Bearer ${keyB}` }))),
    ]);
    expect(resA.filter((r) => r.status === 200)).toHaveLength(n);
    const limited = resA.filter((r) => r.status === 429);
    expect(limited).toHaveLength(4 * n);
    expectRateLimitHeaders(limited[0]!, l);
    const body = (await limited[0]!.json()) as { error: { json: { message: string; data: { code: string; httpStatus: number; retryAfterSeconds: number } } } };
    expect(body.error.json.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    expect(body.error.json.message).toMatch(/Rate limit reached for this tenant's API-key traffic: 8 requests per 60 s \(\+4 burst\)\. Try again in \d+ s\./);
    // Admitted responses carry the headers too.
    const ok = resA.find((r) => r.status === 200)!;
    expect(ok.headers.get("ratelimit-limit")).toBe("8");
    expect(ok.headers.get("retry-after")).toBeNull();
    // B (default limits) is untouched by A's flood.
    expect(resB.every((r) => r.status === 200)).toBe(true);
  });

  it("operators (sessions) are limited on the trpc surface, separately from API keys; a saved limit applies at once", async () => {
    const l = limit(5, 60);
    await setRateLimits(w.b.slug, w.ownerB.id, { trpc: l });
    const session = await sessionFor(w.ownerB.id);
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 8; i++) {
      last = await trpcGet("tenant.overview", { tenant: w.b.slug }, {}, session);
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.at(-1)).toBe(429);
    expectRateLimitHeaders(last!, l);
    const msg = ((await last!.json()) as { error: { json: { message: string } } }).error.json.message;
    expect(msg).toMatch(/console API: 5 requests per 60 s/);
    // The in-process caller (server components) is refused the same way.
    await expect(callerFor(w.ownerB.id).tenant.overview({ tenant: w.b.slug })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // A security admin is not counted against the tenant's console limit (and can raise it again).
    const admin = callerFor(w.admin.id);
    expect((await admin.tenant.overview({ tenant: w.b.slug })).slug).toBe(w.b.slug);
    const state = await admin.policies.state({ tenant: w.b.slug });
    await admin.policies.save({ tenant: w.b.slug, document: { ...state.overrides, rateLimits: { trpc: limit(1000, 60) } }, expectedVersion: state.latest!.version, comment: "raise" });
    // Invalidated on save: the owner is admitted again at once (1000 per window now, the count kept).
    expect((await callerFor(w.ownerB.id).tenant.overview({ tenant: w.b.slug })).slug).toBe(w.b.slug);
  });

  it("public JWKS: 429 JSON with the headers once the tenant's public limit is reached; other tenants unaffected", async () => {
    const l = limit(4, 60);
    await setRateLimits(w.a.slug, w.ownerA.id, { public: l });
    const results = await Promise.all(Array.from({ length: 40 }, () => jwks(w.a.slug)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    const refused = results.find((r) => r.status === 429)!;
    expectRateLimitHeaders(refused, l);
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(await refused.json()).toMatchObject({ error: "rate_limited", error_description: expect.stringMatching(/public endpoints: 4 requests per 60 s/) });
    expect((await jwks(w.b.slug)).status).toBe(200);
    // authorize-check for A's client shares A's public bucket.
    const { client } = await callerFor(w.ownerA.id).clients.create({
      tenant: w.a.slug, name: "rl", type: "web", redirectUris: [`https://rl-${randomUUID().slice(0, 8)}.example.com/cb`], postLogoutRedirectUris: [], allowedOrigins: [],
    });
    const check = await authorizeCheck({ client_id: client.clientId, redirect_uri: "https://elsewhere.example/cb" });
    expect(check.status).toBe(429);
    expectRateLimitHeaders(check, l);
  });

  it("authorize-check: unknown client_ids count per caller IP in a global bucket, not against any tenant", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const unknown = { client_id: "u".repeat(32), redirect_uri: "https://nowhere.example/cb" };
    expect((await authorizeCheck(unknown, ip)).status).toBe(200);
    // Fill this IP's bucket directly (3500 requests through the route would only be slower).
    const key = unknownTenantKey("authorize-check", ip);
    expect(await sharedRedis().get(`rl:${key}`)).toBe("1");
    const quota = UNKNOWN_CLIENT_LIMIT.requestsPerWindow + UNKNOWN_CLIENT_LIMIT.burst;
    await Promise.all(Array.from({ length: quota }, () => rateLimitEngine().consume(key, UNKNOWN_CLIENT_LIMIT)));
    const refused = await authorizeCheck(unknown, ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    // Another address is unaffected; so is tenant B's public bucket.
    expect((await authorizeCheck(unknown, "203.0.113.250")).status).toBe(200);
    expect((await jwks(w.b.slug)).status).toBe(200);
  });

  it("unknown tenant slugs on the public documents count per caller IP too (404, then 429)", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const get = (from: string) =>
      jwksGET(new Request("http://localhost/no-such-tenant-zz/.well-known/jwks.json", { headers: { [PEER_HEADER]: peerStamp(from) } }), { params: Promise.resolve({ tenant: "no-such-tenant-zz" }) });
    expect((await get(ip)).status).toBe(404);
    const key = unknownTenantKey("public-document", ip);
    const quota = UNKNOWN_CLIENT_LIMIT.requestsPerWindow + UNKNOWN_CLIENT_LIMIT.burst;
    await Promise.all(Array.from({ length: quota }, () => rateLimitEngine().consume(key, UNKNOWN_CLIENT_LIMIT)));
    const refused = await get(ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await get("203.0.113.251")).status).toBe(404);
    expect((await jwks(w.b.slug)).status).toBe(200);
  });

  it("the limits the engine uses are the tenant's effective policy, cached briefly", async () => {
    const cfg = await inTenant(w.a.id, (scope) => rateLimitConfigFor(scope));
    expect(cfg.public).toEqual(limit(4, 60));
    expect(cfg.trpc).toEqual(DEFAULT_RATE_LIMITS.trpc);
  });
});
