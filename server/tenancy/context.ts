// The tenant context: who is acting, in which tenant, with which role. Made in exactly one place —
// this module — from the principal (a signed-in operator, or an API key already verified by
// server/api-keys/authenticate.ts) and the tenant slug of the URL path. Nothing else reads a tenant
// from headers, bodies or query strings.
import { asUser, enterTenant, inOperatorRequest, inTenant, joinRequestTransaction, leaveTenantFor, onPlatform, withinUserScope, type Db, type DoorOptions, type RequestContextRow, type TenantScope } from "../db/doors";
import { findOwnTenant } from "../tenants/repository";
import { permissionsOf, type Permission, type Role, type TenantPermission } from "../isomorphic/auth/permissions";
import { findIdentifierOwnerTenant, IDENTIFIER_KINDS } from "./global-identifiers-repository";
import { pauseStateOf, TenantPausedError, type PauseState } from "./paused";
import { isPlausibleSlug } from "../isomorphic/tenancy/slug";
import { tenantIdFromDatabase, type TenantId } from "./tenant-id";
import { memoisedOperatorPolicyVersion, operatorPolicyFor } from "../auth/operator-policy";
import { primeLatestLayers } from "../policies/repository";
import { endTimedOutSession, sessionEndReason, sessionTouchDue, touchSession, type OperatorSessionInfo } from "../auth/sessions";
import { secondFactorStateFrom } from "../auth/second-factor-gate";
import { SecondFactorPendingError, type SecondFactorState } from "../isomorphic/auth/second-factor";
import { isUuid } from "../isomorphic/uuid";
import { openableTenants } from "../members/repository";

export interface TenantContext {
  readonly tenantId: TenantId;
  readonly slug: string;
  readonly name: string;
  readonly status: string;
  /** The operator's user id; null when an API key acts. */
  readonly userId: string | null;
  readonly role: Role | "api_key";
  readonly permissions: ReadonlySet<Permission>;
  /** Support grants expire; null for owners and security admins. */
  readonly accessExpiresAt: Date | null;
  /** Set while a security admin has paused the tenant (server/tenancy/paused.ts). */
  readonly pause: PauseState | null;
}

/** The signed-in operator as re-read from the database on every request. */
export interface Operator {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly platformRole: "security_admin" | null;
}

/**
 * A verified API key: it belongs to exactly one tenant (resolved from the key, never from the
 * request) and carries its scopes, a subset of its creator's permissions.
 */
export interface ApiKeyPrincipal {
  readonly keyId: string;
  readonly publicId: string;
  readonly name: string;
  readonly tenantId: TenantId;
  readonly tenantSlug: string;
  readonly scopes: readonly TenantPermission[];
}

/** Thrown for unknown tenants AND for tenants the user may not open: one message, no oracle. */
export class TenantNotFoundError extends Error {
  constructor() {
    super("Tenant not found.");
    this.name = "TenantNotFoundError";
  }
}

/** No session, unknown user or suspended user, or a session that was revoked or timed out. */
export class NotSignedInError extends Error {
  constructor() {
    super("Sign in to continue.");
    this.name = "NotSignedInError";
  }
}

/** The operator of a request together with the server-side session it came with. */
export interface SignedInOperator extends Operator {
  readonly session: OperatorSessionInfo;
  /** The second-factor gate's verdict, read with the operator (absent: ask the gate). */
  readonly secondFactor?: SecondFactorState;
}

/**
 * Re-reads the operator AND their server-side session (server/auth/sessions.ts) on every request,
 * in one query: suspension, platform-role changes, sign-out and revocation take effect at once even
 * while the session JWT is still validly signed. A session past its idle timeout or absolute
 * lifetime (global "operators" policy) is ended here. last_seen_at is written at most once a minute.
 * The same query also reads what the second-factor gate needs (`secondFactor`): one transaction.
 */
export async function loadOperator(userId: string | undefined | null, sessionId: string | undefined | null, now = new Date()): Promise<SignedInOperator> {
  return operatorRequest(userId, sessionId, null, now, async ({ operator }) => ({ kind: "ok", value: operator }));
}

