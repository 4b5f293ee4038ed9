// The tenant context: who is acting, in which tenant, with which role. Made in exactly one place —
// this module — from the principal (a signed-in operator, or an API key already verified by
// server/apikeys/authenticate.ts) and the tenant slug of the URL path. Nothing else reads a tenant
// from headers, bodies or query strings.
import { asUser, enterTenant, onPlatform, type TenantScope } from "../db/doors";
import { permissionsOf, type Permission, type Role, type TenantPermission } from "../auth/permissions";
import { findIdentifierOwnerTenant, IDENTIFIER_KINDS } from "../repos/global-identifiers";
import { pauseStateOf, TenantPausedError, type PauseState } from "./paused";
import { isPlausibleSlug } from "./slug";
import { tenantIdFromDatabase, type TenantId } from "./tenant-id";
import { memoisedOperatorPolicyVersion, operatorPolicyFor } from "../auth/operator-policy";
import { endTimedOutSession, sessionEndReason, touchSession, type OperatorSessionInfo } from "../auth/sessions";

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
}

interface OperatorRow {
  id: string;
  email: string;
  name: string;
  platform_role: string | null;
  status: string;
  s_id: string | null;
  s_created_at: Date | null;
  s_last_seen_at: Date | null;
  s_expires_at: Date | null;
  s_revoked_at: Date | null;
  s_second_factor_verified_at: Date | null;
  s_last_verified_at: Date | null;
  policy_version: number | null;
  policy_document: unknown;
}

/**
 * Re-reads the operator AND their server-side session (server/auth/sessions.ts) on every request,
 * in one query: suspension, platform-role changes, sign-out and revocation take effect at once even
 * while the session JWT is still validly signed. A session past its idle timeout or absolute
 * lifetime (global "operators" policy) is ended here. last_seen_at is written at most once a minute.
 */
export async function loadOperator(userId: string | undefined | null, sessionId: string | undefined | null, now = new Date()): Promise<SignedInOperator> {
  if (!userId || !sessionId || !UUID.test(userId) || !UUID.test(sessionId)) throw new NotSignedInError();
  const result = await asUser(userId, async (db) => {
    const known = memoisedOperatorPolicyVersion();
    const rows = await db.$queryRaw<OperatorRow[]>`
      SELECT u.id::text AS id, u.email, u.name, u.platform_role, u.status,
             s.id::text AS s_id, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at,
             s.revoked_at AS s_revoked_at, s.second_factor_verified_at AS s_second_factor_verified_at, s.last_verified_at AS s_last_verified_at,
             g.version AS policy_version, CASE WHEN g.version = ${known} THEN NULL ELSE g.document END AS policy_document
        FROM users u
        LEFT JOIN operator_sessions s ON s.id = ${sessionId}::uuid AND s.user_id = u.id
        LEFT JOIN LATERAL (SELECT version, document FROM global_policy_versions ORDER BY version DESC LIMIT 1) g ON true
       WHERE u.id = ${userId}::uuid`;
    const row = rows[0];
    if (!row || row.status !== "active" || !row.s_id) return null;
    const policy = operatorPolicyFor(row.policy_version === null ? null : Number(row.policy_version), row.policy_version === null ? null : row.policy_document);
    const session = {
      id: row.s_id,
      userId: row.id,
      createdAt: row.s_created_at!,
      lastSeenAt: row.s_last_seen_at!,
      expiresAt: row.s_expires_at!,
      revokedAt: row.s_revoked_at,
      secondFactorVerifiedAt: row.s_second_factor_verified_at,
      lastVerifiedAt: row.s_last_verified_at!,
    };
    const ended = sessionEndReason(session, policy, now);
    if (ended === "idle" || ended === "expired") await endTimedOutSession(db, session, ended, now);
    if (ended) return null;
    await touchSession(db, session, now);
    return { row, session };
  });
  if (!result) throw new NotSignedInError();
  const { row, session } = result;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    platformRole: row.platform_role === "security_admin" ? "security_admin" : null,
    session: { id: session.id, secondFactorVerifiedAt: session.secondFactorVerifiedAt, lastVerifiedAt: session.lastVerifiedAt, createdAt: session.createdAt },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  // A deleted tenant is a tombstone (server/deletion/): nobody opens it, security admins included.
  if (!found || found.tenant.status === "deleted") throw new TenantNotFoundError();
  const { tenant, membership } = found;

  let role: Role;
  let accessExpiresAt: Date | null = null;
  if (operator.platformRole === "security_admin") {
    role = "security_admin";
  } else if (membership && (membership.role === "owner" || membership.role === "support")) {
    if (membership.expiresAt && membership.expiresAt <= now) throw new TenantNotFoundError();
    role = membership.role;
    accessExpiresAt = membership.expiresAt;
  } else {
    throw new TenantNotFoundError();
  }

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
  return asUser(operator.id, async (db) => {
    const memberships = await db.membership.findMany({
      where: { userId: operator.id, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }], tenant: { status: { not: "deleted" } } },
      select: { role: true, expiresAt: true, tenant: { select: { slug: true, name: true, status: true, pausedAt: true } } },
      orderBy: { tenant: { slug: "asc" } },
      take: 500,
    });
    return memberships.map((m) => ({
      slug: m.tenant.slug,
      name: m.tenant.name,
      status: m.tenant.status,
      paused: m.tenant.pausedAt !== null,
      role: m.role as Role,
      expiresAt: m.expiresAt,
    }));
  });
}
