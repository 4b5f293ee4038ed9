// The second-factor gate, applied in ONE place: the operator path of server/api/trpc.ts (authed,
// platform and tenant procedures) — pages follow through app/_lib/page-errors.ts.
//
//   satisfied  the session verified a second factor, or the user has none and needs none
//   verify     the user has a factor and this session has not proven it yet → /signin/verify
//   enrol      the role requires a factor (security admins always; owners and support when the
//              global policy `mfaForTenantRoles` is "required") and the user has none → enrolment
//
// Only the procedures of the second step and of enrolment run before the gate is satisfied.
import { asUser, type Db } from "../db/doors";
import { readOperatorPolicy, type OperatorPolicy } from "./operator-policy";
import { SecondFactorPendingError, type SecondFactorState } from "../isomorphic/auth/second-factor";

export interface GateOperator {
  readonly id: string;
  readonly platformRole: "security_admin" | null;
}

export interface GateSession {
  readonly secondFactorVerifiedAt: Date | null;
}

/** Whether the role requires a second factor (inside a user-door transaction). */
async function requiredIn(db: Db, operator: GateOperator): Promise<boolean> {
  if (operator.platformRole === "security_admin") return true;
  // global_policy_versions has no RLS: the user door reads the global policy too.
  if ((await readOperatorPolicy(db)).mfaForTenantRoles !== "required") return false;
  // RLS (own_memberships_read) shows this user's memberships only.
  return (await db.membership.count({ where: { userId: operator.id } })) > 0;
}

export function secondFactorRequired(operator: GateOperator): Promise<boolean> {
  return asUser(operator.id, (db) => requiredIn(db, operator));
}

/**
 * The gate's verdict. Free once the session has verified a factor; otherwise ONE user-door
 * transaction (the user's factors, and only without one the policy and memberships).
 */
export async function secondFactorState(operator: GateOperator, session: GateSession | null | undefined): Promise<SecondFactorState> {
  if (session?.secondFactorVerifiedAt) return "satisfied";
  return asUser(operator.id, async (db) => {
    if ((await db.userFactor.count({ where: { userId: operator.id, confirmedAt: { not: null } } })) > 0) return "verify";
    return (await requiredIn(db, operator)) ? "enrol" : "satisfied";
  });
}

/**
 * The same verdict from counts already read (the request's first query, server/tenancy/context.ts):
 * the user's confirmed factors and memberships, and the global operators policy.
 */
export function secondFactorStateFrom(
  operator: GateOperator,
  session: GateSession | null | undefined,
  counts: { factors: number; memberships: number },
  policy: Pick<OperatorPolicy, "mfaForTenantRoles">,
): SecondFactorState {
  if (session?.secondFactorVerifiedAt) return "satisfied";
  if (counts.factors > 0) return "verify";
  if (operator.platformRole === "security_admin") return "enrol";
  if (policy.mfaForTenantRoles !== "required") return "satisfied";
  return counts.memberships > 0 ? "enrol" : "satisfied";
}

export async function assertSecondFactorSatisfied(operator: GateOperator, session: GateSession | null | undefined): Promise<void> {
  const state = await secondFactorState(operator, session);
  if (state !== "satisfied") throw new SecondFactorPendingError(state);
}
