// Tenant backup and restore (server/backup/): export the tenant's configuration as one JSON document,
// dry-run and import such a document into this (empty) tenant. Every call is audited in its
// transaction; private signing keys leave only for a security admin who just stepped up, encrypted
// to a recipient public key given with the request.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { withStepUp } from "../../auth/step-up";
import { backupDocument } from "../../backup/document";
import { buildTenantBackup } from "../../backup/export";
import { applyImport, planImport } from "../../backup/import";
import { importRecipient, installationRecipientKey, recipientJwkInput } from "../../backup/private-keys";

const documentInput = z.object({ document: backupDocument });

export const backupRouter = createTRPCRouter({
  /** The backup without private keys (owners and security admins). */
  export: tenantProcedure("backup.export").query(async ({ ctx }) => {
    const doc = await buildTenantBackup(ctx.scope, ctx.tenant);
    await ctx.audit.record({ action: "backup.exported", targetType: "tenant", targetId: ctx.tenant.tenantId, after: { privateKeys: false, clients: doc.clients.length, signingKeys: doc.signingKeys.length } });
    return doc;
  }),

  /**
   * The backup WITH the live signing keys' private JWKs, each a JWE to `recipient` (a public JWK:
   * the target installation's `backup.recipientKey`, or your own). Security admins only, step-up.
   */
  exportWithPrivateKeys: tenantProcedure("backup.export")
    .use(withStepUp)
    .input(z.object({ recipient: recipientJwkInput }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.tenant.role !== "security_admin") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Only a security admin may export private signing keys." });
      }
      const recipient = await importRecipient(input.recipient);
      const doc = await buildTenantBackup(ctx.scope, ctx.tenant, { recipient });
      const exported = doc.signingKeys.filter((k) => k.privateKeyJwe).map((k) => k.kid);
      await ctx.audit.record({
        action: "backup.exported",
        targetType: "tenant",
        targetId: ctx.tenant.tenantId,
        after: { privateKeys: true, recipientKid: recipient.kid, recipientAlg: recipient.alg, privateKeysFor: exported, clients: doc.clients.length },
      });
      return doc;
    }),

  /** This installation's recipient public key: give it to the exporting side to receive private keys. */
  recipientKey: tenantProcedure("backup.restore").query(() => installationRecipientKey()),

  /** What an import would create, with every conflict and warning; changes nothing. */
  importDryRun: tenantProcedure("backup.restore")
    .input(documentInput)
    .mutation(({ ctx, input }) => planImport(ctx.scope, input.document)),

  /** Imports the document in one transaction (all or nothing); refused on any conflict. */
  import: tenantProcedure("backup.restore")
    .use(withStepUp)
    .input(documentInput)
    .mutation(({ ctx, input }) => applyImport(ctx.scope, ctx.audit, ctx.actor, input.document)),
});
