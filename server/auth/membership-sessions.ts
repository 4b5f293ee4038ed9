// Removing a person's last tenant membership ends their console sessions: with no tenant left
// (and no platform role) there is nothing they may still open, so a lingering session would be a
// door left ajar. Runs in the removal's transaction, in the removed user's scope.
import { withinUserScope, type TenantScope } from "../db/doors";
import type { AuditActor, RequestMeta } from "../audit/record";
import { revokeAllSessionsOf } from "./sessions";

export async function endSessionsIfNoMembershipLeft(scope: TenantScope, userId: string, actor: AuditActor, meta: RequestMeta | null, now = new Date()): Promise<number> {
  return withinUserScope(scope, userId, async (db) => {
    const user = await db.user.findUnique({ where: { id: userId }, select: { platformRole: true } });
    if (!user || user.platformRole) return 0;
    const left = await db.membership.count({ where: { userId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (left > 0) return 0;
    return revokeAllSessionsOf(db, userId, "no_membership", { actor, meta, now });
  });
}
