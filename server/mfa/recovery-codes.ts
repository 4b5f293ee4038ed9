// Recovery codes: 10 random single-use codes, shown once, stored as SHA-256 (each code carries 50
// random bits, so a fast hash is enough: there is nothing to brute-force offline in a useful time
// that the online attempt limit does not already stop).
import { createHash, randomInt } from "node:crypto";
import type { Db } from "../db/doors";

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/l/i: codes are read from paper.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function randomCode(): string {
  const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[\s-]/g, "");
}

function hashOf(code: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(`credo-recovery-code\0${normalizeRecoveryCode(code)}`).digest());
}

/** Replaces every recovery code of the user with 10 new ones; returns them (the only time they exist in clear). */
export async function replaceRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
  await db.userRecoveryCode.deleteMany({ where: { userId } });
  await db.userRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashOf(c) })) });
  return codes;
}

/** Spends a recovery code: true once per code, false for unknown or used codes. */
export async function spendRecoveryCode(db: Db, userId: string, code: string, now = new Date()): Promise<boolean> {
  if (normalizeRecoveryCode(code).length !== 10) return false;
  const { count } = await db.userRecoveryCode.updateMany({ where: { userId, codeHash: hashOf(code), usedAt: null }, data: { usedAt: now } });
  return count === 1;
}

export function remainingRecoveryCodes(db: Db, userId: string): Promise<number> {
  return db.userRecoveryCode.count({ where: { userId, usedAt: null } });
}
