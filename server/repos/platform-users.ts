// Platform repository: console operators (the users table). Password hashes never leave this layer
// except to the sign-in check.
import type { Db } from "../db/doors";
import { revokeAllSessionsOf } from "../auth/sessions";

export function createUser(db: Db, data: { email: string; name: string; passwordHash: string | null; platformRole: "security_admin" | null }) {
  return db.user.create({
    data: { email: data.email.toLowerCase(), name: data.name, passwordHash: data.passwordHash, platformRole: data.platformRole },
    select: { id: true, email: true, name: true, platformRole: true },
  });
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, name: true, platformRole: true, status: true } });
}

/** Suspending also ends every session of the user (so reactivation does not revive them). */
export async function setUserStatus(db: Db, userId: string, status: "active" | "suspended") {
  const u = await db.user.update({ where: { id: userId }, data: { status }, select: { id: true, status: true } });
  if (status === "suspended") await revokeAllSessionsOf(db, userId, "suspended");
  return u;
}
