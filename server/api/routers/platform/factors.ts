// Security admins: another user's second factors — list (never secrets) and remove (with a reason,
// step-up, audited), e.g. for a person who lost their phone and their recovery codes. Removing one
// also ends every session of that user.
import { z } from "zod";
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { onPlatform } from "../../../db/doors";
import { recordPlatformAudit } from "../../../audit/platform-record";
import { withStepUp } from "../../../auth/step-up";
import { revokeAllSessionsOf } from "../../../auth/sessions";
import { AppError } from "../../../isomorphic/errors";
import { userExists } from "../../../accounts/platform-users-repository";
import { factorOverview, removeFactor } from "../../../mfa/factors";

const userId = z.string().uuid("Unknown user.");

export const platformFactorsRouter = createTRPCRouter({
  list: platformProcedure("platform.factors.manage")
    .input(z.object({ userId }))
    .query(async ({ input }) =>
      onPlatform(async (db) => {
        if (!(await userExists(db, input.userId))) throw new AppError("NOT_FOUND", "This user does not exist.");
        return factorOverview(db, input.userId);
      }),
    ),

  remove: platformProcedure("platform.factors.manage")
    .use(withStepUp)
    .input(
      z.object({
        userId,
        factorId: z.string().uuid("Unknown second factor."),
        reason: z.string().trim().min(5, "Say why the factor is removed (at least 5 characters); it goes to the audit trail.").max(500, "Keep the reason under 500 characters."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await onPlatform(async (db) => {
        const removed = await removeFactor(db, input.userId, input.factorId);
        await recordPlatformAudit(db, ctx.actor, ctx.meta, {
          action: "factor.removed", targetType: "user", targetId: input.userId,
          details: { factorId: removed.id, kind: removed.kind, name: removed.name, reason: input.reason, by: "security_admin" },
        });
        // A lost or stolen factor: whoever holds it may be signed in — every session of the user ends.
        await revokeAllSessionsOf(db, input.userId, "factor_removed", { actor: ctx.actor, meta: ctx.meta });
      });
      return { ok: true };
    }),
});
