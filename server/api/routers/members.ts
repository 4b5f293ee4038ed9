// Members of a tenant: owners and time-limited support grants.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listMembers } from "../../repos/memberships";
import { addMember, addMemberInput, removeMember, removeMemberInput } from "../../services/members";
import { withStepUp } from "../../auth/step-up";

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listMembers(ctx.scope)),

  add: tenantProcedure("members.manage").use(withStepUp)
    .input(addMemberInput)
    .mutation(({ ctx, input }) => addMember(ctx.scope, ctx.audit, ctx.actor, input)),

  remove: tenantProcedure("members.manage").use(withStepUp)
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.scope, ctx.audit, input);
      return { ok: true as const };
    }),
});
