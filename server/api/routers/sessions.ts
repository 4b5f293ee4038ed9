// The signed-in operator's own console sessions: list (current one marked), revoke one, sign out
// everywhere else. Runs in the user door (RLS shows only the user's own sessions); every
// revocation is recorded in the platform audit stream.
import { z } from "zod";
import { authedProcedure, createTRPCRouter } from "../trpc";
import { asUser } from "../../db/doors";
import { listSessionsOf, revokeAllSessionsOf, revokeSession } from "../../auth/sessions";
import { describeUserAgent } from "../../auth/user-agent";
import { AppError } from "../../isomorphic/errors";

export const sessionIdInput = z.object({ sessionId: z.string().uuid("Unknown session.") });

/** One session as the Sessions pages show it (no secrets: the JWT is never stored). */
export function sessionView(s: Awaited<ReturnType<typeof listSessionsOf>>[number], currentId: string | null, now = new Date()) {
  const active = s.revokedAt === null && s.expiresAt > now;
  return {
    id: s.id,
    current: s.id === currentId,
    active,
    device: describeUserAgent(s.userAgent),
    userAgent: s.userAgent,
    ip: s.ip,
    authMethod: s.authMethod,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
    endedAt: s.revokedAt,
    endedReason: s.revokedReason,
    secondFactorVerified: s.secondFactorVerifiedAt !== null,
  };
}

export const sessionsRouter = createTRPCRouter({
  mine: authedProcedure.query(async ({ ctx }) => {
    const rows = await asUser(ctx.operator.id, (db) => listSessionsOf(db, ctx.operator.id));
    return rows.map((s) => sessionView(s, ctx.operatorSession.id));
  }),

  /** Revokes one of the user's own sessions (the current one too: that signs this browser out). */
  revoke: authedProcedure.input(sessionIdInput).mutation(async ({ ctx, input }) => {
    const done = await asUser(ctx.operator.id, (db) =>
      revokeSession(db, input.sessionId, "revoked", { userId: ctx.operator.id, actor: ctx.actor, meta: ctx.meta }),
    );
    if (!done) throw new AppError("NOT_FOUND", "This session was not found or has already ended.");
    return { ok: true as const, current: input.sessionId === ctx.operatorSession.id };
  }),

  /** Signs out every other browser; this one stays signed in. */
  revokeOthers: authedProcedure.mutation(async ({ ctx }) => {
    const count = await asUser(ctx.operator.id, (db) =>
      revokeAllSessionsOf(db, ctx.operator.id, "signed_out_everywhere", { except: ctx.operatorSession.id, actor: ctx.actor, meta: ctx.meta }),
    );
    return { revoked: count };
  }),
});
