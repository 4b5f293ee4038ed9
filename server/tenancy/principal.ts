// The tenant door: the ONE way a request reaches a tenant's data, shared by the tRPC tenant
// procedures (server/api/trpc.ts) and every tenant HTTP route (server/http/tenant-route.ts). It owns
//
//   who is calling      Authorization: Bearer <API key> → the key (its tenant comes from the key),
//                        any other Authorization header → refused; none → the Auth.js session
//   tenant headers      X-Tenant-ID and friends are refused: the tenant only comes from the URL path
//   resolution          principal + path slug → TenantContext in ONE transaction
//                        (server/tenancy/context.ts); missing and foreign tenants look the same
//   pause               API keys refused; operators read, only security admins change
//   pending deletion    refused unless the caller is one of the few doors left open
//   permission          the role's (or the key's scopes') permission in this tenant
//   rate limit          the tenant's console ("trpc") or API-key limit, asked before the transaction
//                        opens (server/tenancy/admission.ts); security admins are never counted
//   audit actor         the user or key, as recorded in the audit trail
//
// It throws domain errors only; each surface turns them into its own answer (tRPC codes, HTTP
// statuses), so both refuse the same requests for the same reasons.
import { authenticateApiKey } from "../api-keys/authenticate";
import type { TenantPermission } from "../isomorphic/auth/permissions";
import type { OperatorSessionInfo } from "../auth/sessions";
import { SecondFactorPendingError } from "../isomorphic/auth/second-factor";
import type { AuditActor } from "../audit/record";
import type { TenantScope } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import { tenantLimitOf } from "../ratelimit/enforce";
import type { RateLimitDecision } from "../ratelimit/limiter";
import { admissionKey, admissionMatches, admitFromHint, admitNow, AdmissionNeeded, forgetAdmissionHint, rememberAdmissionHint, type Admission } from "./admission";
import { inApiKeyTenant, inOperatorTenant, NotSignedInError, TenantNotFoundError, type ApiKeyPrincipal, type TenantContext } from "./context";
import { PAUSED_API_KEY_MESSAGE, pausedChangeMessage, TenantPausedError } from "./paused";
import { PENDING_DELETION_MESSAGE } from "../isomorphic/tenancy/pending-deletion";

/** Headers other products use to pick a tenant; refused outright so nobody relies on them. */
const TENANT_HEADERS = ["x-tenant-id", "x-tenant", "x-org-id"] as const;

/** The tenant header the request carries (refused: 400), if any. */
export function refusedTenantHeader(req: Request): string | null {
  return TENANT_HEADERS.find((h) => req.headers.has(h)) ?? null;
}

export function tenantHeaderMessage(header: string): string {
  return `The ${header} header is not accepted: the tenant comes from the URL path (and an API key's tenant from the key).`;
}

export const INVALID_API_KEY_MESSAGE = "Invalid API key. Send a live key as: Authorization: Bearer tc_<id>_<secret>.";
export const INVALID_KEY_HEADERS = { "WWW-Authenticate": 'Bearer realm="credo", error="invalid_token"' } as const;

/**
 * The API key the request authenticates with: none without an Authorization header; any
 * Authorization header that is not a valid, live key → not ok (401, one message for all).
 */
export async function apiKeyOf(req: Request): Promise<{ ok: true; apiKey: ApiKeyPrincipal | null } | { ok: false }> {
  const authorization = req.headers.get("authorization");
  if (authorization === null) return { ok: true, apiKey: null };
  const apiKey = await authenticateApiKey(authorization);
  return apiKey ? { ok: true, apiKey } : { ok: false };
}

/** The Auth.js session as the door reads it (type-only: no next-auth import here). */
export type SessionRef = { user?: { id?: string | null } | null; sid?: string | null } | null;

/** Who is calling: an API key (then the session is ignored) or the session. */
export interface Principal {
  readonly apiKey: ApiKeyPrincipal | null;
  readonly session: SessionRef;
}

/** A read (tRPC query, HTTP GET/HEAD) or a change: a paused tenant tells them apart. */
export type TenantAccess = "read" | "change";

export interface TenantRequirement {
  readonly permission: TenantPermission;
  readonly access: TenantAccess;
  /**
   * Also open while the tenant is pending deletion (server/deletion/): only the deletion's own
   * status/cancel, the configuration copy and read-only exports are.
   */
  readonly whilePendingDeletion?: boolean;
  /** The work only reads (with access "read"): see `resolved`. */
  readonly readOnly?: boolean;
}

/** What the caller's work inside the door gets: ONE tenant-scoped transaction. */
export interface TenantRequest {
  readonly tenant: TenantContext;
  readonly actor: AuditActor;
  readonly operatorSession: OperatorSessionInfo | null;
  readonly scope: TenantScope;
}

export class TenantPendingDeletionError extends AppError {
  constructor() {
    super("TENANT_PENDING_DELETION", PENDING_DELETION_MESSAGE);
    this.name = "TenantPendingDeletionError";
  }
}

