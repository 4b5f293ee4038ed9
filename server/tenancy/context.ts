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

/** No session, unknown user or suspended user. */
export class NotSignedInError extends Error {
  constructor() {
    super("Sign in to continue.");
    this.name = "NotSignedInError";
  }
}

/**
 * Re-reads the operator on every request, so suspension and platform-role changes take effect at
 * once even while a session token is still valid.
 */
export async function loadOperator(userId: string | undefined | null): Promise<Operator> {
  if (!userId) throw new NotSignedInError();
  const user = await asUser(userId, (db) =>
    db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, platformRole: true, status: true } }),
  );
  if (!user || user.status !== "active") throw new NotSignedInError();
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    platformRole: user.platformRole === "security_admin" ? "security_admin" : null,
  };
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
      where: { userId: operator.id, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { role: true, expiresAt: true, tenant: { select: { slug: true, name: true, status: true } } },
      orderBy: { tenant: { slug: "asc" } },
      take: 500,
    });
    return memberships.map((m) => ({
      slug: m.tenant.slug,
      name: m.tenant.name,
      status: m.tenant.status,
      role: m.role as Role,
      expiresAt: m.expiresAt,
    }));
  });
}
