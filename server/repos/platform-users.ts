// Platform repository: console operators (the users table). Password hashes never leave this layer
// except to the sign-in check.
import type { Db } from "../db/doors";

export function createUser(db: Db, data: { email: string; name: string; passwordHash: string | null; platformRole: "security_admin" | null }) {
  return db.user.create({
    data: { email: data.email.toLowerCase(), name: data.name, passwordHash: data.passwordHash, platformRole: data.platformRole },
    select: { id: true, email: true, name: true, platformRole: true },
  });
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, name: true, platformRole: true, status: true } });
}

export function setUserStatus(db: Db, userId: string, status: "active" | "suspended") {
  return db.user.update({ where: { id: userId }, data: { status }, select: { id: true, status: true } });
}
