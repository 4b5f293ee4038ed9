// Step-up ("sudo mode"): the most dangerous actions need a proof of the user — second factor, or
// password where none is enrolled — no older than the global policy's `stepUpMinutes` (default 10).
// The proof is the session's last_verified_at (set by sign-in, the second step and `factors.stepUp`).
// API keys are not subject to step-up: they have no second factor, and what they may do is bounded
// by their scopes (creating API keys with an API key is refused anyway).
import { onPlatform, type Db } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import { middleware } from "../api/trpc";
import { readOperatorPolicy } from "./operator-policy";

export const STEP_UP_MESSAGE = `Confirm it's you to continue (step-up): this action needs a recent verification.`;

interface StepUpContext {
  apiKey?: unknown;
  operatorSession?: { lastVerifiedAt: Date } | null;
  scope?: { db: Db };
}

/** Throws STEP_UP_REQUIRED (the UI opens its step-up dialog on that code) unless the operator verified within stepUpMinutes. */
export async function requireRecentVerification(ctx: StepUpContext, now = new Date()): Promise<void> {
  if (ctx.apiKey) return;
  const last = ctx.operatorSession?.lastVerifiedAt;
  if (!last) throw new AppError("STEP_UP_REQUIRED", STEP_UP_MESSAGE);
  // Inside a tenant procedure the policy is read in its transaction (global policy rows have no RLS);
  // a second connection inside an open transaction would deadlock on embedded PGlite.
  const policy = ctx.scope ? await readOperatorPolicy(ctx.scope.db) : await onPlatform((db) => readOperatorPolicy(db));
  if (now.getTime() - last.getTime() > policy.stepUpMinutes * 60_000) throw new AppError("STEP_UP_REQUIRED", STEP_UP_MESSAGE);
}

/** Procedure middleware: `tenantProcedure("…").use(withStepUp)`, `authedProcedure.use(withStepUp)`. */
export const withStepUp = middleware(async ({ ctx, next }) => {
  await requireRecentVerification(ctx as StepUpContext);
  return next();
});
