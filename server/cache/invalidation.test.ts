// The invalidation bus and the caches it keeps honest (server/cache/), on the real PostgreSQL server
// as the least-privileged login role: two independent listeners (as two instances would have) —
// one of them in another process — see a committed change within a second and a rolled-back one
// never; the public documents, authorize-check, API keys and rate-limit config are served from
// memory when warm (304 and 200 without a transaction) and change at once after key rotation,
// client changes, pause, revocation and policy saves.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as jwksGET } from "@/app/api/public/tenants/[tenant]/jwks/route";
import { GET as discoveryGET } from "@/app/api/public/tenants/[tenant]/openid-configuration/route";
import { POST as authorizeCheckPOST } from "@/app/api/public/authorize-check/route";
import { env } from "../env";
import { prismaClient } from "../db/client";
import { inTenant } from "../db/doors";
import { SYSTEM_ACTOR } from "../audit/record";
import { authenticateApiKey } from "../api-keys/authenticate";
import { stageNextKey, promoteNextKey } from "../signing-keys/service";
import { systemAuditor, superuserPool } from "../testing/signing-keys";
import { cachedRateLimitConfig, loadTenantRateLimits } from "../ratelimit/config";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { ALL_TENANTS, InvalidationBus, invalidationBus } from "./invalidation";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
let clientId: string;
let clientRowId: string;
const redirect = (slug: string) => `https://cache-${slug}.example.com/cb`;

beforeAll(async () => {
  w = await twoTenantWorld();
  const created = await callerFor(w.ownerA.id).clients.create({
    tenant: w.a.slug, name: "web", type: "web", redirectUris: [redirect(w.a.slug)], postLogoutRedirectUris: [], allowedOrigins: [],
  });
  clientId = created.client.clientId;
  clientRowId = created.client.id;
  await invalidationBus().settled();
});

/** Transactions opened while `fn` runs (every query of the app goes through one: server/db/doors.ts). */
async function transactionsDuring(fn: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(prismaClient(), "$transaction");
  try {
    await fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

const doc = (route: typeof jwksGET, slug: string, headers: Record<string, string> = {}) =>
  route(new Request(`http://localhost/${slug}/.well-known/x`, { headers }), { params: Promise.resolve({ tenant: slug }) });
const check = (id: string, uri: string) =>
  authorizeCheckPOST(
    new Request("http://localhost/api/public/authorize-check", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: id, redirect_uri: uri }),
    }),
  );
const kidsOf = async (res: Response) => ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();

/** Saves a new global policy version that changes nothing any test depends on (a feature flag). */
async function touchGlobalPolicy(admin: ReturnType<typeof callerFor>, comment: string) {
  const state = await admin.platform.policies.state();
  const overrides = state.overrides as Record<string, Record<string, unknown>>;
  const flag = !(overrides.features?.cacheBusTest ?? false);
  await admin.platform.policies.save({ document: { ...overrides, features: { ...overrides.features, cacheBusTest: flag } }, expectedVersion: state.latest?.version ?? 0, comment });
}

/** Waits until `seen` holds `target`, at most `ms`; returns how long it took. */
async function arrival(seen: string[], target: string, ms = 1_000): Promise<number> {
  const start = Date.now();
  while (!seen.includes(target)) {
    if (Date.now() - start > ms) throw new Error(`no invalidation of ${target} within ${ms} ms (saw ${seen.join(", ") || "nothing"})`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

/** A listener in another process (tsx), printing each target it receives on a line. */
function listenerProcess(): Promise<{ child: ChildProcess; seen: string[] }> {
  const script = path.join(import.meta.dirname, "..", "testing", "bus-listener.ts");
  const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
  const child = spawn(tsx, [script], { env: { ...process.env, DATABASE_URL: env.DATABASE_URL }, stdio: ["ignore", "pipe", "inherit"] });
  const seen: string[] = [];
  let buffer = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("listener process did not start")), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === "ready") {
          clearTimeout(timer);
          resolve({ child, seen });
        } else seen.push(line);
      }
    });
    child.on("exit", (code) => reject(new Error(`listener process exited (${code})`)));
  });
}

