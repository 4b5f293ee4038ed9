// Policy versions: the global defaults (platform table global_policy_versions) and each tenant's
// overrides, tenant-wide or per workspace (tenant-owned table policy_versions, RLS-scoped). Both
// tables are append-only for the runtime role; the newest version of a scope is in force.
//
// Inserts use ON CONFLICT DO NOTHING on the (scope, version) unique key: two saves racing for the
// same version number do not abort the transaction — the loser gets null and reports a conflict.
import type { Db, TenantReadScope, TenantScope } from "../db/doors";
import { Prisma } from "../db/generated/client";
import { queryRows } from "../db/rows";
import { asDocument } from "../isomorphic/policies/document";
import type { Level, OverridesDocument } from "../isomorphic/policies/sections";
import { ALL_TENANTS, tenantDataChanged } from "../cache/invalidation";
import { isUuid } from "../isomorphic/uuid";

export interface StoredVersion {
  /** Row id (tenant versions); null for global versions, which are keyed by version number. */
  id: string | null;
  version: number;
  document: OverridesDocument;
  authorLabel: string;
  comment: string;
  createdAt: Date;
}

export const TENANT_SCOPE_KEY = "tenant";
export const workspaceScopeKey = (workspaceId: string) => `workspace:${workspaceId}`;

export interface PolicyVersionRow {
  id: string | null;
  version: number;
  document: unknown;
  author_label: string;
  comment: string;
  created_at: Date;
}

type Row = PolicyVersionRow;

function toStored(r: Row): StoredVersion {
  return { id: r.id, version: Number(r.version), document: asDocument(r.document), authorLabel: r.author_label, comment: r.comment, createdAt: new Date(r.created_at) };
}

export interface LatestLayers {
  global: StoredVersion | null;
  tenant: StoredVersion | null;
  workspace: StoredVersion | null;
}

/**
 * The newest global, tenant and (optionally) workspace versions in ONE round trip: this runs on
 * every client operation and every public authorize-check, so it must stay cheap.
 */
export function latestLayers(scope: TenantReadScope, workspaceId: string | null = null): Promise<LatestLayers> {
  if (workspaceId !== null) return readLatestLayers(scope, workspaceId);
  // Tenant-wide layers are read by several consumers of one request (clients.list: the list and its
  // regulated mode; keys.list: the grace period twice; the rate limits): once per transaction.
  // Writers below forget the transaction's memo.
  let perTenant = layersMemo.get(scope.db);
  if (!perTenant) layersMemo.set(scope.db, (perTenant = new Map()));
  let layers = perTenant.get(scope.tenantId);
  if (!layers) {
    layers = readLatestLayers(scope, null);
    perTenant.set(scope.tenantId, layers);
    // A failed read is not remembered (the transaction is failing anyway).
    layers.catch(() => perTenant.delete(scope.tenantId));
  }
  return layers;
}

/** Per transaction handle (a Prisma transaction client), per tenant: the tenant-wide layers read. */
const layersMemo = new WeakMap<object, Map<string, Promise<LatestLayers>>>();

/**
 * The tenant-wide layers as the request's first query (credo_request_context) read them, in the
 * same transaction: the procedure's latestLayers(scope) is then answered without a query.
 */
export function primeLatestLayers(scope: TenantScope, global: Row | null, tenant: Row | null): void {
  let perTenant = layersMemo.get(scope.db);
  if (!perTenant) layersMemo.set(scope.db, (perTenant = new Map()));
  perTenant.set(scope.tenantId, Promise.resolve({ global: global ? toStored(global) : null, tenant: tenant ? toStored(tenant) : null, workspace: null }));
}

function forgetLayers(db: object): void {
  layersMemo.delete(db);
}

async function readLatestLayers(scope: TenantReadScope, workspaceId: string | null): Promise<LatestLayers> {
  const wkey = workspaceId ? workspaceScopeKey(workspaceId) : null;
  const rows = await queryRows<Record<string, unknown>>(
    scope.db,
    Prisma.sql`
    SELECT g.version AS g_version, g.document AS g_document, g.author_label AS g_author_label, g.comment AS g_comment, g.created_at AS g_created_at,
           t.id::text AS t_id, t.version AS t_version, t.document AS t_document, t.author_label AS t_author_label, t.comment AS t_comment, t.created_at AS t_created_at,
           w.id::text AS w_id, w.version AS w_version, w.document AS w_document, w.author_label AS w_author_label, w.comment AS w_comment, w.created_at AS w_created_at
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (SELECT version, document, author_label, comment, created_at FROM global_policy_versions ORDER BY version DESC LIMIT 1) g ON true
    LEFT JOIN LATERAL (SELECT id, version, document, author_label, comment, created_at FROM policy_versions
                       WHERE tenant_id = ${scope.tenantId}::uuid AND scope = ${TENANT_SCOPE_KEY} ORDER BY version DESC LIMIT 1) t ON true
    LEFT JOIN LATERAL (SELECT id, version, document, author_label, comment, created_at FROM policy_versions
                       WHERE tenant_id = ${scope.tenantId}::uuid AND scope = ${wkey} ORDER BY version DESC LIMIT 1) w ON true`,
  );
  const r = rows[0] ?? {};
  const pick = (p: "g" | "t" | "w"): StoredVersion | null =>
    r[`${p}_version`] == null
      ? null
      : toStored({
          id: (r[`${p}_id`] as string | undefined) ?? null,
          version: r[`${p}_version`] as number,
          document: r[`${p}_document`],
          author_label: r[`${p}_author_label`] as string,
          comment: r[`${p}_comment`] as string,
          created_at: r[`${p}_created_at`] as Date,
        });
  return { global: pick("g"), tenant: pick("t"), workspace: workspaceId ? pick("w") : null };
}

