// platform.deletions (security admins): every tenant deletion with its purge progress, shortening a
// grace period, and the signed receipts of completed deletions (server/deletion/).
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { deletionIdInput, listDeletionsInput, shortenGraceInput } from "../../../deletion/service";
import { deletionReceipt, listDeletions, shortenDeletionGrace } from "../../../deletion/platform";
import { withStepUp } from "../../../auth/step-up";

export const platformDeletionsRouter = createTRPCRouter({
  list: platformProcedure("platform.tenants.delete")
    .input(listDeletionsInput)
    .query(({ input }) => listDeletions(input)),

  shortenGrace: platformProcedure("platform.tenants.delete").meta({ ownTransactions: true }).use(withStepUp) // job queue, cache invalidation
    .input(shortenGraceInput)
    .mutation(({ ctx, input }) => shortenDeletionGrace(input, ctx.actor, ctx.meta)),

  /** The signed receipt of a completed deletion (verify with `npm run receipt:verify`). */
  receipt: platformProcedure("platform.tenants.delete")
    .input(deletionIdInput)
    .query(({ input }) => deletionReceipt(input.deletionId)),
});
