// Tenant-owned repository: OAuth clients and their secrets, of one tenant. Every function takes a
// TenantScope and filters by its tenantId (RLS enforces the same). Secret hashes are read only by
// the functions whose names say so.
import { likeLiteral } from "../lists/like";
import type { Prisma } from "../db/generated/client";
import type { TenantScope } from "../db/doors";
import { keyset, toPage, type ListPage, type SortDirection } from "../lists/keyset";
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
  const page = keyset(sort, input.direction ?? (sort === "createdAt" ? "desc" : "asc"), input.cursor);
  const search = input.search
    ? { OR: [{ name: { contains: likeLiteral(input.search), mode: "insensitive" as const } }, { clientId: { contains: likeLiteral(input.search), mode: "insensitive" as const } }] }
    : {};
  const rows = await scope.db.oAuthClient.findMany({
    where: { tenantId: scope.tenantId, AND: [search, page.where] },
    select: clientSelect,
    orderBy: page.orderBy,
    take: input.limit + 1,
  });
  return toPage(rows, input.limit, (r) => r[sort]);
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
