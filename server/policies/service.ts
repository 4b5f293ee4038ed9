// Policy operations for the console and the API: read a level's state, save overrides as a new
// version, reset one field to inherited, roll back to an earlier version, list versions, diff two
// versions — for a tenant, one of its workspaces, or the global defaults. All writes go through
// commitVersion (server/policies/commit.ts): strict validation, optimistic concurrency, rules.
//
// Tenant saves run in the procedure's tenant transaction and are audited in it. Global saves have
// no tenant to audit in (there is no platform audit table yet): the version row itself carries
// author and comment, and a structured log line records who changed what.
import { z } from "zod";
import type { Auditor, AuditActor, RequestMeta } from "../audit/record";
import { recordAudit } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { enterTenant, inTenant, onPlatform, type Db, type TenantScope } from "../db/doors";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { AppError } from "../errors";
import type { Role } from "../auth/permissions";
import { regulatedModeConflicts } from "../clients/service";
import { allTenants } from "../signing-keys/tenant-sweep";
import { invalidateRateLimitConfig } from "../ratelimit/config";
import {
  findGlobalVersion,
  findTenantVersion,
  findTenantVersionById,
  insertGlobalVersion,
  insertTenantVersion,
  latestGlobalVersion,
  latestLayers,
  latestTenantVersion,
  listGlobalVersions,
  listTenantVersions,
  TENANT_SCOPE_KEY,
  workspaceScopeKey,
  type StoredVersion,
} from "./repository";
import { commitVersion, refusal, type Author, type Committed, type VersionStore } from "./commit";
import { diffDocuments, overrideCount, validateOverrides, type FieldChange } from "./document";
import { loadEffectivePolicy, resolvePolicy, valuesOf, type EffectivePolicy, type Layers, type LoadedEffectivePolicy } from "./resolve";
import { MAX_COMMENT_LENGTH, type Level, type OverridesDocument } from "./sections";
import { workspaceById, workspaceBySlug, workspaceSlug, type WorkspaceRow } from "./workspaces";
import { logger } from "../observability/logger";

// ---------------------------------------------------------------------------------------------
// Inputs (the tenant slug comes from tenantProcedure; these are the rest)
// ---------------------------------------------------------------------------------------------

const comment = z.string().max(MAX_COMMENT_LENGTH, `comment: At most ${MAX_COMMENT_LENGTH} characters.`);
const expectedVersion = z.number({ error: "expectedVersion: the version your change is based on (0 before the first save)." }).int().min(0).max(2_147_483_647);
const versionNumber = z.number().int().min(1).max(2_147_483_647);
const versionId = z.string().uuid("Policy version not found.");

export const targetInput = z.object({ workspace: workspaceSlug.nullish() });
export const saveInput = targetInput.extend({ document: z.unknown(), expectedVersion, comment });
export const resetFieldInput = targetInput.extend({ section: z.string().max(64), field: z.string().max(64), expectedVersion, comment: comment.optional() });
export const listVersionsInput = targetInput.extend({ cursor: versionNumber.nullish(), limit: z.number().int().min(1).max(100).default(20) });
export const rollbackInput = z.object({ versionId, expectedVersion, comment: comment.optional() });
/** `fromVersionId` omitted = the version just before `to`; null = nothing (before the first). */
export const diffInput = z.object({ toVersionId: versionId, fromVersionId: versionId.nullish() });

export const globalRollbackInput = z.object({ toVersion: versionNumber, expectedVersion, comment: comment.optional() });
export const globalDiffInput = z.object({ to: versionNumber, from: versionNumber.nullish() });
export const globalSaveInput = z.object({ document: z.unknown(), expectedVersion, comment });
export const globalResetFieldInput = z.object({ section: z.string().max(64), field: z.string().max(64), expectedVersion, comment: comment.optional() });
export const globalListInput = z.object({ cursor: versionNumber.nullish(), limit: z.number().int().min(1).max(100).default(20) });

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface VersionItem {
  /** How the UI names a version: the row id (tenant) or the version number (global). */
  ref: string;
  version: number;
  authorLabel: string;
  createdAt: Date;
  comment: string;
  /** Number of fields this version overrides. */
  overrides: number;
}

