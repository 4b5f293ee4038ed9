// Rate-limit admission of tenant procedures WITHOUT a network call inside the request's database
// transaction (server/api/trpc.ts tenantProcedure). The limiter's key needs the tenant id and its
// limits, which are only known once the request is resolved — inside the transaction. So each
// instance remembers, per principal and path tenant, what the last successful resolution found
// (the tenant id, whether the caller is counted at all, the limit in force): the next request asks
// the store (Redis) first, then opens its one transaction, which checks the hint against what it
// resolves. A request without a hint, or whose hint turned out wrong (membership or role changed,
// limits changed), leaves its transaction before doing anything, is admitted with what it found, and
// runs again — so a principal's first request to a tenant on an instance costs one extra
// transaction, and admission is never skipped or made against the wrong tenant.
//
// Only principals who were admitted to the tenant before get a hint, so a foreign operator never
// spends another tenant's budget, and a missing tenant looks exactly like a foreign one (no 429
// oracle): resolution errors come first, the admission's verdict is applied after them.
import type { RateLimitSurface, SurfaceLimit } from "../ratelimit/config";
import { admitTenantRequestWith, RateLimitedError } from "../ratelimit/enforce";
import type { RateLimitDecision } from "../ratelimit/limiter";
import type { TenantId } from "./tenant-id";

interface Hint {
  readonly tenantId: TenantId;
  /** False for security admins: never limited by a tenant's console limit. */
  readonly counted: boolean;
  readonly limit: SurfaceLimit | null;
}

/** Bound on remembered (principal, tenant) pairs; the oldest go first. */
const HINTS_MAX = 20_000;
const globalForHints = globalThis as unknown as { credoAdmissionHints?: Map<string, Hint> };
const hints = (globalForHints.credoAdmissionHints ??= new Map());

/** The decision of a store call made before the transaction, and what it was made for. */
export interface Admission {
  readonly tenantId: TenantId;
  readonly limit: SurfaceLimit;
  readonly decision: RateLimitDecision;
  /** Set when the store refused the request (the decision then says so too). */
  readonly refused: RateLimitedError | null;
}

/** Thrown out of the transaction when it must be admitted first: carries what it resolved. */
export class AdmissionNeeded extends Error {
  constructor(
    readonly tenantId: TenantId,
    readonly limit: SurfaceLimit,
  ) {
    super("admission needed before the transaction");
    this.name = "AdmissionNeeded";
  }
}

/** The hint's key: the session (operators) or the key (API keys), the surface and the path's slug. */
export function admissionKey(principal: { sessionId?: string | null; apiKeyId?: string | null }, surface: RateLimitSurface, slug: string): string | null {
  if (principal.apiKeyId) return `k:${principal.apiKeyId}:${surface}:${slug}`;
  if (principal.sessionId) return `s:${principal.sessionId}:${surface}:${slug}`;
  return null;
}

export function rememberAdmissionHint(key: string, hint: Hint): void {
  hints.delete(key);
  if (hints.size >= HINTS_MAX) {
    const oldest = hints.keys().next();
    if (!oldest.done) hints.delete(oldest.value);
  }
  hints.set(key, hint);
}

export function forgetAdmissionHint(key: string): void {
  hints.delete(key);
}

/** Counts one request against the tenant's limit now (outside any transaction). */
export async function admitNow(tenantId: TenantId, surface: RateLimitSurface, limit: SurfaceLimit): Promise<Admission> {
  try {
    return { tenantId, limit, decision: await admitTenantRequestWith(tenantId, surface, limit), refused: null };
  } catch (e) {
    if (!(e instanceof RateLimitedError)) throw e;
    return { tenantId, limit, decision: e.decision, refused: e };
  }
}

/** Before the transaction: admission from the hint, or null when there is none (or nothing to count). */
export async function admitFromHint(key: string | null, surface: RateLimitSurface): Promise<Admission | null> {
  const hint = key ? hints.get(key) : undefined;
  if (!hint || !hint.counted || !hint.limit) return null;
  return admitNow(hint.tenantId, surface, hint.limit);
}

/** Whether an admission made before the transaction stands for what the transaction resolved. */
export function admissionMatches(a: Admission | null, tenantId: TenantId, limit: SurfaceLimit): a is Admission {
  // Compared by value whatever fields a limit has (plain numbers, from the policy section).
  return a !== null && a.tenantId === tenantId && JSON.stringify(a.limit) === JSON.stringify(limit);
}
