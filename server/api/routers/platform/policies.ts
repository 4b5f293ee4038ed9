// platform.policies — global policy defaults (security admins, platform.policies.manage): the level every tenant
// inherits from. Same operations as a tenant's policies; no tenant data is read or written here
// (except the regulated-mode pre-check, one tenant transaction per tenant).
import { createTRPCRouter, platformProcedure } from "../../trpc";
import {
  diffGlobalVersions,
  globalDiffInput,
  globalListInput,
  globalPolicyState,
  globalResetFieldInput,
  globalRollbackInput,
  globalSaveInput,
  listGlobalPolicyVersions,
  resetGlobalField,
  rollbackGlobalPolicy,
  saveGlobalPolicy,
} from "../../../policies/service";

const admin = platformProcedure("platform.policies.manage");

export const platformPoliciesRouter = createTRPCRouter({
  state: admin.query(() => globalPolicyState()),
  versions: admin.input(globalListInput).query(({ input }) => listGlobalPolicyVersions(input)),
  diff: admin.input(globalDiffInput).query(({ input }) => diffGlobalVersions(input)),
  save: admin.input(globalSaveInput).mutation(({ ctx, input }) => saveGlobalPolicy(ctx.actor, input, ctx.meta)),
  resetField: admin.input(globalResetFieldInput).mutation(({ ctx, input }) => resetGlobalField(ctx.actor, input, ctx.meta)),
  rollback: admin.input(globalRollbackInput).mutation(({ ctx, input }) => rollbackGlobalPolicy(ctx.actor, input, ctx.meta)),
});
