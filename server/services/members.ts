// Membership management inside one tenant: owners and time-limited support grants. Members are
// added only by accepting an invitation (server/accounts/invitations.ts).
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import type { Auditor } from "../audit/record";
import { countOwners, deleteMember, findMember } from "../repos/memberships";
import { UserError } from "../errors";

export const MAX_SUPPORT_GRANT_DAYS = 90;

export const removeMemberInput = z.object({ membershipId: z.string().uuid("Unknown member.") });

export async function removeMember(scope: TenantScope, audit: Auditor, input: z.infer<typeof removeMemberInput>) {
  const m = await findMember(scope, input.membershipId);
  if (!m) throw new UserError("NOT_FOUND", "Member not found.");
  if (m.role === "owner" && (await countOwners(scope)) <= 1) {
    throw new UserError("PRECONDITION_FAILED", "A tenant keeps at least one owner; add another owner first.");
  }
  await deleteMember(scope, m.id);
  await audit.record({
    action: m.role === "support" ? "member.support_revoked" : "member.removed",
    targetType: "membership",
    targetId: m.id,
    before: { user: m.user.email, role: m.role, expiresAt: m.expiresAt },
  });
  return { userId: m.user.id };
}
