// Tenant policies (issue 5): typed sections resolved default ← global ← tenant ← workspace,
// versioned per level. Reads need policies.read, changes policies.manage. `effective` is the
// documented read API for the identity platform (API key with scope policies.read; README
// "Policies"). `get` and `setRegulatedMode` serve the Clients page's regulated-mode switch.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { effectivePolicyOutput } from "../rest-outputs";
import { readTenantPolicy } from "../../policies/tenant-repository";
import {
  diffInput,
  diffTenantVersions,
  effectivePolicyDocument,
  listTenantPolicyVersions,
  listVersionsInput,
  resetFieldInput,
  resetTenantField,
  rollbackInput,
  rollbackTenantPolicy,
  saveInput,
  saveTenantPolicy,
  setRegulatedModeInput,
  setTenantRegulatedMode,
  targetInput,
  tenantPolicyState,
  tenantTarget,
} from "../../policies/service";

export const policiesRouter = createTRPCRouter({
  get: tenantProcedure("policies.read").query(({ ctx }) => readTenantPolicy(ctx.scope)),

  setRegulatedMode: tenantProcedure("policies.manage")
    .input(setRegulatedModeInput)
    .mutation(({ ctx, input }) => setTenantRegulatedMode(ctx.scope, ctx.audit, ctx.actor, input, { role: ctx.tenant.role })),

  /** The effective policy of the tenant (or one workspace), every field with its source. */
  effective: tenantProcedure("policies.read")
    .meta({ openapi: { method: "GET", path: "/t/{tenant}/policies/effective", tags: ["policies"], summary: "The effective policy of the tenant (or ?workspace=), every field with its source", protect: true } })
    .input(targetInput)
    .output(effectivePolicyOutput)
    .query(({ ctx, input }) => effectivePolicyDocument(ctx.scope, ctx.tenant.slug, input.workspace)),

  /** One level's overrides, its effective and inherited values, and the version in force. */
  state: tenantProcedure("policies.read")
    .input(targetInput)
    .query(async ({ ctx, input }) => tenantPolicyState(ctx.scope, await tenantTarget(ctx.scope, input.workspace))),

  versions: tenantProcedure("policies.read")
    .input(listVersionsInput)
    .query(async ({ ctx, input }) => listTenantPolicyVersions(ctx.scope, await tenantTarget(ctx.scope, input.workspace), input)),

  diff: tenantProcedure("policies.read")
    .input(diffInput)
    .query(({ ctx, input }) => diffTenantVersions(ctx.scope, input)),

  save: tenantProcedure("policies.manage")
    .input(saveInput)
    .mutation(async ({ ctx, input }) => saveTenantPolicy(ctx.scope, ctx.audit, ctx.actor, await tenantTarget(ctx.scope, input.workspace), input, { role: ctx.tenant.role })),

  resetField: tenantProcedure("policies.manage")
    .input(resetFieldInput)
    .mutation(async ({ ctx, input }) => resetTenantField(ctx.scope, ctx.audit, ctx.actor, await tenantTarget(ctx.scope, input.workspace), input, { role: ctx.tenant.role })),

  rollback: tenantProcedure("policies.manage")
    .input(rollbackInput)
    .mutation(({ ctx, input }) => rollbackTenantPolicy(ctx.scope, ctx.audit, ctx.actor, input, { role: ctx.tenant.role })),
});
