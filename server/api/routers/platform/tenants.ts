// platform.tenants (security admins): the tenant list, provisioning, pausing a tenant.
import { z } from "zod";
import { admitMailRequest } from "../../../accounts/mail-throttle";
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { onPlatform } from "../../../db/doors";
import { listAllTenants } from "../../../tenants/platform-repository";
import { provisionTenant, provisionTenantInput } from "../../../tenants/provisioning";
import { pauseTenant, resumeTenant } from "../../../tenants/pause";
import { pauseTenantInput, resumeTenantInput } from "../../../isomorphic/tenants/pause-inputs";

export const listTenantsInput = z.object({
  search: z.string().trim().max(100).optional(),
  after: z.string().max(63).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const platformTenantsRouter = createTRPCRouter({
  list: platformProcedure("platform.tenants.list")
    .input(listTenantsInput)
    .query(({ input }) => onPlatform((db) => listAllTenants(db, input))),

  create: platformProcedure("platform.tenants.create")
    .meta({ ownTransactions: true }) // mail throttle (Redis) before provisioning
    .input(provisionTenantInput)
    .mutation(async ({ ctx, input }) => {
      if (input.ownerEmail) await admitMailRequest("invite", input.ownerEmail, `user:${ctx.actor.id ?? "unknown"}`);
      return provisionTenant(input, ctx.actor, ctx.meta);
    }),

  /** API-key traffic and public endpoints → 423, operators read-only, auto-promotion skipped (server/tenancy/paused.ts). */
  pause: platformProcedure("platform.tenants.pause")
    .meta({ ownTransactions: true }) // cache invalidation after its commit
    .input(pauseTenantInput)
    .mutation(({ ctx, input }) => pauseTenant(input, ctx.actor, ctx.meta)),

  resume: platformProcedure("platform.tenants.pause")
    .meta({ ownTransactions: true }) // cache invalidation after its commit
    .input(resumeTenantInput)
    .mutation(({ ctx, input }) => resumeTenant(input, ctx.actor, ctx.meta)),
});
