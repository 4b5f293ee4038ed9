// Members of a tenant: owners and time-limited support grants. Members join only by accepting an
// invitation (routers/invitations.ts); nobody is added without their consent.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { z } from "zod";
import { findMember, MEMBER_SORTS, pageMembers } from "../../members/repository";
import { listPageInput } from "../../lists/keyset";
import { AppError } from "../../isomorphic/errors";
import { removeMember, removeMemberInput } from "../../members/service";
import { countApiKeysCreatedBy } from "../../api-keys/service";
import { withStepUp } from "../../auth/step-up";
import { endSessionsIfNoMembershipLeft } from "../../auth/membership-sessions";

export const memberListInput = listPageInput(MEMBER_SORTS);

export const membersRouter = createTRPCRouter({
  /** One keyset page (search on e-mail or name; sort by joined or role). */
  list: tenantProcedure("members.read").input(memberListInput).query(({ ctx, input }) => pageMembers(ctx.scope, input)),

  /** What removing a member would also end: the API keys they created here that still work. */
  removalImpact: tenantProcedure("members.manage")
    .input(z.object({ membershipId: z.string().uuid("Unknown member.") }))
    .query(async ({ ctx, input }) => {
      const m = await findMember(ctx.scope, input.membershipId);
      if (!m) throw new AppError("NOT_FOUND", "Member not found.");
      return { apiKeys: await countApiKeysCreatedBy(ctx.scope, m.user.id) };
    }),

  remove: tenantProcedure("members.manage").use(withStepUp)
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      const { userId, revokedApiKeys } = await removeMember(ctx.scope, ctx.audit, input, ctx.actor);
      await endSessionsIfNoMembershipLeft(ctx.scope, userId, ctx.actor, ctx.meta);
      return { ok: true as const, revokedApiKeys: revokedApiKeys.length };
    }),
});
