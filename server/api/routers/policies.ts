// Tenant policies. For now regulated mode (ADR-003), which the clients capability enforces; the
// policies issue adds the rest of the tenant's settings here.
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { regulatedModeConflicts } from "../../clients/service";
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { readTenantPolicy, writeRegulatedMode } from "../../repos/tenant-policies";

export const policiesRouter = createTRPCRouter({
  get: tenantProcedure("policies.read").query(({ ctx }) => readTenantPolicy(ctx.scope)),

  setRegulatedMode: tenantProcedure("policies.manage")
    .input(z.object({ regulatedMode: z.boolean({ error: "regulatedMode is true or false." }) }))
    .mutation(async ({ ctx, input }) => {
      const before = await readTenantPolicy(ctx.scope);
      if (input.regulatedMode && !before.regulatedMode) {
        const conflicts = await regulatedModeConflicts(ctx.scope);
        if (conflicts.length) {
          throw new TRPCError({
            code: "PRECONDITION_FAILED",
            message: `Regulated mode allows https redirect URIs only (no http, localhost or private-use schemes). Fix or remove these first — ${conflicts.slice(0, 10).join("; ")}${conflicts.length > 10 ? ` …and ${conflicts.length - 10} more` : ""}.`,
          });
        }
      }
      if (before.regulatedMode !== input.regulatedMode) {
        await writeRegulatedMode(ctx.scope, input.regulatedMode, new Date(), { id: ctx.actor.type === "user" ? ctx.actor.id : null, label: ctx.actor.label ?? ctx.actor.type });
        await ctx.audit.record({
          action: input.regulatedMode ? "policy.regulated_mode_on" : "policy.regulated_mode_off",
          targetType: "tenant_policy",
          before: { regulatedMode: before.regulatedMode },
          after: { regulatedMode: input.regulatedMode },
        });
      }
      return readTenantPolicy(ctx.scope);
    }),
});
