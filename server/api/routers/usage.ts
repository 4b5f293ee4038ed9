// The tenant's usage (README "Per-tenant usage"): requests and refusals by surface, audit events,
// exports and storage over 24 h / 30 d — the basis of cost attribution. Owners and security admins.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { requestStorageRefresh } from "../../usage/storage";
import { usageSummary } from "../../usage/summary";

export const usageRouter = createTRPCRouter({
  summary: tenantProcedure("usage.read").query(({ ctx }) => usageSummary(ctx.scope)),

  /** Queues a storage snapshot now (at most once per 10 minutes per tenant). */
  // A mutation like any other: audited in the same transaction as the request it records.
  refreshStorage: tenantProcedure("usage.read").mutation(async ({ ctx }) => {
    const result = await requestStorageRefresh(ctx.scope, `${ctx.actor.type}:${ctx.actor.id ?? "unknown"}`);
    await ctx.audit.record({ action: "usage.storage_refresh_requested", targetType: "tenant", targetId: ctx.scope.tenantId, after: { requestedAt: result.requestedAt.toISOString() } });
    return result;
  }),
});
