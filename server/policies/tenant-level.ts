// The tenant and workspace levels of the policy operations (server/policies/service.ts): versions
// in the tenant's own table, written in the procedure's tenant transaction and audited in the
// tenant's trail. Regulated mode is a compliance control: turning it on is refused while clients
// break its rules; only a security admin may turn it off.
import type { z } from "zod";
import type { Auditor, AuditActor } from "../audit/record";
import type { TenantScope } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import type { Role } from "../isomorphic/auth/permissions";
import { regulatedModeConflicts } from "../clients/service";
import { invalidateRateLimitConfig } from "../ratelimit/config";
import { findTenantVersionById, TENANT_SCOPE_KEY, tenantVersionHistory, workspaceScopeKey } from "./repository";
import type { Committed } from "./commit";
import { diffDocuments } from "../isomorphic/policies/document";
import type { setRegulatedModeInput } from "./inputs";
import { loadEffectivePolicy, valuesOf, type EffectivePolicy, type LoadedEffectivePolicy } from "./resolve";
import { MAX_COMMENT_LENGTH, type PolicyValues } from "../isomorphic/policies/sections";
import { authorOf, commitPolicy, policyState, type PolicyChange, type PolicyLevel } from "./service";
import { workspaceById, workspaceBySlug, type WorkspaceRow } from "./workspaces";

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

/**
 * Who is changing a tenant's policy, as far as the rules care: regulated mode is a compliance
 * control — owners (and API keys) may turn it on, only a security admin may turn it off.
 */
export interface PolicyEditor {
  role: Role | "api_key";
}

/** The caller of a tenant policy operation: a tenant procedure's context has all of it. */
export interface TenantPolicyCaller {
  scope: TenantScope;
  audit: Auditor;
  actor: AuditActor;
  tenant: PolicyEditor;
}

export const REGULATED_RULES = "Regulated mode allows https redirect URIs only (no http, localhost or private-use schemes)";

export function regulatedConflictError(conflicts: string[]): AppError {
  const shown = conflicts.slice(0, 10).join("; ");
  const more = conflicts.length > 10 ? ` …and ${conflicts.length - 10} more` : "";
  return new AppError("PRECONDITION_FAILED", `${REGULATED_RULES}. Fix or remove these first — ${shown}${more}.`);
}

export const REGULATED_OFF_FORBIDDEN =
  "Only a security admin can turn regulated mode off: it is a compliance control. Ask a platform security admin, with the reason.";

/** Turning regulated mode on is refused while clients break its rules (they would stop working); off is for security admins. */
const regulatedCheck = (scope: TenantScope, editor: PolicyEditor) => async (before: PolicyValues, after: PolicyValues) => {
  if (before.regulated.enabled && !after.regulated.enabled && editor.role !== "security_admin") {
    throw new AppError("FORBIDDEN", REGULATED_OFF_FORBIDDEN);
  }
  if (before.regulated.enabled || !after.regulated.enabled) return;
  const conflicts = await regulatedModeConflicts(scope);
  if (conflicts.length) throw regulatedConflictError(conflicts);
};

/** The tenant's policy (target tenant-wide) or one workspace's, for this caller. */
export function tenantPolicyLevel(caller: TenantPolicyCaller, target: TenantTarget): PolicyLevel {
  const { scope, audit, actor } = caller;
  const editor: PolicyEditor = { role: caller.tenant.role };
  const history = tenantVersionHistory(scope, target.key, target.workspace?.id ?? null);
  const record = async (change: PolicyChange, c: Committed) => {
    await audit.record({
      action: `policy.${change}`,
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
  };
  return {
    level: target.level,
    workspace: target.workspace ? { slug: target.workspace.slug, name: target.workspace.name } : null,
    author: authorOf(actor),
    resetsTo: "inherited",
    // The procedure's tenant transaction is already open: the level works inside it.
    transaction: (work) => work({ history, record, validate: target.level === "tenant" ? regulatedCheck(scope, editor) : undefined }),
  };
}

/** The level a tenant version belongs to (the tenant's own or one workspace's): rollback and diff name only the version. */
export async function tenantPolicyLevelOfVersion(caller: TenantPolicyCaller, versionId: string): Promise<PolicyLevel> {
  const version = await findTenantVersionById(caller.scope, versionId);
  if (!version) throw new AppError("NOT_FOUND", "Policy version not found.");
  return tenantPolicyLevel(caller, await targetOfScopeKey(caller.scope, version.scope));
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

/**
 * The Clients page's switch (policies.setRegulatedMode): a new tenant version that pins
 * regulated.enabled, through the same checks as any save. No-op when already in that state.
 * Turning it off takes a security admin and a reason.
 */
export async function setTenantRegulatedMode(caller: TenantPolicyCaller, input: z.infer<typeof setRegulatedModeInput>): Promise<{ regulatedMode: boolean }> {
  const level = tenantPolicyLevel(caller, await tenantTarget(caller.scope, null));
  const state = await policyState(level);
  if (state.effective.sections.regulated.enabled.value === input.regulatedMode) return { regulatedMode: input.regulatedMode };
  let comment = "Regulated mode on";
  if (!input.regulatedMode) {
    if (caller.tenant.role !== "security_admin") throw new AppError("FORBIDDEN", REGULATED_OFF_FORBIDDEN);
    const reason = input.reason?.trim();
    if (!reason) throw new AppError("BAD_REQUEST", "reason: Say why regulated mode is turned off; it is recorded in the tenant's audit trail.", { field: "reason" });
    comment = `Regulated mode off: ${reason}`.slice(0, MAX_COMMENT_LENGTH);
  }
  const document = { ...state.overrides, regulated: { ...state.overrides.regulated, enabled: input.regulatedMode } };
  await commitPolicy(level, "saved", { document, expectedVersion: state.latest?.version ?? 0, comment });
  return { regulatedMode: input.regulatedMode };
}