// ---------------------------------------------------------------------------------------------
// Tenant-owned versions (tenant-wide or one workspace)
// ---------------------------------------------------------------------------------------------

const TENANT_COLUMNS = { id: true, version: true, document: true, authorLabel: true, comment: true, createdAt: true, scope: true } as const;

type TenantRow = { id: string; version: number; document: unknown; authorLabel: string; comment: string; createdAt: Date; scope: string };
const fromTenantRow = (r: TenantRow): StoredVersion & { scope: string } => ({
  id: r.id,
  version: r.version,
  document: asDocument(r.document),
  authorLabel: r.authorLabel,
  comment: r.comment,
  createdAt: r.createdAt,
  scope: r.scope,
});

export async function latestTenantVersion(scope: TenantScope, key: string): Promise<StoredVersion | null> {
  const r = await scope.db.policyVersion.findFirst({ where: { tenantId: scope.tenantId, scope: key }, orderBy: { version: "desc" }, select: TENANT_COLUMNS });
  return r ? fromTenantRow(r) : null;
}

/** By row id; null for an unknown id — and for another tenant's, which RLS and the filter hide. */
export async function findTenantVersionById(scope: TenantScope, id: string): Promise<(StoredVersion & { scope: string }) | null> {
  const r = await scope.db.policyVersion.findFirst({ where: { tenantId: scope.tenantId, id }, select: TENANT_COLUMNS });
  return r ? fromTenantRow(r) : null;
}

export async function findTenantVersion(scope: TenantScope, key: string, version: number): Promise<StoredVersion | null> {
  const r = await scope.db.policyVersion.findFirst({ where: { tenantId: scope.tenantId, scope: key, version }, select: TENANT_COLUMNS });
  return r ? fromTenantRow(r) : null;
}

/** Newest first; `before` = the last version number of the previous page. */
export async function listTenantVersions(scope: TenantScope, key: string, opts: { before?: number | null; limit: number }): Promise<StoredVersion[]> {
  const rows = await scope.db.policyVersion.findMany({
    where: { tenantId: scope.tenantId, scope: key, ...(opts.before != null ? { version: { lt: opts.before } } : {}) },
    orderBy: { version: "desc" },
    take: opts.limit,
    select: TENANT_COLUMNS,
  });
  return rows.map(fromTenantRow);
}

export async function countTenantVersions(scope: TenantScope, key: string): Promise<number> {
  return scope.db.policyVersion.count({ where: { tenantId: scope.tenantId, scope: key } });
}

export interface NewVersion {
  version: number;
  document: OverridesDocument;
  authorId: string | null;
  authorLabel: string;
  comment: string;
  createdAt: Date;
}

/** Appends a version; null when that version number was taken meanwhile (a concurrent save). */
export async function insertTenantVersion(scope: TenantScope, key: string, workspaceId: string | null, v: NewVersion): Promise<StoredVersion | null> {
  forgetLayers(scope.db);
  tenantDataChanged(scope.tenantId);
  const rows = await scope.db.$queryRaw<Row[]>`
    INSERT INTO policy_versions (tenant_id, scope, workspace_id, version, document, author_id, author_label, comment, created_at)
    VALUES (${scope.tenantId}::uuid, ${key}, ${workspaceId}::uuid, ${v.version}, ${JSON.stringify(v.document)}::jsonb,
            ${v.authorId}::uuid, ${v.authorLabel}, ${v.comment}, ${v.createdAt})
    ON CONFLICT DO NOTHING
    RETURNING id::text AS id, version, document, author_label, comment, created_at`;
  return rows[0] ? toStored(rows[0]) : null;
}

// ---------------------------------------------------------------------------------------------
// Global defaults (platform table; no tenant data)
// ---------------------------------------------------------------------------------------------

const GLOBAL_COLUMNS = { version: true, document: true, authorLabel: true, comment: true, createdAt: true } as const;
type GlobalRow = { version: number; document: unknown; authorLabel: string; comment: string; createdAt: Date };
const fromGlobalRow = (r: GlobalRow): StoredVersion => ({ id: null, version: r.version, document: asDocument(r.document), authorLabel: r.authorLabel, comment: r.comment, createdAt: r.createdAt });

export async function latestGlobalVersion(db: Db): Promise<StoredVersion | null> {
  const r = await db.globalPolicyVersion.findFirst({ orderBy: { version: "desc" }, select: GLOBAL_COLUMNS });
  return r ? fromGlobalRow(r) : null;
}