describe("the bus", () => {
  let one: InvalidationBus;
  let two: InvalidationBus;
  let other: { child: ChildProcess; seen: string[] };
  const seenOne: string[] = [];
  const seenTwo: string[] = [];
  beforeAll(async () => {
    one = new InvalidationBus(env.DATABASE_URL!);
    two = new InvalidationBus(env.DATABASE_URL!);
    one.subscribe((t) => seenOne.push(t));
    two.subscribe((t) => seenTwo.push(t));
    await Promise.all([one.settled(5_000), two.settled(5_000)]);
    other = await listenerProcess();
  });
  afterAll(async () => {
    await Promise.all([one.stop(), two.stop()]);
    other?.child.kill();
  });

  it("listens as the least-privileged login role", async () => {
    expect(env.DATABASE_URL).toMatch(/credo_runtime/);
    expect(one.usable()).toBe(true);
  });

  it("a committed key rotation reaches two listeners and another process within 1 s", async () => {
    await inTenant(w.b.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }));
    const waits = await Promise.all([arrival(seenOne, w.b.id), arrival(seenTwo, w.b.id), arrival(other.seen, w.b.id)]);
    for (const ms of waits) expect(ms).toBeLessThan(1_000);
  });

  it("a rolled-back change is never announced; the global policy announces every tenant", async () => {
    const pool = superuserPool();
    try {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("UPDATE tenants SET paused_at = now(), paused_reason = 'rolled back' WHERE id = $1", [w.a.id]);
        await c.query("ROLLBACK");
      } finally {
        c.release();
      }
      // Notifications come in commit order: once this later change arrives, the rolled-back one would have.
      await pool.query("UPDATE tenants SET slug = slug WHERE id = $1", [w.b.id]);
    } finally {
      await pool.end();
    }
    seenOne.length = 0;
    await one.settled();
    await two.settled();
    expect(seenTwo).not.toContain(w.a.id);
    const admin = callerFor(w.admin.id);
    await touchGlobalPolicy(admin, "bus test");
    await arrival(seenOne, ALL_TENANTS);
  });

  it("a stopped listener is not usable (caches bypassed); a restarted one is", async () => {
    const bus = new InvalidationBus(env.DATABASE_URL!);
    await bus.settled(5_000);
    expect(bus.usable()).toBe(true);
    await bus.stop();
    expect(bus.usable()).toBe(false);
  });
});

describe("cached public documents", () => {
  it("a warm JWKS and discovery answer 200 and 304 without a database transaction", async () => {
    const first = await doc(jwksGET, w.a.slug);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    await doc(discoveryGET, w.a.slug);
    let conditional: Response | undefined;
    let full: Response | undefined;
    let discovery: Response | undefined;
    const n = await transactionsDuring(async () => {
      conditional = await doc(jwksGET, w.a.slug, { "if-none-match": etag });
      full = await doc(jwksGET, w.a.slug);
      discovery = await doc(discoveryGET, w.a.slug);
    });
    expect(n).toBe(0);
    expect(conditional!.status).toBe(304);
    expect(await conditional!.text()).toBe("");
    expect(full!.status).toBe(200);
    expect(full!.headers.get("etag")).toBe(etag);
    expect(discovery!.status).toBe(200);
  });

  it("key rotation: the next request has the new key and a new ETag", async () => {
    const before = await doc(jwksGET, w.a.slug);
    const etag = before.headers.get("etag")!;
    const staged = await inTenant(w.a.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "EdDSA" }));
    const after = await doc(jwksGET, w.a.slug, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(await kidsOf(after)).toContain(staged.kid);
    const discovery = (await (await doc(discoveryGET, w.a.slug)).json()) as { id_token_signing_alg_values_supported: string[] };
    expect(discovery.id_token_signing_alg_values_supported).toContain("EdDSA");
    await inTenant(w.a.id, (s) => promoteNextKey(s, systemAuditor(s)));
    expect((await doc(jwksGET, w.a.slug)).headers.get("etag")).not.toBe(after.headers.get("etag"));
  });

  it("a change behind the app's back (another instance, a DBA) arrives through the bus", async () => {
    const warm = await doc(jwksGET, w.a.slug);
    const pool = superuserPool();
    try {
      await pool.query("UPDATE signing_keys SET state = 'revoked', revoked_at = now() WHERE tenant_id = $1 AND state = 'previous'", [w.a.id]);
    } finally {
      await pool.end();
    }
    await invalidationBus().settled();
    const now = await doc(jwksGET, w.a.slug);
    expect(now.headers.get("etag")).not.toBe(warm.headers.get("etag"));
  });

  it("pause: 423 from the next request on (also when cached), 200 again after resume", async () => {
    const admin = callerFor(w.admin.id);
    expect((await doc(jwksGET, w.b.slug)).status).toBe(200);
    expect((await check(clientId, redirect(w.a.slug))).status).toBe(200);
    await admin.platform.tenants.pause({ slug: w.b.slug, reason: "cache test" });
    await admin.platform.tenants.pause({ slug: w.a.slug, reason: "cache test" });
    expect((await doc(jwksGET, w.b.slug)).status).toBe(423);
    expect((await check(clientId, redirect(w.a.slug))).status).toBe(423);
    // The paused answer is served from the cache too.
    const n = await transactionsDuring(async () => {
      expect((await doc(discoveryGET, w.b.slug)).status).toBe(423);
      expect((await check(clientId, redirect(w.a.slug))).status).toBe(423);
    });
    expect(n).toBe(0);
    await admin.platform.tenants.resume({ slug: w.b.slug });
    await admin.platform.tenants.resume({ slug: w.a.slug });
    expect((await doc(jwksGET, w.b.slug)).status).toBe(200);
    expect((await check(clientId, redirect(w.a.slug))).status).toBe(200);
  });
});