export interface PolicyState {
  level: Level;
  workspace: { slug: string; name: string } | null;
  latest: VersionItem | null;
  overrides: OverridesDocument;
  /** With this level's overrides. */
  effective: EffectivePolicy;
  /** Without them: what "Reset to inherited" falls back to. */
  inherited: EffectivePolicy;
}

export interface VersionPage {
  items: VersionItem[];
  nextCursor: number | null;
}

export interface VersionDiff {
  from: VersionItem | null;
  to: VersionItem;
  changes: FieldChange[];
}

const item = (v: StoredVersion): VersionItem => ({
  ref: v.id ?? String(v.version),
  version: v.version,
  authorLabel: v.authorLabel,
  createdAt: v.createdAt,
  comment: v.comment,
  overrides: overrideCount(v.document),
});

function page(rows: StoredVersion[], limit: number): VersionPage {
  const items = rows.slice(0, limit).map(item);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.version : null };
}

function stateOf(level: Level, workspace: WorkspaceRow | null, parents: Layers, own: StoredVersion | null): PolicyState {
  return {
    level,
    workspace: workspace ? { slug: workspace.slug, name: workspace.name } : null,
    latest: own ? item(own) : null,
    overrides: own?.document ?? {},
    effective: resolvePolicy({ ...parents, [level]: own?.document ?? null }),
    inherited: resolvePolicy(parents),
  };
}

export function authorOf(actor: AuditActor): Author {
  return { id: actor.type === "user" ? actor.id : null, label: actor.type === "api_key" ? `API key ${actor.label ?? actor.id}` : (actor.label ?? actor.type) };
}

function withoutField(doc: OverridesDocument, section: string, field: string): OverridesDocument | null {
  if (!doc[section] || !Object.hasOwn(doc[section], field)) return null;
  const rest = { ...doc[section] };
  delete rest[field];
  const out = { ...doc };
  if (Object.keys(rest).length) out[section] = rest;
  else delete out[section];
  return out;
}

function notOverridden(section: string, field: string): AppError {
  return new AppError("BAD_REQUEST", `${section}.${field} is not overridden here; it is already inherited.`);
}

// ---------------------------------------------------------------------------------------------
// Tenant and workspace levels
// ---------------------------------------------------------------------------------------------

export interface TenantTarget {
  level: "tenant" | "workspace";
  key: string;
  workspace: WorkspaceRow | null;
}

export async function tenantTarget(scope: TenantScope, workspace?: string | null): Promise<TenantTarget> {
  if (!workspace) return { level: "tenant", key: TENANT_SCOPE_KEY, workspace: null };
  const row = await workspaceBySlug(scope, workspace);
  return { level: "workspace", key: workspaceScopeKey(row.id), workspace: row };
}

async function targetOfScopeKey(scope: TenantScope, key: string): Promise<TenantTarget> {
  if (key === TENANT_SCOPE_KEY) return { level: "tenant", key, workspace: null };
  const row = await workspaceById(scope, key.slice("workspace:".length));
  return { level: "workspace", key, workspace: row };
}

function parentsOf(level: "tenant" | "workspace", l: { global: StoredVersion | null; tenant: StoredVersion | null }): Layers {
  return level === "tenant" ? { global: l.global?.document } : { global: l.global?.document, tenant: l.tenant?.document };
}

function tenantStore(scope: TenantScope, target: TenantTarget): VersionStore {
  return {
    level: target.level,
    latest: () => latestTenantVersion(scope, target.key),
    insert: (v) => insertTenantVersion(scope, target.key, target.workspace?.id ?? null, v),
    parents: async () => parentsOf(target.level, await latestLayers(scope)),
  };
}

export async function tenantPolicyState(scope: TenantScope, target: TenantTarget): Promise<PolicyState> {
  const l = await latestLayers(scope, target.workspace?.id ?? null);
  return stateOf(target.level, target.workspace, parentsOf(target.level, l), target.level === "tenant" ? l.tenant : l.workspace);
}

export const REGULATED_RULES = "Regulated mode allows https redirect URIs only (no http, localhost or private-use schemes)";

