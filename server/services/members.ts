// Membership management inside one tenant: owners and time-limited support grants.
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import type { AuditActor, Auditor } from "../audit/record";
import { countOwners, deleteMember, findActiveUserByEmail, findMember, findMemberByUser, upsertMember } from "../repos/memberships";
import { UserError } from "../errors";
import { revokeApiKeysCreatedBy } from "../apikeys/service";

export const MAX_SUPPORT_GRANT_DAYS = 90;

export const addMemberInput = z
  .object({
    email: z.string().trim().toLowerCase().email("Enter a valid e-mail address.").max(320),
    role: z.enum(["owner", "support"]),
    /** Support grants only: how many days the grant lasts. */
    days: z.number().int().min(1, "A grant lasts at least 1 day.").max(MAX_SUPPORT_GRANT_DAYS, `A support grant lasts at most ${MAX_SUPPORT_GRANT_DAYS} days.`).optional(),
  })
  .refine((v) => v.role !== "support" || v.days !== undefined, { message: "A support grant needs a duration in days.", path: ["days"] })
  .refine((v) => v.role !== "owner" || v.days === undefined, { message: "Owners do not expire; leave the duration empty.", path: ["days"] });
export type AddMemberInput = z.infer<typeof addMemberInput>;

export async function addMember(scope: TenantScope, audit: Auditor, actor: AuditActor, input: AddMemberInput, now = new Date()) {
  const user = await findActiveUserByEmail(scope.db, input.email);
  if (!user) throw new UserError("BAD_REQUEST", `No active console user has the e-mail ${input.email}.`);
  if (user.platformRole === "security_admin") {
    throw new UserError("BAD_REQUEST", "Security admins already have access to every tenant; no membership is needed.");
  }
  const before = await findMemberByUser(scope, user.id);
  if (before?.role === "owner" && input.role === "support" && (await countOwners(scope)) <= 1) {
    throw new UserError("PRECONDITION_FAILED", "This is the tenant's last owner; add another owner before changing this one to support.");
  }
  const expiresAt = input.role === "support" ? new Date(now.getTime() + input.days! * 86_400_000) : null;
  const m = await upsertMember(scope, { userId: user.id, role: input.role, expiresAt, createdBy: actor.type === "user" ? actor.id : null });
  await audit.record({
    action: input.role === "support" ? "member.support_granted" : before ? "member.role_changed" : "member.added",
    targetType: "membership",
    targetId: m.id,
    before: before ? { user: user.email, role: before.role, expiresAt: before.expiresAt } : null,
    after: { user: user.email, role: m.role, expiresAt: m.expiresAt },
  });
  return m;
}

export const removeMemberInput = z.object({
  membershipId: z.string().uuid("Unknown member."),
  /** Revoke the API keys this member created in this tenant (default: yes). */
  revokeApiKeys: z.boolean({ error: "revokeApiKeys is true or false." }).default(true),
});

export async function removeMember(scope: TenantScope, audit: Auditor, input: z.input<typeof removeMemberInput>, actor?: AuditActor): Promise<{ revokedApiKeys: string[] }> {
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
  if (input.revokeApiKeys === false) return { revokedApiKeys: [] };
  const revokedApiKeys = await revokeApiKeysCreatedBy(scope, m.user.id, audit, { byLabel: actor?.label ?? actor?.type, reason: "creator_removed" });
  return { revokedApiKeys };
}
