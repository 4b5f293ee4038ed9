// The tenant itself: overview of the tenant named in the path.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listAuditEvents } from "../../audit/repository";
import { can } from "../../isomorphic/auth/permissions";
import { countActiveSupportGrants, countOwners } from "../../members/repository";

export const tenantRouter = createTRPCRouter({
  // Open while pending deletion: the tenant shell reads it to show the pending-deletion page.
  overview: tenantProcedure("tenant.view", { whilePendingDeletion: true }).query(async ({ ctx }) => {
    const [owners, support, recent] = await Promise.all([
      countOwners(ctx.scope),
      countActiveSupportGrants(ctx.scope, new Date()),
      ctx.tenant.permissions.has("audit.read") ? listAuditEvents(ctx.scope, { limit: 5 }) : null,
    ]);
    return {
      slug: ctx.tenant.slug,
      name: ctx.tenant.name,
      status: ctx.tenant.status,
      role: ctx.tenant.role,
      accessExpiresAt: ctx.tenant.accessExpiresAt,
      permissions: [...ctx.tenant.permissions],
      /** Set while a security admin has paused the tenant; operators see why. */
      pause: ctx.tenant.pause,
      /** May this operator pause/resume it (platform.tenants.pause)? */
      canPause: ctx.tenant.role !== "api_key" && can(ctx.tenant.role, "platform.tenants.pause"),
      counts: { owners, support },
      recentActivity: recent?.items.map((e) => ({ id: e.id, action: e.action, actor: e.actorLabel, occurredAt: e.occurredAt })) ?? null,
    };
  }),
});
