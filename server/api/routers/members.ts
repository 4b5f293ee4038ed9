// Members of a tenant: owners and time-limited support grants.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listMembers } from "../../repos/memberships";
import { addMember, addMemberInput, removeMember, removeMemberInput } from "../../services/members";

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listMembers(ctx.scope)),

  add: tenantProcedure("members.manage")
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.scope, ctx.audit, ctx.actor, input)),

  remove: tenantProcedure("members.manage")
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.scope, ctx.audit, input);
      return { ok: true as const };
    }),
});