/**
 * A signed-in operator's request without a tenant (user and platform procedures): operator,
 * session and gate verdict as loadOperator reads them, then `fn` in the SAME transaction, which the
 * doors inside `fn` join (server/db/doors.ts joinRequestTransaction). `check` runs first: an error it
 * returns refuses the request after the session upkeep was committed (as loadOperator would have);
 * an error thrown by `fn` rolls the whole transaction back.
 */
export async function inOperatorSession<T>(
  principal: { userId: string | undefined | null; sessionId: string | undefined | null },
  check: (operator: SignedInOperator) => Error | null,
  fn: (operator: SignedInOperator) => Promise<T>,
  now = new Date(),
): Promise<T> {
  return operatorRequest(principal.userId, principal.sessionId, null, now, async ({ operator, db }) => {
    const refusal = check(operator);
    if (refusal) return { kind: "refused", error: refusal };
    return { kind: "ok", value: await joinRequestTransaction(db, operator.id, () => fn(operator)) };
  });
}

/** What a signed-in operator's request transaction found before the caller's own work. */
interface OperatorRequestState {
  readonly operator: SignedInOperator;
  readonly row: RequestContextRow;
  readonly db: Db;
  readonly scope: TenantScope | null;
}

/** A verdict that must not roll the transaction back (a touched or ended session is kept). */
type RequestOutcome<T> = { kind: "ok"; value: T } | { kind: "not_signed_in" } | { kind: "refused"; error: Error };

/**
 * The core of every signed-in request: ONE transaction (server/db/doors.ts inOperatorRequest) whose
 * first statement reads operator, session, policy version, gate counts and (with a slug) tenant and
 * membership. Session upkeep (idle/expired end, last_seen_at) is written in it; `fn` continues in it.
 */
async function operatorRequest<T>(
  userId: string | undefined | null,
  sessionId: string | undefined | null,
  slug: string | null,
  now: Date,
  fn: (state: OperatorRequestState) => Promise<RequestOutcome<T>>,
): Promise<T> {
  if (!userId || !sessionId || !isUuid(userId) || !isUuid(sessionId)) throw new NotSignedInError();
  const outcome = await inOperatorRequest<RequestOutcome<T>>(
    { userId, sessionId, slug, knownPolicyVersion: memoisedOperatorPolicyVersion() },
    async (row, db, scope) => {
      if (!row || row.u_status !== "active" || !row.s_id) return { kind: "not_signed_in" };
      const policy = operatorPolicyFor(row.g_version === null ? null : Number(row.g_version), row.g_version === null ? null : row.g_document);
      const session = {
        id: row.s_id,
        userId: row.u_id,
        createdAt: row.s_created_at!,
        lastSeenAt: row.s_last_seen_at!,
        expiresAt: row.s_expires_at!,
        revokedAt: row.s_revoked_at,
        secondFactorVerifiedAt: row.s_second_factor_verified_at,
        lastVerifiedAt: row.s_last_verified_at!,
      };
      const ended = sessionEndReason(session, policy, now);
      if (ended === "idle" || ended === "expired") {
        if (scope) await leaveTenantFor(db, row.u_id);
        await endTimedOutSession(db, session, ended, now);
      }
      if (ended) return { kind: "not_signed_in" };
      // At most once a minute: the session row is the user's, so a tenant-scoped request steps out.
      if (sessionTouchDue(session, now)) {
        if (scope) await withinUserScope(scope, row.u_id, (udb) => touchSession(udb, session, now));
        else await touchSession(db, session, now);
      }
      const platformRole = row.u_platform_role === "security_admin" ? "security_admin" : null;
      const operator: SignedInOperator = {
        id: row.u_id,
        email: row.u_email,
        name: row.u_name,
        platformRole,
        session: { id: session.id, secondFactorVerifiedAt: session.secondFactorVerifiedAt, lastVerifiedAt: session.lastVerifiedAt, createdAt: session.createdAt },
        secondFactor: secondFactorStateFrom({ id: row.u_id, platformRole }, session, { factors: row.n_factors ?? 0, memberships: row.n_memberships ?? 0 }, policy),
      };
      return fn({ operator, row, db, scope });
    },
  );
  if (outcome.kind === "not_signed_in") throw new NotSignedInError();
  if (outcome.kind === "refused") throw outcome.error;
  return outcome.value;
}

