// The signed-in user's own second factors, the sign-in second step and step-up.
//   secondStepProcedure: callable before the gate is satisfied — the second step (verify) and, for
//   a user who has NO factor yet, enrolment. A user who has a factor must verify it first: a stolen
//   password must not be enough to add the thief's own factor.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { authedProcedure, createTRPCRouter, secondStepProcedure } from "../trpc";
import { asUser, onPlatform, type Db } from "../../db/doors";
import { recordPlatformAudit } from "../../audit/platform-record";
import type { AuditActor, RequestMeta } from "../../audit/record";
import { relyingParty } from "../../auth/relying-party";
import { secondFactorRequired, secondFactorState } from "../../auth/second-factor-gate";
import { withStepUp } from "../../auth/step-up";
import { verifyPassword } from "../../auth/password";
import { userCredentials } from "../../accounts/platform-users-repository";
import { AppError } from "../../isomorphic/errors";
import { assertMfaAttemptAllowed, clearMfaFailures, recordMfaFailure } from "../../mfa/attempts";
import { checkSecondFactor, factorNameInput, factorOverview, hasConfirmedFactor, removeFactor, renamePasskey, secondFactorProof, type SecondFactorProof } from "../../mfa/factors";
import { finishPasskeyRegistration, passkeyAuthenticationOptions, passkeyRegistrationOptions } from "../../mfa/passkeys";
import { replaceRecoveryCodes } from "../../mfa/recovery-codes";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../mfa/totp";
import { currentSession, sessionPassedSecondFactor, sessionReauthenticated } from "../../mfa/session-link";

const factorId = z.string().uuid("Unknown second factor.");
const WRONG_PROOF = "That did not work. Check the code (or use another method) and try again.";

/** Enrolment is open while the gate is satisfied or asks for enrolment — never while it asks to verify. */
async function assertMayEnrol(ctx: { operator: { id: string; platformRole: "security_admin" | null } }): Promise<void> {
  const state = await secondFactorState(ctx.operator, (ctx as { operatorSession?: { secondFactorVerifiedAt: Date | null } }).operatorSession);
  if (state === "verify") throw new TRPCError({ code: "UNAUTHORIZED", message: "Confirm it's you with your existing second factor first." });
}

/** After the FIRST factor: recovery codes (shown once) and the session counts as verified. */
async function afterEnrolment(db: Db, ctx: object, userId: string, hadFactor: boolean): Promise<string[] | null> {
  const session = currentSession(ctx);
  await sessionPassedSecondFactor(db, session);
  return hadFactor ? null : replaceRecoveryCodes(db, userId);
}

type ProofOutcome = { ok: true; method: SecondFactorProof["method"]; factorId: string | null } | { ok: false };

/**
 * Checks a proof in one platform transaction with its audit event; on success `onSuccess` runs in the
 * same transaction. Wrong proofs count against the user's attempt limit.
 */
async function proveSecondFactor(
  userId: string, actor: AuditActor, meta: RequestMeta, proof: SecondFactorProof, purpose: "signin" | "stepup",
  onSuccess: (db: Db) => Promise<void>,
): Promise<void> {
  await assertMfaAttemptAllowed(userId);
  const rp = relyingParty(meta);
  const outcome = await onPlatform(async (db): Promise<ProofOutcome> => {
    const result = await checkSecondFactor(db, userId, proof, rp);
    if (!result.ok) {
      await recordPlatformAudit(db, actor, meta, {
        action: purpose === "stepup" ? "stepup.failed" : "factor.failed", targetType: "user", targetId: userId, outcome: "failure", details: { method: proof.method },
      });
      return { ok: false };
    }
    await recordPlatformAudit(db, actor, meta, proof.method === "recovery"
      ? { action: "recovery_code.used", targetType: "user", targetId: userId, details: { purpose } }
      : { action: "factor.used", targetType: "user_factor", targetId: result.factorId, details: { method: proof.method, purpose } });
    if (purpose === "stepup") await recordPlatformAudit(db, actor, meta, { action: "stepup.succeeded", targetType: "user", targetId: userId, details: { method: proof.method } });
    await onSuccess(db);
    return { ok: true, method: proof.method, factorId: result.factorId };
  });
  if (!outcome.ok) {
    await recordMfaFailure(userId);
    throw new AppError("BAD_REQUEST", WRONG_PROOF);
  }
  await clearMfaFailures(userId);
}

