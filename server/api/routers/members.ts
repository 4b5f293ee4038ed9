// Members of a tenant: owners and time-limited support grants.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { z } from "zod";
import { findMember, listMembers } from "../../repos/memberships";
import { UserError } from "../../errors";
import { addMember, addMemberInput, removeMember, removeMemberInput } from "../../services/members";
import { countApiKeysCreatedBy } from "../../apikeys/service";

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listMembers(ctx.scope)),

  /** What removing a member would also end: the API keys they created here that still work. */
  removalImpact: tenantProcedure("members.manage")
    .input(z.object({ membershipId: z.string().uuid("Unknown member.") }))
    .query(async ({ ctx, input }) => {
      const m = await findMember(ctx.scope, input.membershipId);
      if (!m) throw new UserError("NOT_FOUND", "Member not found.");
      return { apiKeys: await countApiKeysCreatedBy(ctx.scope, m.user.id) };
    }),

  add: tenantProcedure("members.manage")
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.scope, ctx.audit, ctx.actor, input)),

  remove: tenantProcedure("members.manage")
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      const { revokedApiKeys } = await removeMember(ctx.scope, ctx.audit, input, ctx.actor);
      return { ok: true as const, revokedApiKeys: revokedApiKeys.length };
    }),
});
