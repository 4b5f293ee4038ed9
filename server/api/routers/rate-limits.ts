// The tenant's rate limits as enforced right now: the effective limit of each surface (edited on
// the Policies page, section "Rate limits") and the current window's usage from the limiter.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { CONFIG_CACHE_MS, RATE_LIMIT_SURFACES, rateLimitConfigFor, SURFACE_LABELS } from "../../ratelimit/config";
import { tenantKey } from "../../ratelimit/enforce";
import { BURST_REFILL_WINDOWS, rateLimitEngine } from "../../ratelimit/limiter";

export const rateLimitsRouter = createTRPCRouter({
  usage: tenantProcedure("ratelimits.read").query(async ({ ctx }) => {
    const config = await rateLimitConfigFor(ctx.scope);
    const engine = rateLimitEngine();
    const surfaces = await Promise.all(
      RATE_LIMIT_SURFACES.map(async (surface) => ({
        surface,
        label: SURFACE_LABELS[surface],
        limit: config[surface],
        usage: await engine.usage(tenantKey(ctx.scope.tenantId, surface), config[surface]),
      })),
    );
    return {
      store: engine.store,
      degraded: engine.degraded(),
      configCacheSeconds: CONFIG_CACHE_MS / 1000,
      burstRefillWindows: BURST_REFILL_WINDOWS,
      paused: ctx.tenant.pause,
      surfaces,
    };
  }),
});
