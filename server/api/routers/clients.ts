// OAuth clients of a tenant: list/get, live URI validation, create, update, enable/disable,
// delete, secret rotation. Business rules live in server/clients/service.ts.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { clientListOutput, clientViewOutput } from "../rest-outputs";
import { CLIENT_TYPE_RULES, CLIENT_TYPES } from "../../isomorphic/clients/client-types";
import { addRedirectUriInput, checkUrisInput, clientRefInput, createClientInput, MAX_SECRET_OVERLAP_HOURS, rotateSecretInput, setClientEnabledInput, updateClientInput } from "../../isomorphic/clients/inputs";
import { checkRedirectUris } from "../../isomorphic/clients/redirect-uris";
import { readTenantPolicy } from "../../policies/tenant-repository";
import { bulkIdsInput } from "../../lists/bulk";
import { deleteClientsBulk } from "../../clients/bulk";
import { listPageInput } from "../../lists/keyset";
import { CLIENT_SORTS } from "../../clients/repository";
import { addRedirectUri, createClient, deleteClient, getTenantClient, listTenantClients, rotateClientSecret, setClientEnabled, updateClient } from "../../clients/service";

export const clientListInput = listPageInput(CLIENT_SORTS);

export const clientsRouter = createTRPCRouter({
  /** One keyset page (search on name or client id; sort by created, name or client id) and the type rules. */
  list: tenantProcedure("clients.read", { readOnly: true })
    .meta({ openapi: { method: "GET", path: "/t/{tenant}/clients", tags: ["clients"], summary: "List OAuth clients (one keyset page)", protect: true } })
    .input(clientListInput)
    .output(clientListOutput)
    .query(async ({ ctx, input }) => ({
    ...(await listTenantClients(ctx.scope, input)),
    types: CLIENT_TYPES.map((t) => ({ type: t, ...CLIENT_TYPE_RULES[t] })),
    maxSecretOverlapHours: MAX_SECRET_OVERLAP_HOURS,
  })),

  get: tenantProcedure("clients.read", { readOnly: true })
    .meta({ openapi: { method: "GET", path: "/t/{tenant}/clients/{clientRowId}", tags: ["clients"], summary: "Read one OAuth client", protect: true } })
    .input(clientRefInput)
    .output(clientViewOutput)
    .query(({ ctx, input }) => getTenantClient(ctx.scope, input.clientRowId)),

  /** Per-line results for a pasted list, with the tenant's regulated mode applied (nothing is saved). */
  checkUris: tenantProcedure("clients.read")
    .input(checkUrisInput)
    .query(async ({ ctx, input }) => {
      const { regulatedMode } = await readTenantPolicy(ctx.scope);
      return { regulatedMode, ...checkRedirectUris(input.text, { clientType: input.type, regulated: regulatedMode, kind: input.kind }) };
    }),

  create: tenantProcedure("clients.manage")
    .input(createClientInput)
    .mutation(({ ctx, input }) => createClient(ctx.scope, ctx.audit, ctx.actor, input)),

  update: tenantProcedure("clients.manage")
    .input(updateClientInput)
    .mutation(({ ctx, input }) => updateClient(ctx.scope, ctx.audit, input)),

  setEnabled: tenantProcedure("clients.manage")
    .input(setClientEnabledInput)
    .mutation(({ ctx, input }) => setClientEnabled(ctx.scope, ctx.audit, input.clientRowId, input.enabled)),

  delete: tenantProcedure("clients.manage")
    .input(clientRefInput)
    .mutation(({ ctx, input }) => deleteClient(ctx.scope, ctx.audit, input.clientRowId)),

  /** Several at once: every id must be this tenant's, or nothing is deleted. */
  deleteMany: tenantProcedure("clients.manage")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => deleteClientsBulk(ctx.scope, ctx.audit, input.ids)),

  /** Appends one redirect URI (the same rules as an edit on the Clients page; already listed → unchanged). */
  addRedirectUri: tenantProcedure("clients.manage")
    .meta({ openapi: { method: "POST", path: "/t/{tenant}/clients/{clientRowId}/redirect-uris", tags: ["clients"], summary: "Add a redirect URI to a client", protect: true } })
    .input(addRedirectUriInput)
    .output(clientViewOutput)
    .mutation(({ ctx, input }) => addRedirectUri(ctx.scope, ctx.audit, input.clientRowId, input.uri)),

  rotateSecret: tenantProcedure("clients.manage")
    .input(rotateSecretInput)
    .mutation(({ ctx, input }) => rotateClientSecret(ctx.scope, ctx.audit, input.clientRowId, input.overlapHours)),
});