export function regulatedConflictError(conflicts: string[]): AppError {
  const shown = conflicts.slice(0, 10).join("; ");
  const more = conflicts.length > 10 ? ` …and ${conflicts.length - 10} more` : "";
  return new AppError("PRECONDITION_FAILED", `${REGULATED_RULES}. Fix or remove these first — ${shown}${more}.`);
}

/**
 * Who is saving a tenant's policy, as far as the rules care: regulated mode is a compliance
 * control — owners (and API keys) may turn it on, only a security admin may turn it off.
 */
export interface PolicyEditor {
  role: Role | "api_key";
}

export const REGULATED_OFF_FORBIDDEN =
  "Only a security admin can turn regulated mode off: it is a compliance control. Ask a platform security admin, with the reason.";

/** Turning regulated mode on is refused while clients break its rules (they would stop working); off is for security admins. */
const regulatedCheck = (scope: TenantScope, editor: PolicyEditor) => async (before: ReturnType<typeof valuesOf>, after: ReturnType<typeof valuesOf>) => {
  if (before.regulated.enabled && !after.regulated.enabled && editor.role !== "security_admin") {
    throw new AppError("FORBIDDEN", REGULATED_OFF_FORBIDDEN);
  }
  if (before.regulated.enabled || !after.regulated.enabled) return;
  const conflicts = await regulatedModeConflicts(scope);
  if (conflicts.length) throw regulatedConflictError(conflicts);
};

type TenantAction = "policy.saved" | "policy.field_reset" | "policy.rolled_back";

async function commitTenant(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  target: TenantTarget,
  action: TenantAction,
  input: { document: unknown; expectedVersion: number; comment: string },
  editor: PolicyEditor,
): Promise<PolicyState> {
  const c: Committed = await commitVersion(tenantStore(scope, target), {
    ...input,
    author: authorOf(actor),
    validate: target.level === "tenant" ? regulatedCheck(scope, editor) : undefined,
  });
  await audit.record({
    action,
    targetType: "policy",
    targetId: target.key,
    before: { version: c.previous?.version ?? 0 },
    after: { version: c.saved.version, workspace: target.workspace?.slug ?? null, comment: c.saved.comment, changes: diffDocuments(c.previous?.document ?? {}, c.saved.document) },
  });
  // The rate-limit engine caches limits briefly; tell it this tenant's may have changed.
  if (target.level === "tenant") invalidateRateLimitConfig(scope.tenantId);
  const was = c.before.sections.regulated.enabled.value;
  const now = c.after.sections.regulated.enabled.value;
  if (was !== now) {
    await audit.record({
      action: now ? "policy.regulated_mode_on" : "policy.regulated_mode_off",
      targetType: "tenant_policy",
      before: { regulatedMode: was },
      // Turning it off is a security admin's decision with a reason (the version's comment).
      after: now ? { regulatedMode: now } : { regulatedMode: now, reason: c.saved.comment, byRole: editor.role },
    });
  }
  return tenantPolicyState(scope, target);
}

export function saveTenantPolicy(scope: TenantScope, audit: Auditor, actor: AuditActor, target: TenantTarget, input: z.infer<typeof saveInput>, editor: PolicyEditor): Promise<PolicyState> {
  return commitTenant(scope, audit, actor, target, "policy.saved", input, editor);
}

export async function resetTenantField(scope: TenantScope, audit: Auditor, actor: AuditActor, target: TenantTarget, input: z.infer<typeof resetFieldInput>, editor: PolicyEditor): Promise<PolicyState> {
  const latest = await latestTenantVersion(scope, target.key);
  const document = withoutField(latest?.document ?? {}, input.section, input.field);
  if (!document) throw notOverridden(input.section, input.field);
  const comment = input.comment?.trim() || `Reset ${input.section}.${input.field} to inherited`;
  return commitTenant(scope, audit, actor, target, "policy.field_reset", { document, expectedVersion: input.expectedVersion, comment }, editor);
}

