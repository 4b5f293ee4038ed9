// Members of a tenant: owners and time-limited support grants. Members join only by accepting an
// invitation (routers/invitations.ts); nobody is added without their consent.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { listMembers } from "../../repos/memberships";
import { removeMember, removeMemberInput } from "../../services/members";
import { endSessionsIfNoMembershipLeft } from "../../auth/membership-sessions";

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listMembers(ctx.scope)),

  remove: tenantProcedure("members.manage")
    .input(removeMemberInput)
    .mutation(async ({ ctx, input }) => {
      const removed = await removeMember(ctx.scope, ctx.audit, input);
      await endSessionsIfNoMembershipLeft(ctx.scope, removed.userId, ctx.actor, ctx.meta);
      return { ok: true as const };
    }),
});