/** The membership verdict shared by both resolvers: the role, or null (= "Tenant not found."). */
function roleIn(
  operator: Operator,
  tenant: { status: string },
  membership: { role: string; expiresAt: Date | null } | null,
  now: Date,
): { role: Role; accessExpiresAt: Date | null } | null {
  // A deleted tenant is a tombstone (server/deletion/): nobody opens it, security admins included.
  if (tenant.status === "deleted") return null;
  if (operator.platformRole === "security_admin") return { role: "security_admin", accessExpiresAt: null };
  if (membership && (membership.role === "owner" || membership.role === "support")) {
    if (membership.expiresAt && membership.expiresAt <= now) return null;
    return { role: membership.role, accessExpiresAt: membership.expiresAt };
  }
  return null;
}

/** A signed-in operator's request to one tenant, resolved and entered. */
export interface OperatorTenantRequest {
  readonly operator: SignedInOperator;
  readonly tenant: TenantContext;
  /** The request's one transaction, in the tenant's scope. */
  readonly scope: TenantScope;
}

/**
 * Session user + session + path tenant → operator, second-factor gate, membership + role →
 * TenantContext, and then `fn` in the tenant's scope — ALL in ONE transaction, whose first
 * statement reads everything and sets the scope (server/db/doors.ts inOperatorRequest).
 * Throws NotSignedInError, SecondFactorPendingError (the gate) or TenantNotFoundError (unknown
 * slug, no membership, expired support grant, deleted tenant: all the same), in that order. An
 * error thrown by `fn` rolls the whole transaction back.
 */
export async function inOperatorTenant<T>(
  principal: { userId: string | undefined | null; sessionId: string | undefined | null },
  slug: string,
  fn: (req: OperatorTenantRequest) => Promise<T>,
  now = new Date(),
): Promise<T> {
  const plausible = isPlausibleSlug(slug);
  return operatorRequest(principal.userId, principal.sessionId, plausible ? slug : null, now, async ({ operator, row, scope }) => {
    if (operator.secondFactor && operator.secondFactor !== "satisfied") return { kind: "refused", error: new SecondFactorPendingError(operator.secondFactor) };
    const verdict = plausible && row.t_id && row.t_status
      ? roleIn(operator, { status: row.t_status }, row.m_role ? { role: row.m_role, expiresAt: row.m_expires_at } : null, now)
      : null;
    // The SQL function and this check must agree; when they do not (e.g. a clock edge on a support
    // grant's expiry), the tenant stays closed.
    if (!verdict || !scope || scope.tenantId !== row.t_id) return { kind: "refused", error: new TenantNotFoundError() };
    const tenant: TenantContext = {
      tenantId: tenantIdFromDatabase(row.t_id),
      slug: row.t_slug!,
      name: row.t_name!,
      status: row.t_status!,
      userId: operator.id,
      role: verdict.role,
      permissions: permissionsOf(verdict.role),
      accessExpiresAt: verdict.accessExpiresAt,
      pause: pauseStateOf({ pausedAt: row.t_paused_at, pausedReason: row.t_paused_reason }),
    };
    primeLatestLayers(
      scope,
      row.g_version === null ? null : { id: null, version: row.g_version, document: row.lg_document, author_label: row.lg_author_label ?? "", comment: row.lg_comment ?? "", created_at: row.lg_created_at ?? new Date(0) },
      row.lt_version === null ? null : { id: row.lt_id, version: row.lt_version, document: row.lt_document, author_label: row.lt_author_label ?? "", comment: row.lt_comment ?? "", created_at: row.lt_created_at ?? new Date(0) },
    );
    return { kind: "ok", value: await fn({ operator, tenant, scope }) };
  });
}

