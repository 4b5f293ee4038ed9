// The rate-limit engine (rate-limiter-flexible): fixed windows counted in Redis, shared by every
// instance, with a burst pool on top (the library's BurstyRateLimiter semantics), and a sliding-window
// guard (server/ratelimit/sliding-guard.ts) so that NO window of the same length — also one that
// straddles a boundary — admits more than requestsPerWindow + burst.
//
//   Redis keys   rl:<tenantId>:<surface>        the window's count (TTL = the window)
//                rl:<tenantId>:<surface>:burst  the burst pool's count (TTL = BURST_REFILL_WINDOWS windows)
//                rl:<tenantId>:<surface>:sw     the sliding guard's admitted counts per 1/10 window (hash)
//                rl:global:<bucket>:<ip>        buckets that belong to no tenant (unknown OAuth clients)
//   Each tenant has its own keys, so a tenant over its limit never changes another's admission.
//
// Redis down (unreachable, refusing, or slower than REDIS_TIMEOUT_MS): FAIL OPEN into an
// in-process insurance limiter (RateLimiterMemory, same limits, counted per instance): requests are
// still limited, per instance instead of across them, and nobody gets a 500. The Redis client
// reconnects in the background; the next request after it is back counts in Redis again (the
// insurance counts are not carried over). Without REDIS_URL (embedded mode) the in-process limiter
// is the store.
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from "rate-limiter-flexible";
import { redisClient } from "../redis";
import { memoryGuard, redisGuard } from "./sliding-guard";
import type { SurfaceLimit } from "./config";
import { logger } from "../observability/logger";

/** The burst pool refills once per this many windows (e.g. 60 s windows → every 10 minutes). */
export const BURST_REFILL_WINDOWS = 10;
/** A Redis call slower than this counts as Redis being down for that request (insurance limiter). */
export const REDIS_TIMEOUT_MS = 250;
/** Bound on cached limiter instances (one per distinct limit; tenants with equal limits share one). */
const LIMITER_CACHE_MAX = 500;
const KEY_PREFIX = "rl";

export type StoreKind = "redis" | "memory" | "disabled";

/** The outcome of one request's admission, with what the RateLimit headers report. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** requestsPerWindow. */
  readonly limit: number;
  readonly windowSeconds: number;
  readonly burst: number;
  /** Requests left in this window (0 while the request was admitted from the burst pool). */
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
  /** Seconds until a request may be admitted again; 0 when allowed. */
  readonly retryAfterSeconds: number;
  /** True when Redis was unreachable and the in-process insurance limiter decided. */
  readonly degraded: boolean;
}

/** What the usage page shows: the current window and burst pool of one key. */
export interface RateLimitUsage {
  readonly consumed: number;
  readonly remaining: number;
  readonly resetSeconds: number;
  readonly burstConsumed: number;
  readonly burstRemaining: number;
  readonly burstResetSeconds: number;
  readonly degraded: boolean;
}

interface LimiterPair {
  readonly main: RateLimiterAbstract;
  readonly burst: RateLimiterAbstract | null;
}