export class TenantPermissionError extends AppError {
  constructor(tenant: TenantContext, permission: TenantPermission) {
    const who = tenant.role === "api_key" ? "This API key's scopes do" : `Your role (${tenant.role}) does`;
    super("FORBIDDEN", `${who} not include ${permission} in this tenant.`);
    this.name = "TenantPermissionError";
  }
}

/** A request whose admission never settles (its tenant or limits keep changing under it) gives up. */
const MAX_ADMISSION_ATTEMPTS = 3;

/**
 * The principal's request to the path's tenant: every check above, then `fn` — all in ONE
 * transaction, rolled back when `fn` throws (its error comes out unchanged). `onRateLimit` hears the
 * admission's decision (for RateLimit headers), also when it refuses (RateLimitedError).
 *
 * Errors, in the order they are checked: NotSignedInError, SecondFactorPendingError,
 * TenantNotFoundError, TenantPausedError, TenantPendingDeletionError, TenantPermissionError,
 * RateLimitedError (a refused admission is applied only after resolution, so a missing tenant never
 * answers 429), and TenantBusyError from the pool share (server/tenancy/concurrency.ts).
 */
export async function throughTenantDoor<T>(
  principal: Principal,
  slug: string,
  requirement: TenantRequirement,
  fn: (req: TenantRequest) => Promise<T>,
  onRateLimit: (decision: RateLimitDecision) => void = () => {},
): Promise<T> {
  const surface = principal.apiKey ? "apiKey" : "trpc";
  const hintKey = admissionKey({ sessionId: principal.session?.sid, apiKeyId: principal.apiKey?.keyId }, surface, slug);
  let admission = await admitFromHint(hintKey, surface);
  for (let attempt = 1; ; attempt++) {
    try {
      return await resolved(principal, slug, requirement.readOnly === true && requirement.access === "read", async (req) => {
        const { tenant, scope } = req;
        refuseIfPaused(tenant, requirement.access);
        if (tenant.status === "pending_deletion" && !requirement.whilePendingDeletion) throw new TenantPendingDeletionError();
        if (!tenant.permissions.has(requirement.permission)) throw new TenantPermissionError(tenant, requirement.permission);
        // Security admins are the platform's operators, not the tenant's traffic: never limited by a
        // tenant's console limit, so a tenant that set it too low can always be repaired.
        if (tenant.role === "security_admin") {
          if (hintKey) rememberAdmissionHint(hintKey, { tenantId: tenant.tenantId, counted: false, limit: null });
        } else {
          const limit = await tenantLimitOf(scope, surface);
          if (hintKey) rememberAdmissionHint(hintKey, { tenantId: tenant.tenantId, counted: true, limit });
          if (!admissionMatches(admission, tenant.tenantId, limit)) throw new AdmissionNeeded(tenant.tenantId, limit);
          settle(admission, onRateLimit);
        }
        return fn(req);
      });
    } catch (e) {
      if (e instanceof AdmissionNeeded && attempt < MAX_ADMISSION_ATTEMPTS) {
        admission = await admitNow(e.tenantId, surface, e.limit);
        continue;
      }
      if (hintKey && (e instanceof TenantNotFoundError || e instanceof NotSignedInError || e instanceof SecondFactorPendingError)) forgetAdmissionHint(hintKey);
      throw e;
    }
  }
}

/**
 * Resolution (server/tenancy/context.ts) and `fn` in one transaction, with the audit actor. With
 * `readOnly`, an API key's request is a READ ONLY transaction: PostgreSQL refuses any write in it,
 * and its COMMIT is not waited for (server/db/doors.ts). An operator's request is never one: it
 * touches the operator's session.
 */
function resolved<T>(principal: Principal, slug: string, readOnly: boolean, fn: (req: TenantRequest) => Promise<T>): Promise<T> {
  const key = principal.apiKey;
  if (key) {
    const actor = { type: "api_key", id: key.publicId, label: key.name } as const;
    return inApiKeyTenant(key, slug, ({ tenant, scope }) => fn({ tenant, scope, actor, operatorSession: null }), { readOnly });
  }
  return inOperatorTenant({ userId: principal.session?.user?.id, sessionId: principal.session?.sid }, slug, ({ operator, tenant, scope }) =>
    fn({ tenant, scope, actor: { type: "user", id: operator.id, label: operator.email }, operatorSession: operator.session }),
  );
}

/**
 * A paused tenant: API keys are refused outright; operators may still read (to see why), but only
 * security admins may change it (to remediate before resuming). HTTP answers 423.
 */
function refuseIfPaused(tenant: TenantContext, access: TenantAccess): void {
  if (!tenant.pause) return;
  if (tenant.role === "api_key") throw new TenantPausedError(tenant.pause, PAUSED_API_KEY_MESSAGE);
  if (access === "change" && tenant.role !== "security_admin") throw new TenantPausedError(tenant.pause, pausedChangeMessage(tenant.pause));
}

/** Applies an admission made before the transaction: its decision is heard, a refusal thrown. */
function settle(admission: Admission, onRateLimit: (decision: RateLimitDecision) => void): void {
  onRateLimit(admission.decision);
  if (admission.refused) throw admission.refused;
}
