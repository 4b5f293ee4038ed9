// The tenant itself: overview of the tenant named in the path.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listAuditEvents } from "../../repos/audit-events";

export const tenantRouter = createTRPCRouter({
  overview: tenantProcedure("tenant.view").query(async ({ ctx }) => {
    const [owners, support, recent] = await Promise.all([
      ctx.scope.db.membership.count({ where: { tenantId: ctx.scope.tenantId, role: "owner" } }),
      ctx.scope.db.membership.count({ where: { tenantId: ctx.scope.tenantId, role: "support", expiresAt: { gt: new Date() } } }),
      ctx.tenant.permissions.has("audit.read") ? listAuditEvents(ctx.scope, { limit: 5 }) : null,
    ]);
    return {
      slug: ctx.tenant.slug,
      name: ctx.tenant.name,
      status: ctx.tenant.status,
      role: ctx.tenant.role,
      accessExpiresAt: ctx.tenant.accessExpiresAt,
      permissions: [...ctx.tenant.permissions],
      counts: { owners, support },
      recentActivity: recent?.items.map((e) => ({ id: e.id, action: e.action, actor: e.actorLabel, occurredAt: e.occurredAt })) ?? null,
    };
  }),
});
