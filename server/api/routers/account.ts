// The operator's own account (user procedures) and the public, token-carrying steps: password reset
// and accepting an invitation. Public procedures are rate limited per e-mail/token + IP.
import { z } from "zod";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";
import { onPlatform } from "../../db/doors";
import { recordPlatformAudit } from "../../audit/platform-record";
import { findUserProfile, setUserName, userName, usersWithPassword } from "../../accounts/platform-users-repository";
import { admitMailRequest } from "../../accounts/mail-throttle";
import { hashToken } from "../../accounts/tokens";
import { acceptAsNewUser, acceptAsSignedIn, acceptNewInput, describeInvitation } from "../../accounts/invitations";
import { changePassword, changePasswordInput, requestPasswordReset, requestResetInput, resetPassword, resetPasswordInput } from "../../accounts/passwords";
import { updateNameInput } from "../../isomorphic/accounts/inputs";

const tokenOnly = z.object({ token: z.string().min(1, "This link is not valid.").max(200, "This link is not valid.") });

export const accountRouter = createTRPCRouter({
  profile: authedProcedure.query(({ ctx }) =>
    onPlatform(async (db) => {
      const u = await findUserProfile(db, ctx.operator.id);
      const hasPassword = (await usersWithPassword(db, [u.id])).has(u.id);
      return { id: u.id, email: u.email, name: u.name, platformRole: u.platformRole, hasPassword, passwordChangedAt: u.passwordChangedAt, createdAt: u.createdAt };
    }),
  ),

  updateName: authedProcedure
    .input(updateNameInput)
    .mutation(({ ctx, input }) =>
      onPlatform(async (db) => {
        const before = { name: await userName(db, ctx.operator.id) };
        await setUserName(db, ctx.operator.id, input.name);
        await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: "user.renamed", targetType: "user", targetId: ctx.operator.id, details: { before: before.name, after: input.name } });
        return { name: input.name };
      }),
    ),

  changePassword: authedProcedure
    .meta({ ownTransactions: true }) // sign-in throttle (Redis), password hashing
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx.operator, ctx.operatorSession?.id ?? null, input, ctx.meta)),

  requestPasswordReset: publicProcedure.input(requestResetInput).mutation(async ({ ctx, input }) => {
    await admitMailRequest("reset", input.email, ctx.meta.ip);
    return requestPasswordReset(input, ctx.meta);
  }),

  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    await admitMailRequest("reset-token", hashToken(input.token), ctx.meta.ip);
    return resetPassword(input, ctx.meta);
  }),

  invitation: publicProcedure.input(tokenOnly).query(({ input }) => describeInvitation(input.token)),

  acceptInvitation: publicProcedure.input(acceptNewInput).mutation(async ({ ctx, input }) => {
    await admitMailRequest("accept", hashToken(input.token), ctx.meta.ip);
    return acceptAsNewUser(input, ctx.meta);
  }),

  acceptInvitationSignedIn: authedProcedure.meta({ ownTransactions: true }).input(tokenOnly).mutation(async ({ ctx, input }) => {
    await admitMailRequest("accept", hashToken(input.token), ctx.meta.ip);
    return acceptAsSignedIn(input.token, ctx.operator, ctx.meta);
  }),
});
