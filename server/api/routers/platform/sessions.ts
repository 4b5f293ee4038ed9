// Security admins: any operator's console sessions — list them, revoke one or all (e.g. a stolen
// laptop, an account under investigation). Platform door; recorded in the platform audit stream.
// The procedures are exported on their own too, so a platform users router can reuse them.
import { z } from "zod";
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { onPlatform } from "../../../db/doors";
import { listSessionsOf, revokeAllSessionsOf, revokeSession } from "../../../auth/sessions";
import { AppError } from "../../../isomorphic/errors";
import { userExists } from "../../../accounts/platform-users-repository";
import { sessionView } from "../sessions";

const admin = platformProcedure("platform.sessions.manage");

const userIdInput = z.object({ userId: z.string().uuid("Unknown user.") });
const revokeInput = z.object({
  userId: z.string().uuid("Unknown user."),
  /** One session; omitted = every live session of the user. */
  sessionId: z.string().uuid("Unknown session.").optional(),
});

async function requireUser(userId: string) {
  if (!(await onPlatform((db) => userExists(db, userId)))) throw new AppError("NOT_FOUND", "User not found.");
}

export const platformSessionsRouter = createTRPCRouter({
  /** A user's sessions, live ones and those ended in the last 7 days; the admin's own current one marked. */
  list: admin.input(userIdInput).query(async ({ ctx, input }) => {
    await requireUser(input.userId);
    const rows = await onPlatform((db) => listSessionsOf(db, input.userId));
    return rows.map((s) => sessionView(s, ctx.operatorSession.id));
  }),

  revoke: admin.input(revokeInput).mutation(async ({ ctx, input }) => {
    await requireUser(input.userId);
    if (input.sessionId) {
      const done = await onPlatform((db) =>
        revokeSession(db, input.sessionId!, "revoked_by_admin", { userId: input.userId, actor: ctx.actor, meta: ctx.meta }),
      );
      if (!done) throw new AppError("NOT_FOUND", "This session was not found or has already ended.");
      return { revoked: 1 };
    }
    const count = await onPlatform((db) => revokeAllSessionsOf(db, input.userId, "revoked_by_admin", { actor: ctx.actor, meta: ctx.meta }));
    return { revoked: count };
  }),
});