const stepUpInput = z.union([secondFactorProof, z.object({ method: z.literal("password"), password: z.string().min(1, "Enter your password.").max(1024) })]);

export const factorsRouter = createTRPCRouter({
  /** The user's factors (never their secrets), recovery codes left, and what the gate asks of this session. */
  mine: secondStepProcedure.query(async ({ ctx }) => {
    const overview = await asUser(ctx.operator.id, (db) => factorOverview(db, ctx.operator.id));
    const state = await secondFactorState(ctx.operator, (ctx as { operatorSession?: { secondFactorVerifiedAt: Date | null } }).operatorSession);
    return { ...overview, state, required: await secondFactorRequired(ctx.operator) };
  }),

  /** Starts TOTP enrolment: QR code and secret for manual entry, shown during this set-up only. */
  enrolTotp: secondStepProcedure.mutation(async ({ ctx }) => {
    await assertMayEnrol(ctx);
    return onPlatform((db) => startTotpEnrolment(db, ctx.operator));
  }),

  /** Confirms TOTP enrolment with a first code; returns recovery codes when this is the first factor. */
  confirmTotp: secondStepProcedure
    .meta({ ownTransactions: true }) // MFA attempt counters (Redis)
    .input(z.object({ factorId, code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.") }))
    .mutation(async ({ ctx, input }) => {
      await assertMayEnrol(ctx);
      await assertMfaAttemptAllowed(ctx.operator.id);
      const result = await onPlatform(async (db) => {
        const hadFactor = await hasConfirmedFactor(db, ctx.operator.id);
        if (!(await confirmTotpEnrolment(db, ctx.operator.id, input.factorId, input.code))) return null;
        await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: "factor.enrolled", targetType: "user_factor", targetId: input.factorId, details: { kind: "totp" } });
        return { recoveryCodes: await afterEnrolment(db, ctx, ctx.operator.id, hadFactor) };
      });
      if (!result) {
        await recordMfaFailure(ctx.operator.id);
        throw new AppError("BAD_REQUEST", "That code did not match. Check the time on your phone and enter the current code.");
      }
      return result;
    }),

  passkeyRegistrationOptions: secondStepProcedure.mutation(async ({ ctx }) => {
    await assertMayEnrol(ctx);
    return onPlatform((db) => passkeyRegistrationOptions(db, ctx.operator, relyingParty(ctx.meta)));
  }),

  registerPasskey: secondStepProcedure
    .input(z.object({ name: factorNameInput, response: z.record(z.string(), z.unknown()) }))
    .mutation(async ({ ctx, input }) => {
      await assertMayEnrol(ctx);
      return onPlatform(async (db) => {
        const hadFactor = await hasConfirmedFactor(db, ctx.operator.id);
        const id = await finishPasskeyRegistration(db, ctx.operator.id, input.response as unknown as RegistrationResponseJSON, input.name, relyingParty(ctx.meta));
        await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: "factor.enrolled", targetType: "user_factor", targetId: id, details: { kind: "passkey", name: input.name } });
        return { recoveryCodes: await afterEnrolment(db, ctx, ctx.operator.id, hadFactor) };
      });
    }),

  renamePasskey: authedProcedure.input(z.object({ factorId, name: factorNameInput })).mutation(async ({ ctx, input }) => {
    await onPlatform(async (db) => {
      await renamePasskey(db, ctx.operator.id, input.factorId, input.name);
      await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: "factor.renamed", targetType: "user_factor", targetId: input.factorId, details: { name: input.name } });
    });
    return { ok: true };
  }),

  /** Removes one of the user's own factors (step-up). The last one may not go while the role requires one. */
  remove: authedProcedure.use(withStepUp).input(z.object({ factorId })).mutation(async ({ ctx, input }) => {
    const required = await secondFactorRequired(ctx.operator);
    await onPlatform(async (db) => {
      const removed = await removeFactor(db, ctx.operator.id, input.factorId);
      if (required && !(await hasConfirmedFactor(db, ctx.operator.id))) {
        throw new AppError("PRECONDITION_FAILED", "Your role requires a second factor: add another one before removing this one.");
      }
      await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: "factor.removed", targetType: "user_factor", targetId: removed.id, details: { kind: removed.kind, name: removed.name, by: "self" } });
    });
    return { ok: true };
  }),

  /** Ten new recovery codes (step-up); the old ones stop working. */
  regenerateRecoveryCodes: authedProcedure.use(withStepUp).mutation(async ({ ctx }) =>
    onPlatform(async (db) => {
      if (!(await hasConfirmedFactor(db, ctx.operator.id))) throw new AppError("PRECONDITION_FAILED", "Set up a second factor first.");
      const codes = await replaceRecoveryCodes(db, ctx.operator.id);
      await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: "recovery_codes.regenerated", targetType: "user", targetId: ctx.operator.id });
      return { recoveryCodes: codes };
    }),
  ),

  /** Passkey options for the sign-in second step or a step-up (null when the user has no passkey). */
  passkeyOptions: secondStepProcedure.mutation(async ({ ctx }) =>
    onPlatform((db) => passkeyAuthenticationOptions(db, ctx.operator.id, relyingParty(ctx.meta))),
  ),

  /** The sign-in second step: a TOTP code, a recovery code or a passkey makes this session usable. */
  verify: secondStepProcedure.meta({ ownTransactions: true }).input(secondFactorProof).mutation(async ({ ctx, input }) => {
    const session = currentSession(ctx);
    await proveSecondFactor(ctx.operator.id, ctx.actor, ctx.meta, input, "signin", async (db) => {
      await sessionPassedSecondFactor(db, session);
      await sessionReauthenticated(db, session);
    });
    return { ok: true };
  }),

  /** Step-up: proves the user again (second factor, or password when none is enrolled). */
  stepUp: authedProcedure.meta({ ownTransactions: true }).input(stepUpInput).mutation(async ({ ctx, input }) => {
    const session = currentSession(ctx);
    if (input.method !== "password") {
      await proveSecondFactor(ctx.operator.id, ctx.actor, ctx.meta, input, "stepup", (db) => sessionReauthenticated(db, session));
      return { ok: true };
    }
    await assertMfaAttemptAllowed(ctx.operator.id);
    const ok = await onPlatform(async (db) => {
      if (await hasConfirmedFactor(db, ctx.operator.id)) throw new AppError("BAD_REQUEST", "Use your second factor to confirm it's you.");
      // The hash is read only through the sign-in credential function (least privilege).
      const cred = await userCredentials(db, ctx.operator.email);
      const hash = cred?.id === ctx.operator.id ? cred.passwordHash : null;
      const valid = hash !== null && (await verifyPassword(hash, input.password));
      await recordPlatformAudit(db, ctx.actor, ctx.meta, { action: valid ? "stepup.succeeded" : "stepup.failed", targetType: "user", targetId: ctx.operator.id, outcome: valid ? "success" : "failure", details: { method: "password" } });
      if (valid) await sessionReauthenticated(db, session);
      return valid;
    });
    if (!ok) {
      await recordMfaFailure(ctx.operator.id);
      throw new AppError("BAD_REQUEST", "That password is not right.");
    }
    await clearMfaFailures(ctx.operator.id);
    return { ok: true };
  }),
});
