// Security admins: console accounts (search, suspend/reactivate, force a password reset, end every
// session), platform invitations, and the dev outbox (e-mail kept when no SMTP_URL is set).
import { z } from "zod";
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { onPlatform } from "../../../db/doors";
import { admitMailRequest } from "../../../accounts/mail-throttle";
import { invitationIdInput, invitePlatformInput, invitePlatformUser, listPlatformInvitations, revokePlatformInvitation } from "../../../accounts/invitations";
import {
  forcePasswordReset,
  listOutbox,
  listUsers,
  listUsersInput,
  outboxInput,
  reactivateUser,
  revokeUserSessions,
  suspendUser,
  suspendUserInput,
  suspensionImpact,
  userActionInput,
} from "../../../accounts/platform-users";
import { mailDelivery } from "../../../mail/send";
import { withStepUp } from "../../../auth/step-up";

const manage = platformProcedure("platform.users.manage");
// Granting access (possibly as security admin), locking someone out and taking their password away
// are among the most dangerous actions: they need a recent verification (step-up).
const dangerous = manage.use(withStepUp);

export const platformUsersRouter = createTRPCRouter({
  list: manage.input(listUsersInput).query(({ input }) => listUsers(input)),

  /** What suspending would also end (the confirmation names it): API keys the user created. */
  suspensionImpact: manage.input(z.object({ userId: z.string().uuid("Unknown user.") })).query(({ input }) => suspensionImpact(input.userId)),
  suspend: dangerous.input(suspendUserInput).mutation(({ ctx, input }) => suspendUser(ctx.actor, ctx.meta, input)),
  reactivate: manage.input(userActionInput).mutation(({ ctx, input }) => reactivateUser(ctx.actor, ctx.meta, input)),
  forcePasswordReset: dangerous.input(userActionInput).mutation(({ ctx, input }) => forcePasswordReset(ctx.actor, ctx.meta, input)),
  revokeSessions: manage.input(userActionInput).mutation(({ ctx, input }) => revokeUserSessions(ctx.actor, ctx.meta, input)),

  invite: dangerous.meta({ ownTransactions: true }).input(invitePlatformInput).mutation(async ({ ctx, input }) => {
    await admitMailRequest("invite", input.email, `user:${ctx.actor.id ?? "unknown"}`);
    const inv = await onPlatform((db) => invitePlatformUser(db, ctx.actor, ctx.meta, input));
    return { id: inv.id, email: inv.email, platformRole: inv.platformRole, expiresAt: inv.expiresAt };
  }),
  invitations: manage.query(() => onPlatform((db) => listPlatformInvitations(db))),
  revokeInvitation: manage.input(invitationIdInput).mutation(async ({ ctx, input }) => {
    await onPlatform((db) => revokePlatformInvitation(db, ctx.actor, ctx.meta, input.invitationId));
    return { ok: true as const };
  }),

  /** Where e-mail goes ("smtp" or the dev "outbox"), and the outbox's newest messages. */
  outbox: manage.input(outboxInput).query(async ({ input }) => ({ delivery: mailDelivery(), messages: mailDelivery() === "outbox" ? await listOutbox(input) : [] })),
});
