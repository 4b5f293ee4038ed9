// Every Prometheus metric of the console (prom-client), served at GET /api/metrics (app/api/metrics).
//
//   credo_requests_total{procedure,outcome}              tRPC procedures and HTTP routes
//   credo_request_duration_seconds{procedure,outcome}    (histogram)
//   credo_tenant_requests_total{tenant,outcome}          per tenant: only the top-K tenants by recent
//   credo_tenant_request_duration_seconds{tenant}          request count get their own series; all others
//                                                          — and EVERY tenant in regulated mode — are
//                                                          counted under tenant="other"
//   credo_jobs_total{task,outcome}, credo_job_duration_seconds{task,outcome}   (graphile-worker events)
//   credo_rate_limit_refusals_total{surface}
//   credo_tenant_concurrency_refusals_total                the per-tenant pool share (server/tenancy/concurrency.ts)
//   credo_db_pool_connections{state=in_use|idle|waiting}, credo_db_pool_max   the app's pg pool
//   + prom-client's default process metrics (CPU, memory, event loop lag, GC)
//
// Label cardinality is bounded by construction: procedures and routes are the code's own names,
// outcomes are tRPC error codes or HTTP statuses, tasks are registered task names, and the tenant
// label takes at most METRICS_TOP_TENANTS (default 20) + 1 values. Which tenants are "top" is decided
// at scrape time from an exponentially decayed request count (halved every scrape, at most one
// decay per 15 s), so a tenant that goes quiet drops out and its series are removed; its later
// traffic counts under "other". Counters stay monotonic (a label is chosen when a request is
// counted, never re-attributed). Regulated mode is checked per candidate through the tenant's
// effective policy (cached 5 minutes); a tenant whose status cannot be read is treated as regulated.
import client from "prom-client";
import { appPoolStats, planCacheStats } from "../db/pool-stats";
import { env } from "../env";

export const OTHER_TENANT = "other";
const DECAY_MIN_INTERVAL_MS = 15_000;
const REGULATED_CACHE_MS = 5 * 60_000;
/** Tenants tracked for ranking; beyond it the smallest counts are dropped (10,000 tenants fit). */
const MAX_TRACKED_TENANTS = 50_000;

/** Wide enough for a 1 ms cache hit and a 20 s transaction timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

export type RegulatedLookup = (tenantId: string) => Promise<boolean>;

/** Tests: another K than METRICS_TOP_TENANTS. */
let topOverride: number | null = null;
export function setTopTenantCount(k: number | null): void {
  topOverride = k;
}
function topTenantCount(): number {
  return topOverride ?? env.METRICS_TOP_TENANTS;
}