export interface RateLimitEngine {
  readonly store: StoreKind;
  /** Counts one request against `key` (e.g. "<tenantId>:trpc") and decides. Never throws. */
  consume(key: string, limit: SurfaceLimit): Promise<RateLimitDecision>;
  /** The key's current window without counting anything; null when nothing was counted yet. */
  usage(key: string, limit: SurfaceLimit): Promise<RateLimitUsage | null>;
  /** True when the store is Redis and it is not connected right now. */
  degraded(): boolean;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

function log(level: "warn" | "error", msg: string, extra: Record<string, unknown> = {}): void {
  logger[level](extra, msg);
}

/** Warns once per minute at most while Redis is down, so an outage is visible but not a log flood. */
let lastDegradedLog = 0;
function noteDegraded(status: string): void {
  const now = Date.now();
  if (now - lastDegradedLog < 60_000) return;
  lastDegradedLog = now;
  log("warn", "rate limits: Redis not ready, counting in-process (insurance limiter) until it is", { redisStatus: status });
}

/**
 * An engine on the given store: a Redis client (with the in-process insurance limiter), null for
 * in-process only, or "disabled" (admits everything; for the benchmark's baseline and tests only).
 */
export function createRateLimitEngine(store: Redis | null | "disabled", opts: { timeoutMs?: number; now?: () => number } = {}): RateLimitEngine {
  if (store === "disabled") return disabledEngine;
  const redis = store;
  const timeoutMs = opts.timeoutMs ?? REDIS_TIMEOUT_MS;
  const now = opts.now ?? (() => Date.now());
  const limiters = new Map<string, LimiterPair>();
  const memoryWindowGuard = memoryGuard();
  const guard = redis ? redisGuard(redis, { prefix: KEY_PREFIX, timeoutMs, fallback: memoryWindowGuard }) : memoryWindowGuard;

  const memory = (points: number, duration: number) => new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points, duration });
  const build = (points: number, duration: number): RateLimiterAbstract =>
    redis
      ? new RLWrapperTimeouts({
          limiter: new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, rejectIfRedisNotReady: true, keyPrefix: KEY_PREFIX, points, duration }),
          timeoutMs,
          insuranceLimiter: memory(points, duration),
        })
      : memory(points, duration);

  /** One limiter pair per distinct limit, shared by every tenant and surface with that limit. */
  function pairFor(limit: SurfaceLimit): LimiterPair {
    const id = `${limit.requestsPerWindow}/${limit.windowSeconds}/${limit.burst}`;
    let pair = limiters.get(id);
    if (!pair) {
      if (limiters.size >= LIMITER_CACHE_MAX) limiters.delete(limiters.keys().next().value!);
      pair = {
        main: build(limit.requestsPerWindow, limit.windowSeconds),
        burst: limit.burst > 0 ? build(limit.burst, limit.windowSeconds * BURST_REFILL_WINDOWS) : null,
      };
      limiters.set(id, pair);
    }
    return pair;
  }

  const degraded = () => redis !== null && redis.status !== "ready";

  /** consume() that reports a rejection as a value; a store failure (insurance failed too) admits. */
  async function take(limiter: RateLimiterAbstract, key: string): Promise<{ ok: boolean; res: RateLimiterRes | null }> {
    try {
      return { ok: true, res: await limiter.consume(key) };
    } catch (e) {
      if (e instanceof RateLimiterRes) return { ok: false, res: e };
      log("error", "rate limits: limiter failed, admitting the request", { error: String(e) });
      return { ok: true, res: null };
    }
  }

  return {
    store: redis ? "redis" : "memory",
    degraded,
    async consume(key, limit) {
      const { main, burst } = pairFor(limit);
      const base = { limit: limit.requestsPerWindow, windowSeconds: limit.windowSeconds, burst: limit.burst };
      const m = await take(main, key);
      const isDegraded = degraded();
      if (isDegraded) noteDegraded(redis!.status);
      const windowReset = seconds(m.res?.msBeforeNext ?? limit.windowSeconds * 1000);
      /** Admitted by the fixed window or the burst pool: the sliding guard has the last word. */
      const guarded = async (remaining: number): Promise<RateLimitDecision> => {
        const g = await guard.admit(key, limit.requestsPerWindow + limit.burst, limit.windowSeconds * 1000, now());
        if (g.allowed) return { ...base, allowed: true, remaining, resetSeconds: windowReset, retryAfterSeconds: 0, degraded: isDegraded };
        return { ...base, allowed: false, remaining: 0, resetSeconds: windowReset, retryAfterSeconds: Math.max(1, seconds(g.retryMs)), degraded: isDegraded };
      };
      if (m.ok) return guarded(m.res?.remainingPoints ?? limit.requestsPerWindow);
      // The window's quota is used up: draw on the burst pool (as BurstyRateLimiter does).
      const b = burst ? await take(burst, `${key}:burst`) : null;
      if (b?.ok) return guarded(0);
      // Admitted again when the window resets, or earlier if the burst pool refills first.
      const retryMs = Math.min(m.res!.msBeforeNext, b?.res ? b.res.msBeforeNext : Infinity);
      return { ...base, allowed: false, remaining: 0, resetSeconds: windowReset, retryAfterSeconds: Math.max(1, seconds(retryMs)), degraded: isDegraded };
    },
    async usage(key, limit) {
      const { main, burst } = pairFor(limit);
      const get = (l: RateLimiterAbstract, k: string) => l.get(k).catch(() => null);
      const [m, b] = await Promise.all([get(main, key), burst ? get(burst, `${key}:burst`) : null]);
      if (!m && !b) return null;
      const consumed = Math.min(m?.consumedPoints ?? 0, limit.requestsPerWindow);
      const burstConsumed = Math.min(b?.consumedPoints ?? 0, limit.burst);
      return {
        consumed,
        remaining: limit.requestsPerWindow - consumed,
        resetSeconds: m ? seconds(m.msBeforeNext) : 0,
        burstConsumed,
        burstRemaining: limit.burst - burstConsumed,
        burstResetSeconds: b ? seconds(b.msBeforeNext) : 0,
        degraded: degraded(),
      };
    },
  };
}

const disabledEngine: RateLimitEngine = {
  store: "disabled",
  degraded: () => false,
  async consume(_key, limit) {
    return { allowed: true, limit: limit.requestsPerWindow, windowSeconds: limit.windowSeconds, burst: limit.burst, remaining: limit.requestsPerWindow, resetSeconds: limit.windowSeconds, retryAfterSeconds: 0, degraded: false };
  },
  async usage() {
    return null;
  },
};

const globalForEngine = globalThis as unknown as { credoRateLimitEngine?: RateLimitEngine };

/** The process's engine: Redis when REDIS_URL is set, in-process otherwise. */
export function rateLimitEngine(): RateLimitEngine {
  return (globalForEngine.credoRateLimitEngine ??= createRateLimitEngine(redisClient()));
}

/**
 * Replaces the process's engine (tests: a Redis that can be stopped; the benchmark: Redis vs
 * in-process vs disabled). undefined goes back to the default on next use.
 */
export function setRateLimitEngine(engine: RateLimitEngine | undefined): void {
  globalForEngine.credoRateLimitEngine = engine;
}
