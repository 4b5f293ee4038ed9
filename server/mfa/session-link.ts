// Where MFA meets the server-side session (server/auth/sessions.ts): the session of the current
// request, and the two marks the second step and step-up set on it.
import type { Db } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import { markReauthenticated, markSecondFactorVerified } from "../auth/sessions";

export interface SessionRef {
  readonly id: string;
  readonly secondFactorVerifiedAt: Date | null;
  readonly lastVerifiedAt: Date;
}

export function currentSession(ctx: object): SessionRef {
  const session = (ctx as { operatorSession?: SessionRef | null }).operatorSession;
  if (!session) throw new AppError("PRECONDITION_FAILED", "Sign in again to continue.");
  return session;
}

/** The second step succeeded (or a first factor was just enrolled): the session is usable. */
export async function sessionPassedSecondFactor(db: Db, session: SessionRef): Promise<void> {
  await markSecondFactorVerified(db, session.id);
}

/** A step-up succeeded: the session's last verification is now. */
export async function sessionReauthenticated(db: Db, session: SessionRef): Promise<void> {
  await markReauthenticated(db, session.id);
}
