// What the second-factor gate (server/auth/second-factor-gate.ts) tells a caller it stops: its states,
// messages and the pages that satisfy it. Pure, so pages and error mapping share the same strings.
import { AppError } from "../errors";
export type SecondFactorState = "satisfied" | "verify" | "enrol";

export const VERIFY_SECOND_FACTOR_MESSAGE = "Confirm it's you with your second factor to continue.";
export const ENROL_SECOND_FACTOR_MESSAGE = "Set up a second factor to continue: your role requires one.";

export const VERIFY_PATH = "/signin/verify";
export const ENROL_PATH = "/account/security/enrol";

/** Thrown (as the cause of an UNAUTHORIZED error) while the gate is not satisfied. */
export class SecondFactorPendingError extends AppError {
  constructor(readonly state: Exclude<SecondFactorState, "satisfied">) {
    super(state === "verify" ? "SECOND_FACTOR_REQUIRED" : "SECOND_FACTOR_ENROLMENT_REQUIRED", state === "verify" ? VERIFY_SECOND_FACTOR_MESSAGE : ENROL_SECOND_FACTOR_MESSAGE);
    this.name = "SecondFactorPendingError";
  }
}