/**
 * Session user + path tenant → membership + role → TenantContext.
 * Unknown slug, no membership, expired support grant: the same TenantNotFoundError.
 */
export async function resolveTenantContext(operator: Operator, slug: string, now = new Date()): Promise<TenantContext> {
  if (!isPlausibleSlug(slug)) throw new TenantNotFoundError();
  const found = await asUser(operator.id, async (db) => {
    const tenant = await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, status: true, pausedAt: true, pausedReason: true } });
    if (!tenant) return null;
    // RLS (policy own_memberships_read) shows this user's rows only; the filter says the same.
    const membership = await db.membership.findUnique({
      where: { tenantId_userId: { tenantId: tenant.id, userId: operator.id } },
      select: { role: true, expiresAt: true },
    });
    return { tenant, membership };
  });
  if (!found) throw new TenantNotFoundError();
  const { tenant, membership } = found;
  const verdict = roleIn(operator, tenant, membership, now);
  if (!verdict) throw new TenantNotFoundError();
  const { role, accessExpiresAt } = verdict;

  return {
    tenantId: tenantIdFromDatabase(tenant.id),
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    userId: operator.id,
    role,
    permissions: permissionsOf(role),
    accessExpiresAt,
    pause: pauseStateOf(tenant),
  };
}

/**
 * API key + path tenant → TenantContext. The key decides the tenant; a path naming any other tenant
 * gets the same TenantNotFoundError as a missing one.
 */
export async function resolveApiKeyTenantContext(key: ApiKeyPrincipal, slug: string): Promise<TenantContext> {
  if (slug !== key.tenantSlug) throw new TenantNotFoundError();
  const tenant = await onPlatform((db) =>
    db.tenant.findUnique({ where: { id: key.tenantId }, select: { slug: true, name: true, status: true, pausedAt: true, pausedReason: true } }),
  );
  return apiKeyContext(key, slug, tenant);
}

/**
 * API key + path tenant → TenantContext, then `fn` in the tenant's scope, in ONE transaction (the
 * tenant row is read in it). The key decides the tenant; a path naming any other tenant gets the
 * same TenantNotFoundError as a missing one. An error thrown by `fn` rolls everything back.
 */
export async function inApiKeyTenant<T>(
  key: ApiKeyPrincipal,
  slug: string,
  fn: (req: { tenant: TenantContext; scope: TenantScope }) => Promise<T>,
  options: DoorOptions = {},
): Promise<T> {
  if (slug !== key.tenantSlug) throw new TenantNotFoundError();
  return inTenant(
    key.tenantId,
    async (scope) => {
      const tenant = await findOwnTenant(scope);
      return fn({ tenant: apiKeyContext(key, slug, tenant), scope });
    },
    options,
  );
}

function apiKeyContext(key: ApiKeyPrincipal, slug: string, tenant: { slug: string; name: string; status: string; pausedAt: Date | null; pausedReason: string | null } | null): TenantContext {
  if (!tenant || tenant.slug !== slug || tenant.status !== "active") throw new TenantNotFoundError();
  return {
    tenantId: key.tenantId,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    userId: null,
    role: "api_key",
    permissions: new Set<Permission>(key.scopes),
    accessExpiresAt: null,
    pause: pauseStateOf(tenant),
  };
}

/** A tenant named by the path of a public, session-less endpoint (JWKS, discovery). */
export interface PublicTenant {
  readonly tenantId: TenantId;
  readonly slug: string;
}

/**
 * Path tenant → tenant for public endpoints (no principal: they publish public data only). A tenant
 * being deleted serves nothing, exactly like one that does not exist; a paused tenant throws
 * TenantPausedError (423).
 */
export async function resolvePublicTenant(slug: string): Promise<PublicTenant> {
  return inPublicTenant(slug, async (tenant) => tenant);
}

/**
 * The same resolution, then `fn` in that tenant's scope — in ONE transaction (the platform lookup
 * and the tenant read share it), because public endpoints such as the JWKS are hit by every verifier.
 */
