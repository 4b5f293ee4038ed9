// platform.policies — global policy defaults (security admins, platform.policies.manage): the level every tenant
// inherits from. Same operations as a tenant's policies (server/policies/service.ts); no tenant data
// is read or written here (except the regulated-mode pre-check, one tenant transaction per tenant).
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { globalDiffInput, globalRollbackInput, listVersionsInput, resetFieldInput, saveInput } from "../../../policies/inputs";
import { diffPolicyVersions, listPolicyVersions, policyState, resetPolicyField, rollbackPolicy, savePolicy } from "../../../policies/service";
import { globalPolicyLevel } from "../../../policies/platform";

const admin = platformProcedure("platform.policies.manage");
// Changes invalidate the rate-limit configuration cache after their commit and check every tenant.
const change = admin.meta({ ownTransactions: true });

export const platformPoliciesRouter = createTRPCRouter({
  state: admin.query(({ ctx }) => policyState(globalPolicyLevel(ctx.actor, ctx.meta))),
  versions: admin.input(listVersionsInput).query(({ ctx, input }) => listPolicyVersions(globalPolicyLevel(ctx.actor, ctx.meta), input)),
  // A global version's reference is its number (VersionItem.ref).
  diff: admin.input(globalDiffInput).query(({ ctx, input }) => diffPolicyVersions(globalPolicyLevel(ctx.actor, ctx.meta), String(input.to), input.from == null ? input.from : String(input.from))),
  save: change.input(saveInput).mutation(({ ctx, input }) => savePolicy(globalPolicyLevel(ctx.actor, ctx.meta), input)),
  resetField: change.input(resetFieldInput).mutation(({ ctx, input }) => resetPolicyField(globalPolicyLevel(ctx.actor, ctx.meta), input)),
  rollback: change.input(globalRollbackInput).mutation(({ ctx, input }) => rollbackPolicy(globalPolicyLevel(ctx.actor, ctx.meta), String(input.toVersion), input)),
});
