// Admission: one request of a tenant on a surface, counted against that tenant's own keys. The
// tenant is always the AUTHENTICATED one — the operator's or API key's tenant context, the tenant
// of a public path, the owner of an OAuth client — never a header.
import type { TenantScope } from "../db/doors";
import { DEFAULT_RATE_LIMITS, rateLimitConfigFor, type RateLimitSurface, type SurfaceLimit } from "./config";
import { rateLimitEngine, type RateLimitDecision } from "./limiter";
import { countRateLimitRefusal } from "../observability/metrics";

const SURFACE_NAMES: Readonly<Record<RateLimitSurface, string>> = {
  trpc: "console API",
  apiKey: "API-key traffic",
  public: "public endpoints",
};

/** A request refused by a limiter; the HTTP layers turn it into 429 + Retry-After + RateLimit headers. */
export class RateLimitedError extends Error {
  constructor(
    readonly decision: RateLimitDecision,
    message: string,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

/** The tenant's key of a surface: rl:<tenantId>:<surface> once the limiter adds its prefix. */
export const tenantKey = (tenantId: string, surface: RateLimitSurface) => `${tenantId}:${surface}`;

function describe(limit: SurfaceLimit): string {
  return `${limit.requestsPerWindow} requests per ${limit.windowSeconds} s${limit.burst ? ` (+${limit.burst} burst)` : ""}`;
}

/**
 * Counts one request of the scope's tenant on `surface`. Returns the decision when admitted (for
 * the RateLimit headers), throws RateLimitedError when not. Store failures admit (fail open).
 */
export async function admitTenantRequest(scope: TenantScope, surface: RateLimitSurface): Promise<RateLimitDecision> {
  const engine = rateLimitEngine();
  // Disabled (benchmark baseline): not even the limits are read.
  const limit = engine.store === "disabled" ? DEFAULT_RATE_LIMITS[surface] : (await rateLimitConfigFor(scope))[surface];
  const decision = await engine.consume(tenantKey(scope.tenantId, surface), limit);
  if (!decision.allowed) {
    countRateLimitRefusal(surface);
    throw new RateLimitedError(
      decision,
      `Rate limit reached for this tenant's ${SURFACE_NAMES[surface]}: ${describe(limit)}. Try again in ${decision.retryAfterSeconds} s.`,
    );
  }
  return decision;
}

/**
 * Public requests that name no known tenant (an unknown OAuth client_id at authorize-check, an
 * unknown slug's JWKS or discovery document) are counted per caller IP in global buckets of their
 * own (rl:global:<bucket>:<ip>), so they neither drain a tenant's budget nor go unlimited.
 */
export const UNKNOWN_CLIENT_LIMIT: SurfaceLimit = DEFAULT_RATE_LIMITS.public;
export type UnknownTenantBucket = "authorize-check" | "public-document";

export const unknownTenantKey = (bucket: UnknownTenantBucket, ip: string | null) => `global:${bucket}:${ip ?? "unknown"}`;

export async function admitUnknownTenantRequest(bucket: UnknownTenantBucket, ip: string | null): Promise<RateLimitDecision> {
  const decision = await rateLimitEngine().consume(unknownTenantKey(bucket, ip), UNKNOWN_CLIENT_LIMIT);
  if (!decision.allowed) {
    countRateLimitRefusal(`unknown:${bucket}`);
    throw new RateLimitedError(decision, `Too many requests from this address. Try again in ${decision.retryAfterSeconds} s.`);
  }
  return decision;
}

/** IETF draft-ietf-httpapi-ratelimit-headers (RateLimit-Limit/-Remaining/-Reset), + Retry-After when refused. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(d.limit),
    "RateLimit-Remaining": String(Math.max(0, d.remaining)),
    "RateLimit-Reset": String(d.resetSeconds),
    "RateLimit-Policy": `${d.limit};w=${d.windowSeconds}`,
  };
  if (!d.allowed) headers["Retry-After"] = String(d.retryAfterSeconds);
  return headers;
}

/** Of several decisions in one HTTP response (a tRPC batch), the one the headers should report. */
export function tightest(a: RateLimitDecision | null, b: RateLimitDecision): RateLimitDecision {
  if (!a) return b;
  if (a.allowed !== b.allowed) return a.allowed ? b : a;
  return b.remaining < a.remaining ? b : a;
}