export async function inPublicTenant<T>(slug: string, fn: (tenant: PublicTenant, scope: TenantScope) => Promise<T>): Promise<T> {
  if (!isPlausibleSlug(slug)) throw new TenantNotFoundError();
  return onPlatform(async (db) => {
    const row = await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, status: true, pausedAt: true, pausedReason: true } });
    if (!row || row.status === "pending_deletion" || row.status === "deleted") throw new TenantNotFoundError();
    const pause = pauseStateOf(row);
    if (pause) throw new TenantPausedError(pause);
    const tenant = { tenantId: tenantIdFromDatabase(row.id), slug: row.slug };
    return fn(tenant, await enterTenant(db, tenant.tenantId));
  });
}

/**
 * OAuth client_id → its one tenant (ADR-003: public endpoints resolve the tenant from the client's
 * record, never from the caller), then `fn` in that tenant's scope, in one transaction. Unknown
 * client ids and tenants that are not active throw TenantNotFoundError; a paused tenant throws
 * TenantPausedError.
 */
export async function inClientTenant<T>(clientId: string, fn: (tenant: PublicTenant, scope: TenantScope) => Promise<T>): Promise<T> {
  return onPlatform(async (db) => {
    const owner = await findIdentifierOwnerTenant(db, IDENTIFIER_KINDS.clientId, clientId);
    if (!owner || owner.status !== "active") throw new TenantNotFoundError();
    const pause = pauseStateOf(owner);
    if (pause) throw new TenantPausedError(pause);
    const tenant = { tenantId: tenantIdFromDatabase(owner.id), slug: owner.slug };
    return fn(tenant, await enterTenant(db, tenant.tenantId));
  });
}

/** The tenants an operator may open (tenant list, switcher). Security admins: see listAllTenants. */
export async function listOperatorTenants(operator: Operator, now = new Date()) {
  return asUser(operator.id, (db) => openableTenants(db, operator.id, now));
}

/** A public endpoint's tenant with its pause state, and what `fn` read (null when paused). */
export interface PublicTenantRead<T> {
  readonly tenant: PublicTenant;
  readonly pause: PauseState | null;
  readonly value: T | null;
}

/**
 * inPublicTenant for callers that cache the outcome (server/signing-keys/public-documents.ts): a paused
 * tenant is returned with its pause state (fn not run) instead of thrown, so the pause can be
 * cached and answered 423 from the cache. Unknown and pending-deletion tenants still throw.
 */
export async function readPublicTenant<T>(slug: string, fn: (tenant: PublicTenant, scope: TenantScope) => Promise<T>): Promise<PublicTenantRead<T>> {
  if (!isPlausibleSlug(slug)) throw new TenantNotFoundError();
  return onPlatform(async (db) => {
    const row = await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, status: true, pausedAt: true, pausedReason: true } });
    if (!row || row.status === "pending_deletion" || row.status === "deleted") throw new TenantNotFoundError();
    const tenant = { tenantId: tenantIdFromDatabase(row.id), slug: row.slug };
    const pause = pauseStateOf(row);
    return { tenant, pause, value: pause ? null : await fn(tenant, await enterTenant(db, tenant.tenantId)) };
  });
}

/** inClientTenant's counterpart of readPublicTenant: the client's tenant, its pause state, what fn read. */
export async function readClientTenant<T>(clientId: string, fn: (tenant: PublicTenant, scope: TenantScope) => Promise<T>): Promise<PublicTenantRead<T>> {
  return onPlatform(async (db) => {
    const owner = await findIdentifierOwnerTenant(db, IDENTIFIER_KINDS.clientId, clientId);
    if (!owner || owner.status !== "active") throw new TenantNotFoundError();
    const tenant = { tenantId: tenantIdFromDatabase(owner.id), slug: owner.slug };
    const pause = pauseStateOf(owner);
    return { tenant, pause, value: pause ? null : await fn(tenant, await enterTenant(db, tenant.tenantId)) };
  });
}
