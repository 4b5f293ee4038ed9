// The audit trail of a tenant: the viewer (filters, keyset pages), chain verification and signed
// checkpoints, retention, and exports. Reading and exporting are audited themselves
// (server/audit/audit-the-audit.ts).
import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { auditExportListOutput, auditExportOutput } from "../rest-outputs";
import { listAuditEvents } from "../../audit/repository";
import { recordHeadCheckpoint, verifyChain } from "../../audit/chain";
import { noteAuditViewed } from "../../audit/audit-the-audit";
import { retentionInfo } from "../../audit/retention";
import { exportFormatSchema, listAuditExports, requestAuditExport } from "../../audit/export/service";
import { AppError } from "../../isomorphic/errors";
import { targetLabels, targetLabelsInput } from "../../audit/target-labels";

const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what} is at most ${max} characters.`).nullish().transform((v) => v || null);

/** The viewer's filters (also what an export is filtered by). */
const filterFields = {
  from: z.coerce.date({ error: "from is not a date." }).nullish(),
  to: z.coerce.date({ error: "to is not a date." }).nullish(),
  actor: optionalText(320, "Actor"),
  actionPrefix: optionalText(128, "Action"),
  targetType: optionalText(64, "Target type"),
  targetId: optionalText(128, "Target id"),
  outcome: z.enum(["success", "failure"]).nullish(),
  text: optionalText(200, "Search text"),
};
const rangeInOrder = (v: { from?: Date | null; to?: Date | null }) => !v.from || !v.to || v.from < v.to;
const rangeMessage = { message: "The start of the time range must be before its end.", path: ["to"] };

export const auditListInput = z
  .object({
    cursor: z.bigint().positive().nullish(),
    limit: z.number().int().min(1).max(200).default(50),
    ...filterFields,
  })
  .refine(rangeInOrder, rangeMessage);

export const auditExportInput = z.object({ format: exportFormatSchema, ...filterFields }).refine(rangeInOrder, rangeMessage);

export const auditRouter = createTRPCRouter({
  list: tenantProcedure("audit.read")
    .input(auditListInput)
    .query(async ({ ctx, input }) => {
      const page = await listAuditEvents(ctx.scope, input);
      // After the read, so the chain-head lock (if it writes) is held only briefly.
      await noteAuditViewed(ctx.scope, ctx.actor, ctx.meta);
      return page;
    }),

  /** Walks the tenant's hash chain: "intact", or the first broken sequence number and why. */
  /** Names of the things events point at (client name, key kid, member e-mail), for the detail view. */
  targetLabels: tenantProcedure("audit.read")
    .input(targetLabelsInput)
    .query(({ ctx, input }) => targetLabels(ctx.scope, input.targets)),

  verifyChain: tenantProcedure("audit.read").query(({ ctx }) => verifyChain(ctx.scope)),

  /** Retention period (from the tenant's policy), when the purge last ran, what it removed. */
  retention: tenantProcedure("audit.read").query(({ ctx }) => retentionInfo(ctx.scope)),

  /** A signed head checkpoint now (after checking what was appended since the previous one). */
  checkpoint: tenantProcedure("audit.manage").mutation(async ({ ctx }) => {
    const r = await recordHeadCheckpoint(ctx.scope);
    if (!r.verification.intact) throw new AppError("CONFLICT", `No checkpoint: ${r.verification.message}`);
    if (!r.checkpoint) return { seq: null, created: false, at: null };
    if (r.created) {
      await ctx.audit.record({ action: "audit.checkpoint_recorded", targetType: "audit_checkpoint", targetId: r.checkpoint.id.toString(), after: { seq: r.checkpoint.seq.toString() } });
    }
    return { seq: r.checkpoint.seq.toString(), created: r.created, at: r.checkpoint.createdAt };
  }),

  /**
   * Queues an export of the events matching the viewer's filters (JSONL or CSV, gzip). A MUTATION
   * that support staff may call (they hold audit.export): see SUPPORT_PERMITTED_MUTATIONS in
   * server/api/procedure-manifest.ts.
   */
  requestExport: tenantProcedure("audit.export", { whilePendingDeletion: true })
    .meta({ openapi: { method: "POST", path: "/t/{tenant}/audit/exports", tags: ["audit"], summary: "Start an audit export (JSONL or CSV, gzip)", protect: true } })
    .input(auditExportInput)
    .output(auditExportOutput)
    .mutation(({ ctx, input }) => {
      const { format, ...filters } = input;
      return requestAuditExport(ctx.scope, ctx.actor, ctx.audit, { format, filters });
    }),

  /** The tenant's recent exports with progress (also while pending deletion: the export is offered then); downloads go through /api/t/<tenant>/exports/<id>. */
  exports: tenantProcedure("audit.export", { whilePendingDeletion: true, readOnly: true })
    .meta({ openapi: { method: "GET", path: "/t/{tenant}/audit/exports", tags: ["audit"], summary: "Recent audit exports and their status; download a done one at /api/t/{tenant}/exports/{id}", protect: true } })
    .output(auditExportListOutput)
    .query(({ ctx }) => listAuditExports(ctx.scope)),
});
