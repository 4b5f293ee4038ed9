// Workspaces of a tenant (server/policies/workspaces.ts): the third policy level.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import {
  createWorkspace,
  createWorkspaceInput,
  deleteWorkspace,
  listWorkspaces,
  renameWorkspace,
  renameWorkspaceInput,
  workspaceRefInput,
} from "../../policies/workspaces";

export const workspacesRouter = createTRPCRouter({
  list: tenantProcedure("policies.read").query(({ ctx }) => listWorkspaces(ctx.scope)),

  create: tenantProcedure("policies.manage")
    .input(createWorkspaceInput)
    .mutation(({ ctx, input }) => createWorkspace(ctx.scope, ctx.audit, input)),

  rename: tenantProcedure("policies.manage")
    .input(renameWorkspaceInput)
    .mutation(({ ctx, input }) => renameWorkspace(ctx.scope, ctx.audit, input)),

  delete: tenantProcedure("policies.manage")
    .input(workspaceRefInput)
    .mutation(({ ctx, input }) => deleteWorkspace(ctx.scope, ctx.audit, input)),
});