function build() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({ name: "credo_requests_total", help: "tRPC procedures and HTTP routes, by outcome.", labelNames: ["procedure", "outcome"] as const, registers: [registry] });
  const duration = new client.Histogram({ name: "credo_request_duration_seconds", help: "Latency of tRPC procedures and HTTP routes.", labelNames: ["procedure", "outcome"] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
  const tenantRequests = new client.Counter({ name: "credo_tenant_requests_total", help: "Requests per tenant: top tenants by request count; the rest and every regulated tenant as tenant=\"other\".", labelNames: ["tenant", "outcome"] as const, registers: [registry] });
  const tenantDuration = new client.Histogram({ name: "credo_tenant_request_duration_seconds", help: "Request latency per tenant (top tenants; others and regulated tenants as tenant=\"other\").", labelNames: ["tenant"] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
  const jobs = new client.Counter({ name: "credo_jobs_total", help: "Background jobs run, by task and outcome (success|error).", labelNames: ["task", "outcome"] as const, registers: [registry] });
  const jobDuration = new client.Histogram({ name: "credo_job_duration_seconds", help: "Background job run time.", labelNames: ["task", "outcome"] as const, buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300], registers: [registry] });
  const rateLimitRefusals = new client.Counter({ name: "credo_rate_limit_refusals_total", help: "Requests refused by a rate limit, by surface.", labelNames: ["surface"] as const, registers: [registry] });
  const concurrencyRefusals = new client.Counter({ name: "credo_tenant_concurrency_refusals_total", help: "Tenant transactions refused because the tenant held its share of the database pool.", registers: [registry] });
  new client.Gauge({
    name: "credo_db_pool_connections",
    help: "The app's PostgreSQL pool: connections in use, idle, and requests waiting for one.",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const s = appPoolStats();
      this.set({ state: "in_use" }, s ? s.total - s.idle : 0);
      this.set({ state: "idle" }, s?.idle ?? 0);
      this.set({ state: "waiting" }, s?.waiting ?? 0);
    },
  });
  new client.Gauge({
    name: "credo_db_pool_max",
    help: "The app's PostgreSQL pool size.",
    registers: [registry],
    collect() {
      this.set(appPoolStats()?.max ?? 0);
    },
  });
  new client.Gauge({
    name: "credo_query_plan_cache_lookups",
    help: "Prisma query plans for reads since start: reused (hit) or compiled (miss); see server/db/plan-cache.ts.",
    labelNames: ["result"] as const,
    registers: [registry],
    collect() {
      const s = planCacheStats();
      this.set({ result: "hit" }, s.hits);
      this.set({ result: "miss" }, s.misses);
    },
  });
  new client.Gauge({
    name: "credo_query_plan_cache_plans",
    help: "Prisma query plans kept in this process's plan cache.",
    registers: [registry],
    collect() {
      this.set(planCacheStats().size);
    },
  });
  return {
    registry, requests, duration, tenantRequests, tenantDuration, jobs, jobDuration, rateLimitRefusals, concurrencyRefusals,
    ranking: new Map<string, number>(),
    top: new Set<string>(),
    regulated: new Map<string, { regulated: boolean; at: number }>(),
    lastDecay: 0,
    lookup: null as RegulatedLookup | null,
  };
}

type Metrics = ReturnType<typeof build>;
// One registry per process, on globalThis: Next bundles each route separately.
const g = globalThis as unknown as { credoMetrics?: Metrics };
export function metrics(): Metrics {
  g.credoMetrics ??= build();
  return g.credoMetrics;
}

/** The tenant label for a request of `tenantId`: itself when in the (non-regulated) top set, else "other". */
export function tenantLabel(tenantId: string | null | undefined): string {
  if (!tenantId) return OTHER_TENANT;
  return metrics().top.has(tenantId) ? tenantId : OTHER_TENANT;
}

export interface RequestObservation {
  /** tRPC path ("keys.list") or route ("GET /api/health"). */
  procedure: string;
  /** "ok", a tRPC error code in lower case, or an HTTP status. */
  outcome: string;
  seconds: number;
  tenantId?: string | null;
}

export function observeRequest(o: RequestObservation): void {
  const m = metrics();
  m.requests.inc({ procedure: o.procedure, outcome: o.outcome });
  m.duration.observe({ procedure: o.procedure, outcome: o.outcome }, o.seconds);
  if (!o.tenantId) return;
  const tenant = tenantLabel(o.tenantId);
  m.tenantRequests.inc({ tenant, outcome: o.outcome === "ok" ? "ok" : "error" });
  m.tenantDuration.observe({ tenant }, o.seconds);
  if (m.ranking.size >= MAX_TRACKED_TENANTS && !m.ranking.has(o.tenantId)) return;
  m.ranking.set(o.tenantId, (m.ranking.get(o.tenantId) ?? 0) + 1);
}

export function countRateLimitRefusal(surface: string): void {
  metrics().rateLimitRefusals.inc({ surface });
}

export function countConcurrencyRefusal(): void {
  metrics().concurrencyRefusals.inc();
}

export function observeJob(task: string, outcome: "success" | "error", seconds: number): void {
  const m = metrics();
  m.jobs.inc({ task, outcome });
  m.jobDuration.observe({ task, outcome }, seconds);
}

/** How a tenant's regulated mode is read (set by the metrics route; tests inject their own). */
export function setRegulatedLookup(lookup: RegulatedLookup | null): void {
  metrics().lookup = lookup;
  metrics().regulated.clear();
}

async function isRegulated(m: Metrics, tenantId: string, now: number): Promise<boolean> {
  const cached = m.regulated.get(tenantId);
  if (cached && now - cached.at < REGULATED_CACHE_MS) return cached.regulated;
  let regulated = true; // unknown → never labeled
  try {
    if (m.lookup) regulated = await m.lookup(tenantId);
  } catch {
    regulated = true;
  }
  m.regulated.set(tenantId, { regulated, at: now });
  return regulated;
}

/**
 * Recomputes the top-K tenant set (called before each scrape). Tenants leaving it lose their series;
 * the ranking then decays (halves) so that it follows recent traffic.
 */
export async function refreshTopTenants(now = Date.now()): Promise<ReadonlySet<string>> {
  const m = metrics();
  const k = topTenantCount();
  const candidates = [...m.ranking.entries()].sort((a, b) => b[1] - a[1]);
  const next = new Set<string>();
  // Regulated tenants are skipped; at most 2K lookups per scrape keep a scrape cheap.
  for (const [tenantId] of candidates.slice(0, k * 2)) {
    if (next.size >= k) break;
    if (!(await isRegulated(m, tenantId, now))) next.add(tenantId);
  }
  for (const gone of m.top) {
    if (next.has(gone)) continue;
    m.tenantRequests.remove({ tenant: gone, outcome: "ok" });
    m.tenantRequests.remove({ tenant: gone, outcome: "error" });
    m.tenantDuration.remove({ tenant: gone });
  }
  m.top = next;
  if (now - m.lastDecay >= DECAY_MIN_INTERVAL_MS) {
    m.lastDecay = now;
    for (const [id, n] of m.ranking) {
      if (n < 1) m.ranking.delete(id);
      else m.ranking.set(id, n / 2);
    }
    for (const [id, r] of m.regulated) if (now - r.at >= REGULATED_CACHE_MS) m.regulated.delete(id);
  }
  return next;
}

/** The exposition text (Prometheus text format) and its content type. */
export async function scrape(): Promise<{ body: string; contentType: string }> {
  const m = metrics();
  await refreshTopTenants();
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}

/** Tests and the benchmark: start from empty counters. */
export function resetMetrics(): void {
  const lookup = g.credoMetrics?.lookup ?? null;
  g.credoMetrics?.registry.clear();
  g.credoMetrics = build();
  g.credoMetrics.lookup = lookup;
}
