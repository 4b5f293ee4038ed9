// Platform repository: password reset tokens (only their SHA-256 is stored, server/accounts/tokens.ts).
// Call these inside an onPlatform transaction.
import type { Db } from "../db/doors";

/** Every unused token of the user stops working (marked used at `now`). */
export async function expireUnusedResetTokens(db: Db, userId: string, now: Date): Promise<void> {
  await db.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
}

export async function insertResetToken(db: Db, data: { userId: string; tokenHash: string; expiresAt: Date; createdAt: Date }): Promise<void> {
  await db.passwordResetToken.create({ data, select: { id: true } });
}

/** The unused, unexpired token with this hash, and its account. */
export function findLiveResetToken(db: Db, tokenHash: string, now: Date) {
  return db.passwordResetToken.findFirst({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    select: { id: true, user: { select: { id: true, email: true, name: true, status: true } } },
  });
}

/** Single use: true only for the one request that flips used_at of a still-live token. */
export async function consumeResetToken(db: Db, tokenId: string, now: Date): Promise<boolean> {
  const used = await db.passwordResetToken.updateMany({ where: { id: tokenId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return used.count === 1;
}
