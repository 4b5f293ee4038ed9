// Members of a tenant: owners and time-limited support grants.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listMembers } from "../../repos/memberships";
import { addMember, addMemberInput, removeMember, removeMemberInput } from "../../services/members";
import { endSessionsIfNoMembershipLeft } from "../../auth/membership-sessions";

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listMembers(ctx.scope)),

  add: tenantProcedure("members.manage")
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.scope, ctx.audit, ctx.actor, input)),

  remove: tenantProcedure("members.manage")
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      const removed = await removeMember(ctx.scope, ctx.audit, input);
      await endSessionsIfNoMembershipLeft(ctx.scope, removed.userId, ctx.actor, ctx.meta);
      return { ok: true as const };
    }),
});
