// Invitations to one tenant (owners and security admins): the only way to add a member.
import { createTRPCRouter, tenantProcedure } from "../trpc";
import { admitMailRequest } from "../../accounts/mail-throttle";
import {
  invitationIdInput,
  inviteMember,
  inviteMemberInput,
  listTenantInvitations,
  revokeTenantInvitation,
} from "../../accounts/invitations";
import { withStepUp } from "../../auth/step-up";

export const invitationsRouter = createTRPCRouter({
  list: tenantProcedure("members.read").query(({ ctx }) => listTenantInvitations(ctx.scope)),

  // An invitation grants a role: step-up, like changing roles.
  create: tenantProcedure("members.manage")
    .use(withStepUp)
    .input(inviteMemberInput)
    .mutation(async ({ ctx, input }) => {
      await admitMailRequest("invite", input.email, `${ctx.actor.type}:${ctx.actor.id ?? "unknown"}`);
      return inviteMember(ctx.scope, ctx.audit, ctx.actor, ctx.meta, ctx.tenant.name, input);
    }),

  revoke: tenantProcedure("members.manage")
    .input(invitationIdInput)
    .mutation(async ({ ctx, input }) => {
      await revokeTenantInvitation(ctx.scope, ctx.audit, ctx.actor, ctx.meta, input.invitationId);
      return { ok: true as const };
    }),
});
