// Tenant policies (issue 5): typed sections resolved default ← global ← tenant ← workspace,
// versioned per level. Reads need policies.read, changes policies.manage. `effective` is the
// documented read API for the identity platform (API key with scope policies.read; README
// "Policies"). `get` and `setRegulatedMode` serve the Clients page's regulated-mode switch.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { effectivePolicyOutput } from "../rest-outputs";
import { readTenantPolicy } from "../../policies/tenant-repository";
import { diffInput, rollbackInput, setRegulatedModeInput, targetInput, tenantListVersionsInput, tenantResetFieldInput, tenantSaveInput } from "../../policies/inputs";
import { diffPolicyVersions, listPolicyVersions, policyState, resetPolicyField, rollbackPolicy, savePolicy } from "../../policies/service";
import { effectivePolicyDocument, setTenantRegulatedMode, tenantPolicyLevel, tenantPolicyLevelOfVersion, tenantTarget } from "../../policies/tenant-level";

export const policiesRouter = createTRPCRouter({
  get: tenantProcedure("policies.read").query(({ ctx }) => readTenantPolicy(ctx.scope)),

  setRegulatedMode: tenantProcedure("policies.manage")
    .input(setRegulatedModeInput)
    .mutation(({ ctx, input }) => setTenantRegulatedMode(ctx, input)),

  /** The effective policy of the tenant (or one workspace), every field with its source. */
  effective: tenantProcedure("policies.read", { readOnly: true })
    .meta({ openapi: { method: "GET", path: "/t/{tenant}/policies/effective", tags: ["policies"], summary: "The effective policy of the tenant (or ?workspace=), every field with its source", protect: true } })
    .input(targetInput)
    .output(effectivePolicyOutput)
    .query(({ ctx, input }) => effectivePolicyDocument(ctx.scope, ctx.tenant.slug, input.workspace)),

  /** One level's overrides, its effective and inherited values, and the version in force. */
  state: tenantProcedure("policies.read")
    .input(targetInput)
    .query(async ({ ctx, input }) => policyState(tenantPolicyLevel(ctx, await tenantTarget(ctx.scope, input.workspace)))),

  versions: tenantProcedure("policies.read")
    .input(tenantListVersionsInput)
    .query(async ({ ctx, input }) => listPolicyVersions(tenantPolicyLevel(ctx, await tenantTarget(ctx.scope, input.workspace)), input)),

  diff: tenantProcedure("policies.read")
    .input(diffInput)
    .query(async ({ ctx, input }) => diffPolicyVersions(await tenantPolicyLevelOfVersion(ctx, input.toVersionId), input.toVersionId, input.fromVersionId)),

  save: tenantProcedure("policies.manage")
    .input(tenantSaveInput)
    .mutation(async ({ ctx, input }) => savePolicy(tenantPolicyLevel(ctx, await tenantTarget(ctx.scope, input.workspace)), input)),

  resetField: tenantProcedure("policies.manage")
    .input(tenantResetFieldInput)
    .mutation(async ({ ctx, input }) => resetPolicyField(tenantPolicyLevel(ctx, await tenantTarget(ctx.scope, input.workspace)), input)),

  rollback: tenantProcedure("policies.manage")
    .input(rollbackInput)
    .mutation(async ({ ctx, input }) => rollbackPolicy(await tenantPolicyLevelOfVersion(ctx, input.versionId), input.versionId, input)),
});
