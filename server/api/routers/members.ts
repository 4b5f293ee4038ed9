// Members of a tenant: owners and time-limited support grants. Members join only by accepting an
// invitation (routers/invitations.ts); nobody is added without their consent.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listMembers } from "../../repos/memberships";
import { removeMember, removeMemberInput } from "../../services/members";

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listMembers(ctx.scope)),

  remove: tenantProcedure("members.manage")
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.scope, ctx.audit, input);
      return { ok: true as const };
    }),
});
