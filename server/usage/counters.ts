// Per-tenant request and refusal counters (README "Per-tenant usage"): the basis of the usage page.
//
// Counting is in memory and costs a Map update: each instance adds up (tenant, hour, surface) →
// requests / rate-limited / busy, and flushes every USAGE_FLUSH_MS (and on SIGTERM/SIGINT, best
// effort) into tenant_usage_hourly with one upsert per tenant that ADDS its counts, so instances
// never overwrite each other. The flush runs from a timer, never inside a request's transaction,
// and goes through the tenant door (inTenant) like everything else: RLS holds for it too.
//
// Where counts come from (hooks):
//   requests      observeProcedure / observedRoute (server/observability/request.ts) for console and
//                 API-key traffic; admitTenantIdRequest (server/ratelimit/enforce.ts) for public
//                 endpoints, which often answer from a cache without entering the tenant door
//   rateLimited   admitTenantRequestWith (the tenant's limiter refused)
//   busy          the tenant's pool share (server/tenancy/concurrency.ts) refused: counted by the
//                 listener this module subscribes with onTenantBusy (the door stands on
//                 concurrency.ts, and this module writes through the door)
// A refused request counts as a refusal, not as a request: the columns partition the traffic.
import { env } from "../env";
import { inTenant } from "../db/doors";
import { addUsageBuckets } from "./repository";
import { currentLogContext, logger, runWithLogContext } from "../observability/logger";
import { onTenantBusy } from "../tenancy/concurrency";
import type { TenantId } from "../tenancy/tenant-id";

export const USAGE_SURFACES = ["trpc", "apiKey", "public", "job"] as const;
export type UsageSurface = (typeof USAGE_SURFACES)[number];
export type UsageKind = "requests" | "rateLimited" | "busy";

export interface UsageCounts {
  requests: number;
  rateLimited: number;
  busy: number;
}

interface Bucket extends UsageCounts {
  tenantId: string;
  /** Start of the hour (UTC), ISO. */
  hour: string;
  surface: UsageSurface;
}


interface State {
  pending: Map<string, Bucket>;
  timer: ReturnType<typeof setInterval> | null;
  flushing: Promise<void> | null;
  now: () => number;
}

const g = globalThis as unknown as { credoUsageCounters?: State };
const state: State = (g.credoUsageCounters ??= { pending: new Map(), timer: null, flushing: null, now: Date.now });

export const hourOf = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();

/** Adds `n` to one counter of the tenant's current hour on `surface`. */
export function countUsage(tenantId: string, surface: UsageSurface, kind: UsageKind, n = 1): void {
  if (!tenantId) return;
  addBucket({ tenantId, hour: hourOf(state.now()), surface, requests: 0, rateLimited: 0, busy: 0, [kind]: n });
  ensureTimer();
}

function addBucket(b: Bucket): void {
  const key = `${b.tenantId}|${b.hour}|${b.surface}`;
  const cur = state.pending.get(key);
  if (!cur) {
    state.pending.set(key, { ...b });
    return;
  }
  cur.requests += b.requests;
  cur.rateLimited += b.rateLimited;
  cur.busy += b.busy;
}

/**
 * The surface of the request running now, from its log context: an API key's call, a console
 * procedure or route, a job, or else a public endpoint.
 */
export function currentUsageSurface(): UsageSurface {
  const ctx = currentLogContext();
  if (!ctx) return "public";
  if (ctx.actor?.startsWith("api_key:")) return "apiKey";
  if (ctx.job) return "job";
  if (ctx.procedure) return "trpc";
  if (ctx.route && /^[A-Z]+ \/api\/public\//.test(ctx.route)) return "public";
  return "trpc";
}

onTenantBusy("usage", (tenantId) => countUsage(tenantId, currentUsageSurface(), "busy"));

/** This instance's counts not flushed yet for one tenant (usage.summary adds them: the page is current). */
export function pendingUsage(tenantId: string, sinceMs: number): Map<UsageSurface, UsageCounts> {
  const out = new Map<UsageSurface, UsageCounts>();
  const since = hourOf(sinceMs);
  for (const b of [...state.pending.values(), ...inFlight]) {
    if (b.tenantId !== tenantId || b.hour < since) continue;
    const cur = out.get(b.surface) ?? { requests: 0, rateLimited: 0, busy: 0 };
    cur.requests += b.requests;
    cur.rateLimited += b.rateLimited;
    cur.busy += b.busy;
    out.set(b.surface, cur);
  }
  return out;
}

/** Buckets taken by a flush that has not committed yet (still part of pendingUsage). */
let inFlight: Bucket[] = [];

/** Writes one tenant's buckets in one statement (in its own tenant transaction). */
async function writeTenant(tenantId: string, buckets: Bucket[]): Promise<void> {
  await inTenant(tenantId as TenantId, (scope) => addUsageBuckets(scope, buckets));
}

/**
 * Writes every pending count (all tenants of the interval, one statement per tenant) and forgets
 * what was written. A tenant whose write fails keeps its counts for the next flush.
 */
export function flushUsage(): Promise<void> {
  if (state.flushing) return state.flushing.then(() => flushUsage());
  if (state.pending.size === 0) return Promise.resolve();
  // A context of its own: never the log context (or tenant) of whichever request started the timer.
  state.flushing = runWithLogContext({ requestId: "usage-flush", actor: "system" }, async () => {
    const taken = [...state.pending.values()];
    state.pending.clear();
    inFlight = taken;
    const byTenant = new Map<string, Bucket[]>();
    for (const b of taken) byTenant.set(b.tenantId, [...(byTenant.get(b.tenantId) ?? []), b]);
    try {
      for (const [tenantId, buckets] of byTenant) {
        try {
          await writeTenant(tenantId, buckets);
        } catch (e) {
          for (const b of buckets) addBucket(b);
          logger.warn({ err: e, tenantId, buckets: buckets.length }, "usage flush failed; counts kept for the next flush");
        } finally {
          // Committed (or back in pending): no longer counted as in flight, never twice.
          inFlight = inFlight.filter((b) => b.tenantId !== tenantId);
        }
      }
    } finally {
      inFlight = [];
    }
  }).finally(() => {
    state.flushing = null;
  });
  return state.flushing;
}

function ensureTimer(): void {
  if (state.timer || env.USAGE_FLUSH_MS === 0) return;
  state.timer = setInterval(() => void flushUsage().catch(() => undefined), env.USAGE_FLUSH_MS);
  state.timer.unref();
  // Best effort on shutdown, next to the server's own handlers (Next's `next start` has them; a
  // process without any keeps the default: a listener here would stop the signal from ending it).
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    if (process.listenerCount(sig) > 0) process.once(sig, () => void flushUsage().catch(() => undefined));
  }
}

/** Tests: drop pending counts and stop the timer; `now` replaces the clock. */
export function resetUsageCounters(now: (() => number) | null = null): void {
  state.pending.clear();
  inFlight = [];
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
  state.now = now ?? Date.now;
}
