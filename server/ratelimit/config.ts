// Rate-limit configuration: what each tenant may send per surface, and where the numbers come from.
//
//   surface  what is counted                                              key in Redis
//   trpc     console tRPC tenant procedures called by a signed-in operator  rl:<tenantId>:trpc
//   apiKey   tenant procedures called with an API key                      rl:<tenantId>:apiKey
//   public   JWKS, discovery, authorize-check (the tenant of the path or     rl:<tenantId>:public
//            of the client)
//
// Each surface has { requestsPerWindow, windowSeconds, burst }: the policy section `rateLimits`
// (server/isomorphic/policies/sections.ts: built-in defaults → global policy → tenant override). The numbers
// are cached in process and dropped when the invalidation bus (server/cache/invalidation.ts)
// announces a policy change of the tenant or of the global policy — on every instance, within a
// second, from the policy tables' triggers. While the bus is down the older scheme applies: a
// CONFIG_CACHE_MS cache, and invalidateRateLimitConfig (called by the policy save path) makes this
// instance read afresh for INVALIDATION_BYPASS_MS.
import type { TenantReadScope } from "../db/doors";
import { effectiveRateLimits } from "../policies/resolve";
import { FIXED_SECTIONS } from "../isomorphic/policies/sections";
import type { TenantId } from "../tenancy/tenant-id";
import { ALL_TENANTS, invalidationBus } from "../cache/invalidation";
import { TenantCache } from "../cache/tenant-cache";

export const RATE_LIMIT_SURFACES = ["trpc", "apiKey", "public"] as const;
export type RateLimitSurface = (typeof RATE_LIMIT_SURFACES)[number];

export interface SurfaceLimit {
  /** Requests admitted per fixed window. */
  readonly requestsPerWindow: number;
  readonly windowSeconds: number;
  /**
   * Extra requests on top, drawn once a window's quota is used up; the burst pool refills every
   * BURST_REFILL_WINDOWS windows (server/ratelimit/limiter.ts). 0 = no burst.
   */
  readonly burst: number;
}

export type RateLimitConfig = Readonly<Record<RateLimitSurface, SurfaceLimit>>;

/**
 * The built-in defaults (trpc 600/60 s +100, apiKey 1200/60 s +200, public 3000/60 s +500). They
 * live in ONE place, the policy section's field defaults; the global policy overrides them.
 */
const fields = FIXED_SECTIONS.rateLimits.fields;
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  trpc: fields.trpc.default,
  apiKey: fields.apiKey.default,
  public: fields.public.default,
};

/** Bus down: longest a changed limit may go unseen by an instance that was not told (invalidateRateLimitConfig). */
export const CONFIG_CACHE_MS = 5_000;
/** After an invalidation, no caching for this long (the saving transaction commits meanwhile). */
export const INVALIDATION_BYPASS_MS = 2_000;
/** Bound on cached tenants; the oldest entries go first. */
const CONFIG_CACHE_MAX = 10_000;

export const SURFACE_LABELS: Readonly<Record<RateLimitSurface, string>> = {
  trpc: "Console API (tRPC, signed-in operators)",
  apiKey: "API-key traffic",
  public: "Public endpoints (JWKS, discovery, authorize-check)",
};

/**
 * The tenant's effective limits, read in the caller's tenant transaction (the ONE place the engine
 * learns its numbers): the policy section `rateLimits` resolved by the policies capability.
 */
export async function loadTenantRateLimits(scope: TenantReadScope): Promise<RateLimitConfig> {
  return effectiveRateLimits(scope);
}

interface Cached {
  readonly config: RateLimitConfig;
  readonly expiresAt: number;
}

interface ConfigCache {
  readonly entries: Map<TenantId, Cached>;
  /** Per tenant / for all: read afresh (no caching) until this time. */
  readonly bypassUntil: Map<TenantId, number>;
  bypassAllUntil: number;
}

const globalForConfig = globalThis as unknown as { credoRateLimitConfig?: ConfigCache; credoRateLimitBusCache?: TenantCache<TenantId, RateLimitConfig> };
const state = (globalForConfig.credoRateLimitConfig ??= { entries: new Map(), bypassUntil: new Map(), bypassAllUntil: 0 });
const cache = state.entries;
/** While the invalidation bus is up: kept until a change of the tenant (or of the global policy) is announced. */
const busCache = (globalForConfig.credoRateLimitBusCache ??= new TenantCache<TenantId, RateLimitConfig>("rate-limit config", CONFIG_CACHE_MAX));

/** The tenant's limits: read once, then from the cache until a change is announced (see cachedRateLimitConfig). */
export async function rateLimitConfigFor(scope: TenantReadScope, now = Date.now()): Promise<RateLimitConfig> {
  return cachedRateLimitConfig(scope.tenantId, () => loadTenantRateLimits(scope), now);
}

/**
 * The tenant's limits through the cache; `load` reads them (in a tenant transaction) on a miss.
 * With the invalidation bus up (server/cache/invalidation.ts) an entry lives until a policy change
 * of the tenant or the global policy is announced: after the first request the database is not
 * read on the request path. Without it (bus down), entries live CONFIG_CACHE_MS.
 */
export async function cachedRateLimitConfig(tenantId: TenantId, load: () => Promise<RateLimitConfig>, now = Date.now()): Promise<RateLimitConfig> {
  if (invalidationBus().usable()) return busCache.read(tenantId, async () => ({ value: await load(), tenantId }));
  const bypass = Math.max(state.bypassAllUntil, state.bypassUntil.get(tenantId) ?? 0) > now;
  const hit = bypass ? undefined : cache.get(tenantId);
  if (hit && hit.expiresAt > now) return hit.config;
  const config = await load();
  if (bypass) return config;
  state.bypassUntil.delete(tenantId);
  if (cache.size >= CONFIG_CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.delete(tenantId);
  cache.set(tenantId, { config, expiresAt: now + CONFIG_CACHE_MS });
  return config;
}

/**
 * Forget the cached limits of one tenant (or of all): call when saving a rate-limit policy (inside
 * or after its transaction) so the change is enforced on this instance from the next request on.
 * Other instances see it within CONFIG_CACHE_MS.
 */
export function invalidateRateLimitConfig(tenantId?: TenantId, now = Date.now()): void {
  invalidationBus().invalidateLocally(tenantId ?? ALL_TENANTS);
  if (tenantId === undefined) {
    cache.clear();
    state.bypassAllUntil = now + INVALIDATION_BYPASS_MS;
  } else {
    cache.delete(tenantId);
    if (state.bypassUntil.size >= CONFIG_CACHE_MAX) state.bypassUntil.clear();
    state.bypassUntil.set(tenantId, now + INVALIDATION_BYPASS_MS);
  }
}
