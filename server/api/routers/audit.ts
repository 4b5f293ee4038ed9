// The audit trail of a tenant (read side). The full viewer (filters, export, chain) builds on this.
import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listAuditEvents } from "../../repos/audit-events";
import { verifyChain } from "../../audit/chain";

export const auditListInput = z.object({
  cursor: z.bigint().positive().nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const auditRouter = createTRPCRouter({
  list: tenantProcedure("audit.read")
    .input(auditListInput)
    .query(({ ctx, input }) => listAuditEvents(ctx.scope, input)),

  /** Walks the tenant's hash chain: "intact", or the first broken sequence number and why. */
  verifyChain: tenantProcedure("audit.read").query(({ ctx }) => verifyChain(ctx.scope)),
});
