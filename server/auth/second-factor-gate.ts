// The second-factor gate, applied in ONE place: the operator path of server/api/trpc.ts (authed,
// platform and tenant procedures) — pages follow through app/_lib/page-errors.ts.
//
//   satisfied  the session verified a second factor, or the user has none and needs none
//   verify     the user has a factor and this session has not proven it yet → /signin/verify
//   enrol      the role requires a factor (security admins always; owners and support when the
//              global policy `mfaForTenantRoles` is "required") and the user has none → enrolment
//
// Only the procedures of the second step and of enrolment run before the gate is satisfied.
import { asUser, onPlatform } from "../db/doors";
import { readOperatorPolicy } from "./operator-policy";

export type SecondFactorState = "satisfied" | "verify" | "enrol";

export const VERIFY_SECOND_FACTOR_MESSAGE = "Confirm it's you with your second factor to continue.";
export const ENROL_SECOND_FACTOR_MESSAGE = "Set up a second factor to continue: your role requires one.";

export const VERIFY_PATH = "/signin/verify";
export const ENROL_PATH = "/account/security/enrol";

/** Thrown (as the cause of an UNAUTHORIZED error) while the gate is not satisfied. */
export class SecondFactorPendingError extends Error {
  constructor(readonly state: Exclude<SecondFactorState, "satisfied">) {
    super(state === "verify" ? VERIFY_SECOND_FACTOR_MESSAGE : ENROL_SECOND_FACTOR_MESSAGE);
    this.name = "SecondFactorPendingError";
  }
}

export interface GateOperator {
  readonly id: string;
  readonly platformRole: "security_admin" | null;
}

export interface GateSession {
  readonly secondFactorVerifiedAt: Date | null;
}

/** Whether the role requires a second factor. */
export async function secondFactorRequired(operator: GateOperator): Promise<boolean> {
  if (operator.platformRole === "security_admin") return true;
  const policy = await onPlatform((db) => readOperatorPolicy(db));
  if (policy.mfaForTenantRoles !== "required") return false;
  // RLS (own_memberships_read) shows this user's memberships only.
  const memberships = await asUser(operator.id, (db) => db.membership.count({ where: { userId: operator.id } }));
  return memberships > 0;
}

/** The gate's verdict; costs nothing once the session has verified a factor. */
export async function secondFactorState(operator: GateOperator, session: GateSession | null | undefined): Promise<SecondFactorState> {
  if (session?.secondFactorVerifiedAt) return "satisfied";
  const hasFactor = await asUser(operator.id, async (db) => (await db.userFactor.count({ where: { userId: operator.id, confirmedAt: { not: null } } })) > 0);
  if (hasFactor) return "verify";
  return (await secondFactorRequired(operator)) ? "enrol" : "satisfied";
}

export async function assertSecondFactorSatisfied(operator: GateOperator, session: GateSession | null | undefined): Promise<void> {
  const state = await secondFactorState(operator, session);
  if (state !== "satisfied") throw new SecondFactorPendingError(state);
}