/** Rolls the version's own scope (tenant or its workspace) back to it, as a new version. */
export async function rollbackTenantPolicy(scope: TenantScope, audit: Auditor, actor: AuditActor, input: z.infer<typeof rollbackInput>, editor: PolicyEditor): Promise<PolicyState> {
  const version = await findTenantVersionById(scope, input.versionId);
  if (!version) throw new AppError("NOT_FOUND", "Policy version not found.");
  const target = await targetOfScopeKey(scope, version.scope);
  const check = validateOverrides(version.document, target.level);
  if (!check.ok) throw refusal([`Version ${version.version} can no longer be restored as it is:`, ...check.problems]);
  const note = input.comment?.trim();
  const comment = `Rollback to version ${version.version}${note ? `: ${note}` : ""}`.slice(0, MAX_COMMENT_LENGTH);
  return commitTenant(scope, audit, actor, target, "policy.rolled_back", { document: version.document, expectedVersion: input.expectedVersion, comment }, editor);
}

export async function listTenantPolicyVersions(scope: TenantScope, target: TenantTarget, input: { cursor?: number | null; limit: number }): Promise<VersionPage> {
  return page(await listTenantVersions(scope, target.key, { before: input.cursor, limit: input.limit + 1 }), input.limit);
}

export async function diffTenantVersions(scope: TenantScope, input: z.infer<typeof diffInput>): Promise<VersionDiff> {
  const to = await findTenantVersionById(scope, input.toVersionId);
  if (!to) throw new AppError("NOT_FOUND", "Policy version not found.");
  let from: StoredVersion | null = null;
  if (input.fromVersionId) {
    const f = await findTenantVersionById(scope, input.fromVersionId);
    if (!f) throw new AppError("NOT_FOUND", "Policy version not found.");
    if (f.scope !== to.scope) throw new AppError("BAD_REQUEST", "Both versions must belong to the same policy (the tenant's or one workspace's).");
    from = f;
  } else if (input.fromVersionId === undefined && to.version > 1) {
    from = await findTenantVersion(scope, to.scope, to.version - 1);
  }
  return { from: from ? item(from) : null, to: item(to), changes: diffDocuments(from?.document ?? {}, to.document) };
}

/**
 * The effective policy as the identity platform reads it (policies.effective): every field's value
 * and source, plus the plain values, the versions in force and any problems.
 */
export interface EffectivePolicyDocument {
  tenant: string;
  workspace: string | null;
  versions: LoadedEffectivePolicy["versions"];
  values: ReturnType<typeof valuesOf>;
  sections: EffectivePolicy["sections"];
  problems: string[];
}

export async function effectivePolicyDocument(scope: TenantScope, tenantSlug: string, workspace?: string | null): Promise<EffectivePolicyDocument> {
  const target = await tenantTarget(scope, workspace);
  const eff = await loadEffectivePolicy(scope, target.workspace?.id ?? null);
  return {
    tenant: tenantSlug,
    workspace: target.workspace?.slug ?? null,
    versions: eff.versions,
    values: valuesOf(eff),
    sections: eff.sections,
    problems: eff.problems.map((p) => p.message),
  };
}

export const setRegulatedModeInput = z.object({
  regulatedMode: z.boolean({ error: "regulatedMode is true or false." }),
  /** Required to turn it off (security admins only): why, for the tenant's audit trail. */
  reason: z.string().trim().max(400, "reason: At most 400 characters.").optional(),
});

/**
 * The Clients page's switch (policies.setRegulatedMode): a new tenant version that pins
 * regulated.enabled, through the same checks as any save. No-op when already in that state.
 * Turning it off takes a security admin and a reason.
 */
export async function setTenantRegulatedMode(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  enabled: boolean | z.infer<typeof setRegulatedModeInput>,
  editor: PolicyEditor,
): Promise<{ regulatedMode: boolean }> {
  const input = typeof enabled === "boolean" ? { regulatedMode: enabled } : enabled;
  const target = await tenantTarget(scope, null);
  const state = await tenantPolicyState(scope, target);
  if (state.effective.sections.regulated.enabled.value === input.regulatedMode) return { regulatedMode: input.regulatedMode };
  let comment = "Regulated mode on";
  if (!input.regulatedMode) {
    if (editor.role !== "security_admin") throw new AppError("FORBIDDEN", REGULATED_OFF_FORBIDDEN);
    const reason = input.reason?.trim();
    if (!reason) throw new AppError("BAD_REQUEST", "reason: Say why regulated mode is turned off; it is recorded in the tenant's audit trail.", { field: "reason" });
    comment = `Regulated mode off: ${reason}`.slice(0, MAX_COMMENT_LENGTH);
  }
  const document = { ...state.overrides, regulated: { ...state.overrides.regulated, enabled: input.regulatedMode } };
  await commitTenant(scope, audit, actor, target, "policy.saved", { document, expectedVersion: state.latest?.version ?? 0, comment }, editor);
  return { regulatedMode: input.regulatedMode };
}

