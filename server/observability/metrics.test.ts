// GET /api/metrics (server/observability/metrics-endpoint.ts): refuses anonymous and wrong-token
// callers, counts procedures and outcomes, exposes the pool, keeps the tenant label bounded (top-K +
// "other", also with 10,000 tenants) and never labels a tenant in regulated mode. Real PostgreSQL.
import { afterEach, describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { writeRegulatedMode } from "../policies/tenant-repository";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { GET as metricsGET } from "@/app/api/metrics/route";
import { handleMetricsRequest, tenantIsRegulated, tokenMatches } from "./metrics-endpoint";
import { observeRequest, refreshTopTenants, resetMetrics, setRegulatedLookup, setTopTenantCount, tenantLabel } from "./metrics";

const TOKEN = "test-metrics-token-0123456789abcdef";

afterEach(() => {
  setTopTenantCount(null);
  resetMetrics();
  setRegulatedLookup(null);
});

const scrapeWith = (headers: Record<string, string> = {}) => handleMetricsRequest(new Request("http://localhost/api/metrics", { headers }), TOKEN);

/** Distinct values of one label of one metric in the exposition. */
function labelValues(text: string, metric: string, label: string): Set<string> {
  const re = new RegExp(`^${metric}\\{[^}]*${label}="([^"]*)"`, "gm");
  return new Set([...text.matchAll(re)].map((m) => m[1]!));
}

describe("GET /api/metrics", () => {
  it("404 when METRICS_TOKEN is unset (the route as deployed in tests)", async () => {
    expect((await metricsGET(new Request("http://localhost/api/metrics"))).status).toBe(404);
  });

  it("401 without a token or with a wrong one; 200 with the token", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-token" }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const res = await scrapeWith(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
    }
    const ok = await scrapeWith({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
  });

  it("counts procedures by outcome with latency, and shows the database pool", async () => {
    const w = await twoTenantWorld();
    await callerFor(w.ownerA.id).keys.list({ tenant: w.a.slug });
    await callerFor(w.ownerA.id).keys.list({ tenant: w.b.slug }).catch(() => null);
    const text = await (await scrapeWith({ authorization: `Bearer ${TOKEN}` })).text();
    expect(text).toMatch(/^credo_requests_total\{procedure="keys.list",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^credo_requests_total\{procedure="keys.list",outcome="not_found"\} 1$/m);
    expect(text).toMatch(/^credo_request_duration_seconds_count\{procedure="keys.list",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^credo_db_pool_connections\{state="in_use"\} \d+$/m);
    expect(text).toMatch(/^credo_db_pool_connections\{state="waiting"\} \d+$/m);
    expect(text).toMatch(/^credo_db_pool_max \d+$/m);
  });

  it("top tenants get their own series; a regulated tenant never does, however busy", async () => {
    const w = await twoTenantWorld();
    await inTenant(w.b.id, (s) => writeRegulatedMode(s, true, new Date()));
    expect(await tenantIsRegulated(w.b.id)).toBe(true);
    expect(await tenantIsRegulated(w.a.id)).toBe(false);
    setTopTenantCount(5);
    const callerA = callerFor(w.ownerA.id);
    const callerB = callerFor(w.ownerB.id);
    for (let i = 0; i < 3; i++) await callerA.keys.list({ tenant: w.a.slug });
    for (let i = 0; i < 10; i++) await callerB.keys.list({ tenant: w.b.slug });

    await scrapeWith({ authorization: `Bearer ${TOKEN}` }); // ranks the tenants seen so far
    await callerA.keys.list({ tenant: w.a.slug });
    await callerB.keys.list({ tenant: w.b.slug });
    const text = await (await scrapeWith({ authorization: `Bearer ${TOKEN}` })).text();
    const tenants = labelValues(text, "credo_tenant_requests_total", "tenant");
    expect(tenants.has(w.a.id)).toBe(true);
    expect(tenants.has("other")).toBe(true);
    expect(text).not.toContain(w.b.id);
    expect(tenantLabel(w.b.id)).toBe("other");
  });

  it("10,000 tenants: at most K + 1 tenant label values; the ranking follows recent traffic", async () => {
    setTopTenantCount(20);
    setRegulatedLookup(async () => false);
    const ids = Array.from({ length: 10_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    for (const [i, id] of ids.entries()) for (let n = 0; n < 1 + (i % 7); n++) observeRequest({ procedure: "keys.list", outcome: "ok", seconds: 0.001, tenantId: id });
    const top = await refreshTopTenants(Date.now());
    expect(top.size).toBe(20);
    for (const id of ids) observeRequest({ procedure: "keys.list", outcome: "ok", seconds: 0.001, tenantId: id });
    const text = await (await scrapeWith({ authorization: `Bearer ${TOKEN}` })).text();
    const values = labelValues(text, "credo_tenant_requests_total", "tenant");
    expect(values.size).toBeLessThanOrEqual(21);
    expect(values.has("other")).toBe(true);

    // One tenant far busier than everyone from now on; the previous leaders decay away.
    const busy = ids[1]!;
    let now = Date.now() + 60_000;
    for (let round = 0; round < 8; round++) {
      for (let n = 0; n < 200; n++) observeRequest({ procedure: "keys.list", outcome: "ok", seconds: 0.001, tenantId: busy });
      now += 20_000;
      await refreshTopTenants(now);
    }
    const after = await refreshTopTenants(now + 20_000);
    expect(after.has(busy)).toBe(true);
    expect(after.size).toBeLessThanOrEqual(20);
  });
});
