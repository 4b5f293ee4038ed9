// Tenant deletion (server/deletion/): the tenant's danger zone (preview, request) and its pending
// state (status, cancel — the only tenant procedures still open while it is pending deletion). The
// platform's view is platform.deletions (routers/platform/deletions.ts).
import { createTRPCRouter, tenantProcedure } from "../trpc";
import {
  cancelTenantDeletion,
  deletionPreview,
  requestDeletionInput,
  requestTenantDeletion,
  tenantDeletionStatus,
} from "../../deletion/service";
import { tenantConfigurationExport } from "../../deletion/configuration-export";
import { withStepUp } from "../../auth/step-up";

export const deletionRouter = createTRPCRouter({
  /**
   * The tenant's configuration as JSON, without secrets: offered to owners and security admins,
   * also (especially) while the tenant is pending deletion. Audited: it is a copy of the tenant.
   */
  configurationExport: tenantProcedure("tenant.delete", { whilePendingDeletion: true }).query(async ({ ctx }) => {
    const doc = await tenantConfigurationExport(ctx.scope, ctx.tenant);
    await ctx.audit.record({ action: "tenant.configuration_exported", targetType: "tenant", targetId: ctx.tenant.tenantId });
    return doc;
  }),

  /** What a deletion would remove (counts per kind) and the grace period. */
  preview: tenantProcedure("tenant.delete").query(({ ctx }) => deletionPreview(ctx.scope, ctx.tenant)),

  request: tenantProcedure("tenant.delete").use(withStepUp)
    .input(requestDeletionInput)
    .mutation(({ ctx, input }) => requestTenantDeletion(ctx.scope, ctx.audit, ctx.actor, ctx.tenant, input, undefined, ctx.meta)),

  /** Every member sees that (and when) the tenant will be deleted; security admins also see progress. */
  status: tenantProcedure("tenant.view", { whilePendingDeletion: true }).query(({ ctx }) => tenantDeletionStatus(ctx.scope, ctx.tenant)),

  cancel: tenantProcedure("tenant.delete", { whilePendingDeletion: true }).mutation(({ ctx }) =>
    cancelTenantDeletion(ctx.scope, ctx.audit, ctx.actor, ctx.tenant, undefined, ctx.meta),
  ),
});
