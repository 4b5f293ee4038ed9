// Platform repository: console operators (the users table). The runtime role cannot write users
// directly nor read password_hash (migration 20261205200000_least_privilege): every write goes
// through a credo_* SECURITY DEFINER function that checks its own arguments, and the hash is read
// only by the sign-in check (userCredentials). Call these inside an onPlatform transaction.
import type { Db } from "../db/doors";
import { revokeAllSessionsOf } from "../auth/sessions";

export type PlatformRole = "security_admin";

/** A new, active operator without a platform role (see setPlatformRole). */
export async function createUser(db: Db, data: { email: string; name: string; passwordHash: string | null }) {
  const email = data.email.toLowerCase();
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT credo_create_user(${email}, ${data.name}, ${data.passwordHash}) AS id`;
  const id = rows[0]!.id;
  return { id, email, name: data.name, platformRole: null as PlatformRole | null };
}

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, name: true, platformRole: true, status: true } });
}

export async function setUserStatus(db: Db, userId: string, status: "active" | "suspended") {
  const rows = await db.$queryRaw<{ found: boolean }[]>`SELECT credo_set_user_status(${userId}::uuid, ${status}) AS found`;
  if (!rows[0]?.found) throw new Error(`No operator ${userId}.`);
  // Suspending also ends every session of the user (so reactivation does not revive them).
  if (status === "suspended") await revokeAllSessionsOf(db, userId, "suspended");
  return { id: userId, status };
}

/** Stores a new argon2id hash (server/auth/password.ts) for the operator; with `changedAt`, records when. */
export async function setUserPassword(db: Db, userId: string, passwordHash: string, changedAt?: Date): Promise<void> {
  const rows = changedAt
    ? await db.$queryRaw<{ found: boolean }[]>`SELECT credo_set_user_password(${userId}::uuid, ${passwordHash}, ${changedAt}::timestamptz) AS found`
    : await db.$queryRaw<{ found: boolean }[]>`SELECT credo_set_user_password(${userId}::uuid, ${passwordHash}) AS found`;
  if (!rows[0]?.found) throw new Error(`No operator ${userId}.`);
}

/** The password stops working (a forced reset); only a reset link sets a new one. */
export async function clearUserPassword(db: Db, userId: string): Promise<void> {
  const rows = await db.$queryRaw<{ found: boolean }[]>`SELECT credo_clear_user_password(${userId}::uuid) AS found`;
  if (!rows[0]?.found) throw new Error(`No operator ${userId}.`);
}

export async function setUserName(db: Db, userId: string, name: string): Promise<void> {
  const rows = await db.$queryRaw<{ found: boolean }[]>`SELECT credo_set_user_name(${userId}::uuid, ${name}) AS found`;
  if (!rows[0]?.found) throw new Error(`No operator ${userId}.`);
}

/** Which of these operators have a password (a boolean each, never the hash). At most 500 ids. */
export async function usersWithPassword(db: Db, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.$queryRaw<{ id: string; has_password: boolean }[]>`
    SELECT id, has_password FROM credo_users_password_set(${userIds}::uuid[])`;
  return new Set(rows.filter((r) => r.has_password).map((r) => r.id));
}

/**
 * Grants (role) or removes (null) the platform role. The database itself insists that `actorId` is
 * another, active security admin and that the last active security admin stays.
 */
export async function setPlatformRole(db: Db, actorId: string, userId: string, role: PlatformRole | null): Promise<void> {
  const rows = await db.$queryRaw<{ found: boolean }[]>`SELECT credo_set_platform_role(${actorId}::uuid, ${userId}::uuid, ${role}) AS found`;
  if (!rows[0]?.found) throw new Error(`No operator ${userId}.`);
}

/** For the sign-in check only: the one way to read a password hash, for one e-mail. */
export async function userCredentials(db: Db, email: string) {
  const rows = await db.$queryRaw<{ id: string; password_hash: string | null; status: string }[]>`
    SELECT id, password_hash, status FROM credo_user_credentials(${email.toLowerCase()})`;
  const r = rows[0];
  return r ? { id: r.id, passwordHash: r.password_hash, status: r.status } : null;
}

/** Whether an operator with this id exists (any status). */
export async function userExists(db: Db, userId: string): Promise<boolean> {
  return (await db.user.findUnique({ where: { id: userId }, select: { id: true } })) !== null;
}

/** The operator's own profile (the account page); throws when the user is gone. */
export function findUserProfile(db: Db, userId: string) {
  return db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, platformRole: true, passwordChangedAt: true, createdAt: true },
  });
}

/** The operator's display name; throws when the user is gone. */
export async function userName(db: Db, userId: string): Promise<string> {
  return (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } })).name;
}

/** The operator with this (already normalised) e-mail: id, address and status only. */
export function findUserStatusByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true, status: true } });
}

/** The id of the operator with this (already normalised) e-mail, or null. */
export async function userIdByEmail(db: Db, email: string): Promise<string | null> {
  return (await db.user.findUnique({ where: { email }, select: { id: true } }))?.id ?? null;
}

/** What granting a platform role needs to know about the granting operator. */
export function findUserRoleAndStatus(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { platformRole: true, status: true } });
}

/** Id, e-mail and platform role of the operator (accepting an invitation). */
export function findUserIdentity(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, platformRole: true } });
}

/** One keyset page (e-mail order) of operators matching `search` (e-mail or name), `limit + 1` rows read. */
export function pageUsers(db: Db, input: { search?: string; after?: string | null; limit: number }) {
  return db.user.findMany({
    where: {
      ...(input.search ? { OR: [{ email: { contains: input.search } }, { name: { contains: input.search, mode: "insensitive" as const } }] } : {}),
      ...(input.after ? { email: { gt: input.after } } : {}),
    },
    select: { id: true, email: true, name: true, status: true, platformRole: true, createdAt: true, passwordChangedAt: true },
    orderBy: { email: "asc" },
    take: input.limit + 1,
  });
}

/** User id → when their newest server-side session started (their last sign-in). */
export async function lastSessionStarts(db: Db, userIds: string[]): Promise<Map<string, Date | null>> {
  const last = await db.operatorSession.groupBy({ by: ["userId"], where: { userId: { in: userIds } }, _max: { createdAt: true } });
  return new Map(last.map((l) => [l.userId, l._max.createdAt]));
}

/** Confirmed second factors per user and kind, counted (never secrets). */
export async function confirmedFactorCounts(db: Db, userIds: string[]): Promise<{ userId: string; kind: string; count: number }[]> {
  const rows = await db.userFactor.groupBy({ by: ["userId", "kind"], where: { userId: { in: userIds }, confirmedAt: { not: null } }, _count: { _all: true } });
  return rows.map((r) => ({ userId: r.userId, kind: r.kind, count: r._count._all }));
}

/** Id, e-mail and status of the operator (the target of an account action), or null. */
export function findUserStatus(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, status: true } });
}

/** E-mail and display name of the operator (the session's profile after sign-in), or null. */
export function findUserContact(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { email: true, name: true } });
}

/** The operator with exactly this e-mail (an identity provider's verified address): id, e-mail, name, status. */
export function findUserSummaryByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, status: true } });
}