// ---------------------------------------------------------------------------------------------
// Global defaults (security admins)
// ---------------------------------------------------------------------------------------------

function globalStore(db: Db): VersionStore {
  return { level: "global", latest: () => latestGlobalVersion(db), insert: (v) => insertGlobalVersion(db, v), parents: async () => ({}) };
}

export function globalPolicyState(): Promise<PolicyState> {
  return onPlatform(async (db) => stateOf("global", null, {}, await latestGlobalVersion(db)));
}

/**
 * Turning regulated mode on globally switches it on for every tenant that does not set it
 * itself: refused while any such tenant has clients that break the rules (listed by tenant).
 * Runs before the save's own transaction — one tenant transaction at a time, never nested.
 */
async function globalRegulatedPrecheck(document: unknown): Promise<void> {
  const checked = validateOverrides(document, "global");
  if (!checked.ok) return; // commitVersion reports the problems
  const latest = await onPlatform((db) => latestGlobalVersion(db));
  const before = valuesOf(resolvePolicy({ global: latest?.document }));
  const after = valuesOf(resolvePolicy({ global: checked.document }));
  if (before.regulated.enabled || !after.regulated.enabled) return;
  const conflicts: string[] = [];
  for await (const t of allTenants()) {
    if (t.status === "pending_deletion") continue;
    const found = await inTenant(t.id, async (scope) => {
      const own = (await latestTenantVersion(scope, TENANT_SCOPE_KEY))?.document.regulated;
      if (own && Object.hasOwn(own, "enabled")) return [];
      return regulatedModeConflicts(scope);
    });
    conflicts.push(...found.map((c) => `${t.slug}: ${c}`));
  }
  if (conflicts.length) throw regulatedConflictError(conflicts);
}

/** Tenants visited per query while recording an inherited regulated-mode change. */
const INHERITED_CHANGE_BATCH = 200;

/**
 * A global save that switches regulated mode switches it for every tenant that does not set it
 * itself: each of those gets the event in its own trail ("inherited from global"), in the SAME
 * transaction as the global save — both commit or neither. The tenants are read in keyset batches
 * (bounded memory); each one is entered with its own scope, so RLS applies to its rows. Tenants
 * being purged (their chain is sealed) and deleted tombstones are skipped.
 */
