// Tenant-owned repository: OAuth clients and their secrets, of one tenant. Every function takes a
// TenantScope and filters by its tenantId (RLS enforces the same). Secret hashes are read only by
// the functions whose names say so.
import { likeLiteral } from "../lists/like";
import { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";
import { toPage, type ListPage, type SortDirection } from "../lists/keyset";
import { keysetSql } from "../db/keyset-sql";
import { queryRows } from "../db/rows";
import { tenantDataChanged } from "../cache/invalidation";

const clientSelect = {
  id: true,
  clientId: true,
  name: true,
  type: true,
  grantTypes: true,
  redirectUris: true,
  postLogoutRedirectUris: true,
  allowedOrigins: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
  createdByLabel: true,
  secrets: { select: { id: true, hint: true, createdAt: true, expiresAt: true }, orderBy: { createdAt: "desc" } },
} as const satisfies Prisma.OAuthClientSelect;

export type OAuthClientRow = Prisma.OAuthClientGetPayload<{ select: typeof clientSelect }>;

export const CLIENT_LIST_LIMIT = 500;

export function listClients(scope: TenantScope): Promise<OAuthClientRow[]> {
  return scope.db.oAuthClient.findMany({
    where: { tenantId: scope.tenantId },
    select: clientSelect,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: CLIENT_LIST_LIMIT,
  });
}

export const CLIENT_SORTS = ["createdAt", "name", "clientId"] as const;
export interface ClientPageInput {
  search?: string;
  sort?: (typeof CLIENT_SORTS)[number];
  direction?: SortDirection;
  cursor?: string | null;
  limit: number;
}

/**
 * One page of the tenant's clients, keyset-ordered on (tenant_id, sort column, id) indexes; search is
 * a case-insensitive match on the name or the client id, read at most `limit + 1` rows.
 */
export async function pageClients(scope: TenantScope, input: ClientPageInput): Promise<ListPage<OAuthClientRow>> {
  const sort = input.sort ?? "createdAt";
  const column = { createdAt: Prisma.sql`c.created_at`, name: Prisma.sql`c.name`, clientId: Prisma.sql`c.client_id` }[sort];
  const { after, orderBy } = keysetSql(column, Prisma.sql`c.id`, input.direction ?? (sort === "createdAt" ? "desc" : "asc"), input.cursor);
  const pattern = input.search ? `%${likeLiteral(input.search)}%` : null;
  const search = pattern ? Prisma.sql`AND (c.name ILIKE ${pattern} OR c.client_id ILIKE ${pattern})` : Prisma.empty;
  // One statement for the page and its secrets (Prisma's nested select sent two), on the
  // transaction's own connection (server/db/rows.ts: issue 16).
  const rows = await queryRows<Omit<OAuthClientRow, "secrets"> & { secrets: { id: string; hint: string; createdAt: string; expiresAt: string | null }[] }>(
    scope.db,
    Prisma.sql`
    SELECT c.id, c.client_id AS "clientId", c.name, c.type, c.grant_types AS "grantTypes", c.redirect_uris AS "redirectUris",
           c.post_logout_redirect_uris AS "postLogoutRedirectUris", c.allowed_origins AS "allowedOrigins", c.enabled,
           c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.created_by_label AS "createdByLabel",
           (SELECT coalesce(json_agg(json_build_object('id', s.id, 'hint', s.hint, 'createdAt', s.created_at, 'expiresAt', s.expires_at)
                                     ORDER BY s.created_at DESC), '[]')
              FROM oauth_client_secrets s WHERE s.tenant_id = c.tenant_id AND s.client_row_id = c.id) AS secrets
      FROM oauth_clients c
     WHERE c.tenant_id = ${scope.tenantId}::uuid ${search} ${after}
     ORDER BY ${orderBy}
     LIMIT ${input.limit + 1}`,
    { keepPlan: true },
  );
  const items: OAuthClientRow[] = rows.map((r) => ({
    ...r,
    secrets: r.secrets.map((x) => ({ id: x.id, hint: x.hint, createdAt: new Date(x.createdAt), expiresAt: x.expiresAt === null ? null : new Date(x.expiresAt) })),
  }));
  return toPage(items, input.limit, (r) => r[sort]);
}

export function findClient(scope: TenantScope, id: string): Promise<OAuthClientRow | null> {
  return scope.db.oAuthClient.findUnique({ where: { tenantId_id: { tenantId: scope.tenantId, id } }, select: clientSelect });
}

export function findClientByClientId(scope: TenantScope, clientId: string) {
  return scope.db.oAuthClient.findUnique({
    where: { tenantId_clientId: { tenantId: scope.tenantId, clientId } },
    select: { id: true, type: true, enabled: true, grantTypes: true, redirectUris: true },
  });
}

/** Every redirect URI the tenant's clients use, other than `exceptClient`'s (for releasing claims). */
export async function redirectUrisInUse(scope: TenantScope, exceptClient: string | null): Promise<Set<string>> {
  const rows = await scope.db.oAuthClient.findMany({
    where: { tenantId: scope.tenantId, ...(exceptClient ? { id: { not: exceptClient } } : {}) },
    select: { redirectUris: true },
    take: CLIENT_LIST_LIMIT,
  });
  return new Set(rows.flatMap((r) => r.redirectUris));
}

export interface ClientFields {
  name: string;
  grantTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedOrigins: string[];
}

export function insertClient(
  scope: TenantScope,
  data: ClientFields & { clientId: string; type: string; createdByLabel: string; createdAt: Date },
): Promise<OAuthClientRow> {
  tenantDataChanged(scope.tenantId);
  return scope.db.oAuthClient.create({
    data: { tenantId: scope.tenantId, ...data, updatedAt: data.createdAt },
    select: clientSelect,
  });
}

export async function updateClientFields(scope: TenantScope, id: string, data: Partial<ClientFields> & { enabled?: boolean }, at: Date): Promise<OAuthClientRow> {
  tenantDataChanged(scope.tenantId);
  await scope.db.oAuthClient.updateMany({ where: { tenantId: scope.tenantId, id }, data: { ...data, updatedAt: at } });
  return (await findClient(scope, id))!;
}

export async function deleteClientRow(scope: TenantScope, id: string): Promise<boolean> {
  tenantDataChanged(scope.tenantId);
  const res = await scope.db.oAuthClient.deleteMany({ where: { tenantId: scope.tenantId, id } });
  return res.count === 1;
}

export async function insertClientSecret(
  scope: TenantScope,
  clientRow: string,
  data: { secretHash: Uint8Array<ArrayBuffer>; hint: string; createdAt: Date },
): Promise<void> {
  await scope.db.oAuthClientSecret.create({ data: { tenantId: scope.tenantId, clientRow, ...data }, select: { id: true } });
}

/**
 * Rotation's first half: secrets already on their way out (in an overlap, or expired) are deleted,
 * and the open secret gets `expiresAt` — so with the new one, at most two are ever valid.
 */
export async function retireClientSecrets(scope: TenantScope, clientRow: string, expiresAt: Date): Promise<void> {
  await scope.db.oAuthClientSecret.deleteMany({ where: { tenantId: scope.tenantId, clientRow, expiresAt: { not: null } } });
  await scope.db.oAuthClientSecret.updateMany({ where: { tenantId: scope.tenantId, clientRow, expiresAt: null }, data: { expiresAt } });
}

/** The hashes of the client's valid secrets (for verifying a presented secret). */
export function validClientSecretHashes(scope: TenantScope, clientRow: string, now: Date) {
  return scope.db.oAuthClientSecret.findMany({
    where: { tenantId: scope.tenantId, clientRow, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true, secretHash: true },
    take: 10,
  });
}

/** Which of `ids` are this tenant's clients (a bulk selection is checked whole before any change). */
export function findClientIds(scope: TenantScope, ids: readonly string[]) {
  return scope.db.oAuthClient.findMany({ where: { tenantId: scope.tenantId, id: { in: [...ids] } }, select: { id: true } });
}
