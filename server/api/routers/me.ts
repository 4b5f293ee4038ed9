// The signed-in operator: profile and the tenants they may open.
import { authedProcedure, createTRPCRouter } from "../trpc";
import { listOperatorTenants } from "../../tenancy/context";
import { listAllTenants } from "../../tenants/platform-repository";
import { onPlatform } from "../../db/doors";

export const meRouter = createTRPCRouter({
  profile: authedProcedure.query(({ ctx }) => ({
    id: ctx.operator.id,
    email: ctx.operator.email,
    name: ctx.operator.name,
    platformRole: ctx.operator.platformRole,
  })),

  /** Tenants for the switcher: memberships, or (security admins) the first page of all tenants. */
  tenants: authedProcedure.query(async ({ ctx }) => {
    if (ctx.operator.platformRole === "security_admin") {
      const page = await onPlatform((db) => listAllTenants(db, { limit: 100 }));
      return page.items.map((t) => ({ slug: t.slug, name: t.name, status: t.status, paused: t.pausedAt !== null, role: "security_admin" as const, expiresAt: null }));
    }
    return listOperatorTenants(ctx.operator);
  }),
});
