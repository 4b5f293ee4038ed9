// Membership management inside one tenant: owners and time-limited support grants. Members are
// added only by accepting an invitation (server/accounts/invitations.ts).
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import type { AuditActor, Auditor } from "../audit/record";
import { countOwners, deleteMember, findMember } from "./repository";
import { AppError } from "../isomorphic/errors";
import { revokeApiKeysCreatedBy } from "../api-keys/service";

export { MAX_SUPPORT_GRANT_DAYS } from "../isomorphic/accounts/inputs";

export const removeMemberInput = z.object({
  membershipId: z.string().uuid("Unknown member."),
  /** Revoke the API keys this member created in this tenant (default: yes). */
  revokeApiKeys: z.boolean({ error: "revokeApiKeys is true or false." }).default(true),
});

export async function removeMember(scope: TenantScope, audit: Auditor, input: z.input<typeof removeMemberInput>, actor?: AuditActor): Promise<{ userId: string; revokedApiKeys: string[] }> {
  const m = await findMember(scope, input.membershipId);
  if (!m) throw new AppError("NOT_FOUND", "Member not found.");
  if (m.role === "owner" && (await countOwners(scope)) <= 1) {
    throw new AppError("PRECONDITION_FAILED", "A tenant keeps at least one owner; add another owner first.");
  }
  await deleteMember(scope, m.id);
  await audit.record({
    action: m.role === "support" ? "member.support_revoked" : "member.removed",
    targetType: "membership",
    targetId: m.id,
    before: { user: m.user.email, role: m.role, expiresAt: m.expiresAt },
  });
  if (input.revokeApiKeys === false) return { userId: m.user.id, revokedApiKeys: [] };
  const revokedApiKeys = await revokeApiKeysCreatedBy(scope, m.user.id, audit, { byLabel: actor?.label ?? actor?.type, reason: "creator_removed" });
  return { userId: m.user.id, revokedApiKeys };
}
