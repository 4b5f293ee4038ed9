// API keys of a tenant: list (never secrets), create (the full key once), revoke.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { bulkIdsInput } from "../../lists/bulk";
import { revokeApiKeysBulk } from "../../api-keys/bulk";
import { API_KEY_MAX_DAYS, apiKeyIdInput, createApiKey, createApiKeyInput, grantableScopes, listTenantApiKeys, revokeApiKey } from "../../api-keys/service";
import { withStepUp } from "../../auth/step-up";
import { listPageInput } from "../../lists/keyset";
import { API_KEY_SORTS } from "../../api-keys/repository";

export const apiKeyListInput = listPageInput(API_KEY_SORTS);

export const apiKeysRouter = createTRPCRouter({
  /** One keyset page (search on name or prefix, sort by created or name). */
  list: tenantProcedure("apikeys.manage").input(apiKeyListInput).query(async ({ ctx, input }) => ({
    ...(await listTenantApiKeys(ctx.scope, input)),
    grantableScopes: grantableScopes(ctx.tenant.permissions),
    maxDays: API_KEY_MAX_DAYS,
  })),

  create: tenantProcedure("apikeys.manage").use(withStepUp)
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.scope, ctx.audit, ctx.actor, ctx.tenant.permissions, input)),

  revoke: tenantProcedure("apikeys.manage")
    .input(apiKeyIdInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.scope, ctx.audit, ctx.actor, input.keyId)),

  /** Several at once: every id must be this tenant's, or nothing is revoked. */
  revokeMany: tenantProcedure("apikeys.manage")
    .input(bulkIdsInput)
    .mutation(({ ctx, input }) => revokeApiKeysBulk(ctx.scope, ctx.audit, ctx.actor, input.ids)),
});