describe("cached authorize-check", () => {
  it("warm: no transaction; a changed redirect URI or a disabled client applies to the next request", async () => {
    const owner = callerFor(w.ownerA.id);
    const yes = async (uri: string) => ((await (await check(clientId, uri)).json()) as { allowed: boolean }).allowed;
    expect(await yes(redirect(w.a.slug))).toBe(true);
    const n = await transactionsDuring(async () => {
      expect(await yes(redirect(w.a.slug))).toBe(true);
      expect(await yes(`${redirect(w.a.slug)}/other`)).toBe(false);
    });
    expect(n).toBe(0);
    const moved = `https://cache-moved-${w.a.slug}.example.com/cb`;
    await owner.clients.update({ tenant: w.a.slug, clientRowId, name: "web", redirectUris: [moved], postLogoutRedirectUris: [], allowedOrigins: [] });
    expect(await yes(redirect(w.a.slug))).toBe(false);
    expect(await yes(moved)).toBe(true);
    await owner.clients.setEnabled({ tenant: w.a.slug, clientRowId, enabled: false });
    expect(await yes(moved)).toBe(false);
    await owner.clients.setEnabled({ tenant: w.a.slug, clientRowId, enabled: true });
    expect(await yes(moved)).toBe(true);
  });
});

describe("cached API-key lookups", () => {
  it("a revoked key is refused from the next request on, here and (through the bus) on another instance", async () => {
    const owner = callerFor(w.ownerA.id);
    const created = await owner.apiKeys.create({ tenant: w.a.slug, name: "cached", scopes: ["keys.read"], expiresInDays: 1 });
    // The creation's own notification drops whatever this instance cached meanwhile: let it arrive.
    await invalidationBus().settled();
    expect(await authenticateApiKey(`Bearer ${created.value}`)).not.toBeNull();
    const n = await transactionsDuring(async () => expect(await authenticateApiKey(`Bearer ${created.value}`)).not.toBeNull());
    expect(n).toBe(0);
    // Revoked behind this instance's back: only the bus can tell it.
    const pool = superuserPool();
    try {
      await pool.query("UPDATE api_keys SET revoked_at = now(), revoked_by_label = 'dba' WHERE tenant_id = $1 AND id = $2", [w.a.id, created.key.id]);
    } finally {
      await pool.end();
    }
    const start = Date.now();
    while (await authenticateApiKey(`Bearer ${created.value}`)) {
      expect(Date.now() - start).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 10));
    }
    const again = await owner.apiKeys.create({ tenant: w.a.slug, name: "cached 2", scopes: ["keys.read"], expiresInDays: 1 });
    expect(await authenticateApiKey(`Bearer ${again.value}`)).not.toBeNull();
    await owner.apiKeys.revoke({ tenant: w.a.slug, keyId: again.key.id });
    expect(await authenticateApiKey(`Bearer ${again.value}`)).toBeNull();
  });
});

describe("cached rate-limit config", () => {
  it("read once, then from memory until the tenant's policy (or the global policy) changes", async () => {
    invalidationBus().invalidateLocally(w.b.id);
    const load = vi.fn(() => inTenant(w.b.id, (s) => loadTenantRateLimits(s)));
    await cachedRateLimitConfig(w.b.id, load);
    await cachedRateLimitConfig(w.b.id, load);
    await cachedRateLimitConfig(w.b.id, load);
    expect(load).toHaveBeenCalledTimes(1);
    const admin = callerFor(w.admin.id);
    const state = await admin.policies.state({ tenant: w.b.slug });
    const limit = { requestsPerWindow: 77, windowSeconds: 60, burst: 3 };
    await admin.policies.save({ tenant: w.b.slug, document: { ...state.overrides, rateLimits: { public: limit } }, expectedVersion: state.latest?.version ?? 0, comment: "cache" });
    expect((await cachedRateLimitConfig(w.b.id, load)).public).toEqual(limit);
    expect(load).toHaveBeenCalledTimes(2);
    await invalidationBus().settled(); // the save's own notification (after the read above) drops it once more
    await cachedRateLimitConfig(w.b.id, load);
    load.mockClear();
    await cachedRateLimitConfig(w.b.id, load);
    expect(load).toHaveBeenCalledTimes(0);
    await touchGlobalPolicy(admin, "cache");
    await cachedRateLimitConfig(w.b.id, load);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
