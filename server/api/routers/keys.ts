// Token signing keys of a tenant: list, rotate (stage + promote), revoke, emergency rotate-and-revoke.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { keyListOutput, signingKeyOutput } from "../rest-outputs";
import { issuerFor, jwksUriFor } from "../../signing-keys/issuer";
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
} from "../../signing-keys/service";
import { withStepUp } from "../../auth/step-up";

export const keysRouter = createTRPCRouter({
  list: tenantProcedure("keys.read", { readOnly: true })
    .meta({ openapi: { method: "GET", path: "/t/{tenant}/keys", tags: ["keys"], summary: "List signing keys, the issuer and the JWKS URI", protect: true } })
    .output(keyListOutput)
    .query(async ({ ctx }) => ({
    issuer: issuerFor(ctx.tenant.slug),
    jwksUri: jwksUriFor(ctx.tenant.slug),
    autoPromoteAfterHours: await effectiveAutoPromoteHours(ctx.scope),
    keys: await listKeys(ctx.scope),
  })),

  stage: tenantProcedure("keys.manage")
    .meta({ openapi: { method: "POST", path: "/t/{tenant}/keys/next", tags: ["keys"], summary: "Rotate, step 1: stage the next signing key (published in the JWKS, not yet signing)", protect: true } })
    .input(stageKeyInput)
    .output(signingKeyOutput)
    .mutation(({ ctx, input }) => stageNextKey(ctx.scope, ctx.audit, ctx.actor, input)),

  promote: tenantProcedure("keys.manage")
    .meta({ openapi: { method: "POST", path: "/t/{tenant}/keys/promote", tags: ["keys"], summary: "Rotate, step 2: the staged key starts signing, the current one is retired", protect: true } })
    .output(signingKeyOutput)
    .mutation(({ ctx }) => promoteNextKey(ctx.scope, ctx.audit)),

  revoke: tenantProcedure("keys.manage")
    .input(keyIdInput)
    .mutation(({ ctx, input }) => revokeKey(ctx.scope, ctx.audit, input)),

  rotateAndRevoke: tenantProcedure("keys.manage").use(withStepUp)
    .input(rotateAndRevokeInput)
    .mutation(({ ctx, input }) => rotateAndRevoke(ctx.scope, ctx.audit, ctx.actor, input)),
});
