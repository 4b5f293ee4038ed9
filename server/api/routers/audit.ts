// The audit trail of a tenant (read side). The full viewer (filters, export, chain) builds on this.
import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listAuditEvents } from "../../repos/audit-events";
import { verifyChain } from "../../audit/chain";

const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what} is at most ${max} characters.`).nullish().transform((v) => v || null);

export const auditListInput = z
  .object({
    cursor: z.bigint().positive().nullish(),
    limit: z.number().int().min(1).max(200).default(50),
    from: z.coerce.date({ error: "from is not a date." }).nullish(),
    to: z.coerce.date({ error: "to is not a date." }).nullish(),
    actor: optionalText(320, "Actor"),
    actionPrefix: optionalText(128, "Action"),
    targetType: optionalText(64, "Target type"),
    targetId: optionalText(128, "Target id"),
    outcome: z.enum(["success", "failure"]).nullish(),
    text: optionalText(200, "Search text"),
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, { message: "The start of the time range must be before its end.", path: ["to"] });

export const auditRouter = createTRPCRouter({
  list: tenantProcedure("audit.read")
    .input(auditListInput)
    .query(({ ctx, input }) => listAuditEvents(ctx.scope, input)),

  /** Walks the tenant's hash chain: "intact", or the first broken sequence number and why. */
  verifyChain: tenantProcedure("audit.read").query(({ ctx }) => verifyChain(ctx.scope)),
});
