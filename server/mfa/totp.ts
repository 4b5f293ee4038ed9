// TOTP (RFC 6238) with otplib: SHA-1, 6 digits, 30-second steps, one step of clock drift either way.
// A code is accepted once: the factor remembers the last accepted time step and only a later step
// passes (the conditional UPDATE makes two concurrent uses of the same code succeed only once).
import { randomUUID } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Db } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import { openFactorSecret, sealFactorSecret } from "./secret-box";

export const TOTP_ISSUER = "Credo Console";
const TOLERANCE_SECONDS = 30;

export interface TotpEnrolment {
  factorId: string;
  /** Base32, for manual entry. Returned only here, while the enrolment is pending. */
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

/** Starts (or restarts) TOTP enrolment: a pending factor with a fresh sealed secret. */
export async function startTotpEnrolment(db: Db, user: { id: string; email: string }): Promise<TotpEnrolment> {
  const existing = await db.userFactor.count({ where: { userId: user.id, kind: "totp", confirmedAt: { not: null } } });
  if (existing > 0) throw new AppError("CONFLICT", "An authenticator app is already set up. Remove it first to set up another one.");
  await db.userFactor.deleteMany({ where: { userId: user.id, kind: "totp", confirmedAt: null } });
  const factorId = randomUUID();
  const secret = generateSecret();
  const sealed = sealFactorSecret(user.id, factorId, secret);
  await db.userFactor.create({
    data: {
      id: factorId, userId: user.id, kind: "totp", name: "Authenticator app",
      secretKekId: sealed.kekId, secretIv: sealed.iv, secretTag: sealed.tag, secretCiphertext: sealed.ciphertext,
    },
  });
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: user.email, secret });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: "M", margin: 1, width: 220 });
  return { factorId, secret, otpauthUri, qrCodeDataUrl };
}

type TotpRow = { id: string; userId: string; secretKekId: string | null; secretIv: Uint8Array<ArrayBuffer> | null; secretTag: Uint8Array<ArrayBuffer> | null; secretCiphertext: Uint8Array<ArrayBuffer> | null; totpLastStep: bigint | null };

/** The accepted time step if `code` is valid for the factor at `now` and not yet used; else null. */
async function acceptCode(db: Db, row: TotpRow, code: string, now: Date): Promise<boolean> {
  if (!/^\d{6}$/.test(code) || !row.secretKekId || !row.secretIv || !row.secretTag || !row.secretCiphertext) return false;
  const secret = openFactorSecret(row.userId, row.id, { kekId: row.secretKekId, iv: row.secretIv, tag: row.secretTag, ciphertext: row.secretCiphertext });
  const result = await verify({ secret, token: code, epoch: Math.floor(now.getTime() / 1000), epochTolerance: TOLERANCE_SECONDS });
  if (!result.valid || !("timeStep" in result)) return false;
  const step = BigInt(result.timeStep);
  const { count } = await db.userFactor.updateMany({
    where: { id: row.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step, lastUsedAt: now },
  });
  return count === 1;
}

const TOTP_SELECT = { id: true, userId: true, secretKekId: true, secretIv: true, secretTag: true, secretCiphertext: true, totpLastStep: true } as const;

/** Confirms a pending enrolment with a first code from the app. */
export async function confirmTotpEnrolment(db: Db, userId: string, factorId: string, code: string, now = new Date()): Promise<boolean> {
  const row = await db.userFactor.findFirst({ where: { id: factorId, userId, kind: "totp", confirmedAt: null }, select: TOTP_SELECT });
  if (!row) throw new AppError("NOT_FOUND", "This set-up has expired or was replaced. Start again.");
  if (!(await acceptCode(db, row, code, now))) return false;
  await db.userFactor.update({ where: { id: factorId }, data: { confirmedAt: now } });
  return true;
}

/** Checks a code against the user's confirmed TOTP factor; the factor id when accepted. */
export async function verifyTotp(db: Db, userId: string, code: string, now = new Date()): Promise<string | null> {
  const rows = await db.userFactor.findMany({ where: { userId, kind: "totp", confirmedAt: { not: null } }, select: TOTP_SELECT });
  for (const row of rows) if (await acceptCode(db, row, code.replace(/\s/g, ""), now)) return row.id;
  return null;
}

/** Seed only (server/cli/demo-data.ts): a confirmed TOTP factor with a GIVEN secret (the published demo secret). */
export async function seedConfirmedTotp(db: Db, userId: string, secret: string, now = new Date()): Promise<void> {
  const factorId = randomUUID();
  const sealed = sealFactorSecret(userId, factorId, secret);
  await db.userFactor.create({
    data: {
      id: factorId, userId, kind: "totp", name: "Authenticator app", confirmedAt: now,
      secretKekId: sealed.kekId, secretIv: sealed.iv, secretTag: sealed.tag, secretCiphertext: sealed.ciphertext,
    },
  });
}
