// Platform-wide procedures (security admins): the tenant list and provisioning.
import { z } from "zod";
import { createTRPCRouter, platformProcedure } from "../trpc";
import { onPlatform } from "../../db/doors";
import { listAllTenants } from "../../repos/platform-tenants";
import { provisionTenant, provisionTenantInput } from "../../services/provisioning";

export const listTenantsInput = z.object({
  search: z.string().trim().max(100).optional(),
  after: z.string().max(63).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const platformRouter = createTRPCRouter({
  listTenants: platformProcedure("platform.tenants.list")
    .input(listTenantsInput)
    .query(({ input }) => onPlatform((db) => listAllTenants(db, input))),

  createTenant: platformProcedure("platform.tenants.create")
    .input(provisionTenantInput)
    .mutation(({ ctx, input }) => provisionTenant(input, ctx.actor, ctx.meta)),
});