export async function findGlobalVersion(db: Db, version: number): Promise<StoredVersion | null> {
  const r = await db.globalPolicyVersion.findUnique({ where: { version }, select: GLOBAL_COLUMNS });
  return r ? fromGlobalRow(r) : null;
}

export async function listGlobalVersions(db: Db, opts: { before?: number | null; limit: number }): Promise<StoredVersion[]> {
  const rows = await db.globalPolicyVersion.findMany({
    where: opts.before != null ? { version: { lt: opts.before } } : {},
    orderBy: { version: "desc" },
    take: opts.limit,
    select: GLOBAL_COLUMNS,
  });
  return rows.map(fromGlobalRow);
}

export async function insertGlobalVersion(db: Db, v: NewVersion): Promise<StoredVersion | null> {
  forgetLayers(db);
  tenantDataChanged(ALL_TENANTS);
  const rows = await db.$queryRaw<Row[]>`
    INSERT INTO global_policy_versions (version, document, author_id, author_label, comment, created_at)
    VALUES (${v.version}, ${JSON.stringify(v.document)}::jsonb, ${v.authorId}::uuid, ${v.authorLabel}, ${v.comment}, ${v.createdAt})
    ON CONFLICT DO NOTHING
    RETURNING NULL::text AS id, version, document, author_label, comment, created_at`;
  return rows[0] ? toStored(rows[0]) : null;
}

// ---------------------------------------------------------------------------------------------
// One level's history behind one interface (server/policies/service.ts works on it, whatever the level)
// ---------------------------------------------------------------------------------------------

/** A version and the history it belongs to ("global", "tenant" or "workspace:<id>"). */
export type ScopedVersion = StoredVersion & { scope: string };

/** The documents of the levels above one level (their newest versions). */
export type ParentDocuments = Partial<Record<Level, OverridesDocument | null>>;

/** Reads and appends one level's versions: the global defaults, a tenant's, or one workspace's. */
export interface VersionHistory {
  readonly level: Level;
  /** "global", "tenant" or "workspace:<id>": versions of other histories are not this one's. */
  readonly scope: string;
  latest(): Promise<StoredVersion | null>;
  /** The newest version and the parents' documents (tenant levels: one query, see latestLayers). */
  current(): Promise<{ own: StoredVersion | null; parents: ParentDocuments }>;
  parents(): Promise<ParentDocuments>;
  insert(v: NewVersion): Promise<StoredVersion | null>;
  /**
   * By the reference the UI holds (VersionItem.ref): a tenant version's row id, a global version's
   * number (its primary key). Null when unknown; a tenant version may belong to another of the
   * tenant's histories (its `scope` says which).
   */
  byRef(ref: string): Promise<ScopedVersion | null>;
  byNumber(version: number): Promise<StoredVersion | null>;
  /** Newest first; `before` = the last version number of the previous page. */
  list(opts: { before?: number | null; limit: number }): Promise<StoredVersion[]>;
}

export const GLOBAL_SCOPE_KEY = "global";

const VERSION_NUMBER = /^[1-9][0-9]{0,9}$/;

/** The history of a tenant (key TENANT_SCOPE_KEY) or of one of its workspaces (workspaceScopeKey). */
export function tenantVersionHistory(scope: TenantScope, key: string, workspaceId: string | null): VersionHistory {
  const level = workspaceId === null ? "tenant" : "workspace";
  const split = (l: LatestLayers) => ({
    own: level === "tenant" ? l.tenant : l.workspace,
    parents: level === "tenant" ? { global: l.global?.document } : { global: l.global?.document, tenant: l.tenant?.document },
  });
  return {
    level,
    scope: key,
    latest: () => latestTenantVersion(scope, key),
    current: async () => split(await latestLayers(scope, workspaceId)),
    parents: async () => split(await latestLayers(scope)).parents,
    insert: (v) => insertTenantVersion(scope, key, workspaceId, v),
    byRef: (ref) => (isUuid(ref) ? findTenantVersionById(scope, ref) : Promise.resolve(null)),
    byNumber: (version) => findTenantVersion(scope, key, version),
    list: (opts) => listTenantVersions(scope, key, opts),
  };
}

/** The global defaults' history (platform table), inside a platform transaction. */
export function globalVersionHistory(db: Db): VersionHistory {
  return {
    level: "global",
    scope: GLOBAL_SCOPE_KEY,
    latest: () => latestGlobalVersion(db),
    current: async () => ({ own: await latestGlobalVersion(db), parents: {} }),
    parents: async () => ({}),
    insert: (v) => insertGlobalVersion(db, v),
    byRef: async (ref) => {
      const found = VERSION_NUMBER.test(ref) && Number(ref) <= 2_147_483_647 ? await findGlobalVersion(db, Number(ref)) : null;
      return found ? { ...found, scope: GLOBAL_SCOPE_KEY } : null;
    },
    byNumber: (version) => findGlobalVersion(db, version),
    list: (opts) => listGlobalVersions(db, opts),
  };
}