async function recordInheritedRegulatedChange(db: Db, actor: AuditActor, change: { from: boolean; to: boolean; globalVersion: number }): Promise<number> {
  let after: string | null = null;
  let recorded = 0;
  for (;;) {
    const batch: { id: string }[] = await db.tenant.findMany({
      where: { status: { not: "deleted" }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: INHERITED_CHANGE_BATCH,
      select: { id: true },
    });
    for (const t of batch) {
      const scope = await enterTenant(db, tenantIdFromDatabase(t.id));
      const own = (await latestTenantVersion(scope, TENANT_SCOPE_KEY))?.document.regulated;
      const pinned = own !== undefined && typeof (own as Record<string, unknown>).enabled === "boolean";
      const purging = await scope.db.tenantDeletion.count({ where: { targetTenantId: scope.tenantId, status: "purging" } });
      if (!pinned && purging === 0) {
        await recordAudit(scope, actor, null, {
          action: change.to ? "policy.regulated_mode_on" : "policy.regulated_mode_off",
          targetType: "tenant_policy",
          before: { regulatedMode: change.from },
          after: { regulatedMode: change.to, inherited: "global", globalVersion: change.globalVersion },
        });
        recorded++;
      }
    }
    await db.$queryRaw`SELECT set_config('app.tenant_id', '', true)`;
    if (batch.length < INHERITED_CHANGE_BATCH) return recorded;
    after = batch[batch.length - 1]!.id;
  }
}

type GlobalAction = "global_policy.saved" | "global_policy.field_reset" | "global_policy.rolled_back";

async function commitGlobal(
  actor: AuditActor,
  action: GlobalAction,
  input: { document: unknown; expectedVersion: number; comment: string },
  meta: RequestMeta | null,
): Promise<PolicyState> {
  await globalRegulatedPrecheck(input.document);
  const author = authorOf(actor);
  // The version and its platform audit event commit together (or not at all).
  const c = await onPlatform(async (db) => {
    const committed = await commitVersion(globalStore(db), { ...input, author });
    await recordPlatformAudit(db, actor, meta, {
      action,
      targetType: "global_policy",
      targetId: String(committed.saved.version),
      details: {
        version: committed.saved.version,
        previousVersion: committed.previous?.version ?? 0,
        comment: committed.saved.comment,
        changes: diffDocuments(committed.previous?.document ?? {}, committed.saved.document),
      },
    });
    const was = committed.before.sections.regulated.enabled.value;
    const now = committed.after.sections.regulated.enabled.value;
    if (was !== now) await recordInheritedRegulatedChange(db, actor, { from: was, to: now, globalVersion: committed.saved.version });
    return committed;
  });
  invalidateRateLimitConfig(); // every tenant inherits the global limits
  // Also a log line for operations (the platform audit stream is the record).
  // The author by id only (the label is an e-mail address).
  logger.info(
    {
      action,
      version: c.saved.version,
      previousVersion: c.previous?.version ?? 0,
      authorId: author.id,
      comment: c.saved.comment,
      changes: diffDocuments(c.previous?.document ?? {}, c.saved.document),
    },
    "global policy saved",
  );
  return globalPolicyState();
}

export function saveGlobalPolicy(actor: AuditActor, input: z.infer<typeof globalSaveInput>, meta: RequestMeta | null = null): Promise<PolicyState> {
  return commitGlobal(actor, "global_policy.saved", input, meta);
}

export async function resetGlobalField(actor: AuditActor, input: z.infer<typeof globalResetFieldInput>, meta: RequestMeta | null = null): Promise<PolicyState> {
  const latest = await onPlatform((db) => latestGlobalVersion(db));
  const document = withoutField(latest?.document ?? {}, input.section, input.field);
  if (!document) throw notOverridden(input.section, input.field);
  return commitGlobal(actor, "global_policy.field_reset", { document, expectedVersion: input.expectedVersion, comment: input.comment?.trim() || `Reset ${input.section}.${input.field} to the default` }, meta);
}

export async function rollbackGlobalPolicy(actor: AuditActor, input: z.infer<typeof globalRollbackInput>, meta: RequestMeta | null = null): Promise<PolicyState> {
  const version = await onPlatform((db) => findGlobalVersion(db, input.toVersion));
  if (!version) throw new AppError("NOT_FOUND", "Policy version not found.");
  const note = input.comment?.trim();
  const comment = `Rollback to version ${version.version}${note ? `: ${note}` : ""}`.slice(0, MAX_COMMENT_LENGTH);
  return commitGlobal(actor, "global_policy.rolled_back", { document: version.document, expectedVersion: input.expectedVersion, comment }, meta);
}

export function listGlobalPolicyVersions(input: z.infer<typeof globalListInput>): Promise<VersionPage> {
  return onPlatform(async (db) => page(await listGlobalVersions(db, { before: input.cursor, limit: input.limit + 1 }), input.limit));
}

export function diffGlobalVersions(input: z.infer<typeof globalDiffInput>): Promise<VersionDiff> {
  return onPlatform(async (db) => {
    const to = await findGlobalVersion(db, input.to);
    if (!to) throw new AppError("NOT_FOUND", "Policy version not found.");
    let from: StoredVersion | null = null;
    if (input.from != null) {
      from = await findGlobalVersion(db, input.from);
      if (!from) throw new AppError("NOT_FOUND", "Policy version not found.");
    } else if (input.from === undefined && to.version > 1) {
      from = await findGlobalVersion(db, to.version - 1);
    }
    return { from: from ? item(from) : null, to: item(to), changes: diffDocuments(from?.document ?? {}, to.document) };
  });
}
