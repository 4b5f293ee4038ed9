// Token signing keys of a tenant: list, rotate (stage + promote), revoke, emergency rotate-and-revoke.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { issuerFor, jwksUriFor } from "../../keys/issuer";
import { effectiveAutoPromoteHours } from "../../policies/resolve";
import {
  keyIdInput,
  listKeys,
  promoteNextKey,
  revokeKey,
  rotateAndRevoke,
  rotateAndRevokeInput,
  stageKeyInput,
  stageNextKey,
} from "../../keys/signing-keys";
import { withStepUp } from "../../auth/step-up";

export const keysRouter = createTRPCRouter({
  list: tenantProcedure("keys.read").query(async ({ ctx }) => ({
    issuer: issuerFor(ctx.tenant.slug),
    jwksUri: jwksUriFor(ctx.tenant.slug),
    autoPromoteAfterHours: await effectiveAutoPromoteHours(ctx.scope),
    keys: await listKeys(ctx.scope),
  })),

  stage: tenantProcedure("keys.manage")
    .input(stageKeyInput)
    .mutation(({ ctx, input }) => stageNextKey(ctx.scope, ctx.audit, ctx.actor, input)),

  promote: tenantProcedure("keys.manage").mutation(({ ctx }) => promoteNextKey(ctx.scope, ctx.audit)),

  revoke: tenantProcedure("keys.manage")
    .input(keyIdInput)
    .mutation(({ ctx, input }) => revokeKey(ctx.scope, ctx.audit, input)),

  rotateAndRevoke: tenantProcedure("keys.manage").use(withStepUp)
    .input(rotateAndRevokeInput)
    .mutation(({ ctx, input }) => rotateAndRevoke(ctx.scope, ctx.audit, ctx.actor, input)),
});
