// A user's second factors as a whole: listing, removal, and checking a proof (TOTP code, recovery
// code or passkey assertion) — used by the sign-in second step and by step-up alike.
import { z } from "zod";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Db } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import type { RelyingParty } from "../auth/relying-party";
import { verifyPasskey } from "./passkeys";
import { remainingRecoveryCodes, spendRecoveryCode } from "./recovery-codes";
import { verifyTotp } from "./totp";

export interface FactorSummary {
  id: string;
  kind: "totp" | "passkey";
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listFactors(db: Db, userId: string): Promise<FactorSummary[]> {
  const rows = await db.userFactor.findMany({
    where: { userId, confirmedAt: { not: null } },
    select: { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ ...r, kind: r.kind === "passkey" ? "passkey" : "totp" }));
}

export async function factorOverview(db: Db, userId: string) {
  const [factors, recoveryCodesLeft] = await Promise.all([listFactors(db, userId), remainingRecoveryCodes(db, userId)]);
  return { factors, recoveryCodesLeft };
}

export async function hasConfirmedFactor(db: Db, userId: string): Promise<boolean> {
  return (await db.userFactor.count({ where: { userId, confirmedAt: { not: null } } })) > 0;
}

/** Removes one factor; with the last one go the recovery codes (they recover nothing any more). */
export async function removeFactor(db: Db, userId: string, factorId: string): Promise<FactorSummary> {
  const row = await db.userFactor.findFirst({ where: { id: factorId, userId }, select: { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true } });
  if (!row) throw new AppError("NOT_FOUND", "This second factor does not exist (any more).");
  await db.userFactor.delete({ where: { id: row.id } });
  if (!(await hasConfirmedFactor(db, userId))) await db.userRecoveryCode.deleteMany({ where: { userId } });
  return { ...row, kind: row.kind === "passkey" ? "passkey" : "totp" };
}

export async function renamePasskey(db: Db, userId: string, factorId: string, name: string): Promise<void> {
  const { count } = await db.userFactor.updateMany({ where: { id: factorId, userId, kind: "passkey" }, data: { name } });
  if (count !== 1) throw new AppError("NOT_FOUND", "This passkey does not exist (any more).");
}

export const factorNameInput = z.string().trim().min(1, "Give the passkey a name.").max(100, "Keep the name under 100 characters.");

/** What the browser's WebAuthn API returned, checked for shape; @simplewebauthn verifies the rest. */
const credentialJson = z
  .object({ id: z.string().min(1).max(1024), rawId: z.string().min(1).max(1024), type: z.literal("public-key"), response: z.record(z.string(), z.unknown()) })
  .passthrough();

export const secondFactorProof = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.") }),
  z.object({ method: z.literal("recovery"), code: z.string().trim().min(10, "Enter one of your recovery codes, e.g. abcde-fghjk.").max(20, "Enter one of your recovery codes, e.g. abcde-fghjk.") }),
  z.object({ method: z.literal("passkey"), response: credentialJson }),
]);
export type SecondFactorProof = z.infer<typeof secondFactorProof>;

export interface ProofResult {
  ok: boolean;
  /** The factor that matched (null for recovery codes and failures). */
  factorId: string | null;
}

/** Checks a proof against the user's factors; consumes what is single-use (TOTP step, recovery code, challenge). */
export async function checkSecondFactor(db: Db, userId: string, proof: SecondFactorProof, rp: RelyingParty, now = new Date()): Promise<ProofResult> {
  if (proof.method === "totp") {
    const factorId = await verifyTotp(db, userId, proof.code, now);
    return { ok: factorId !== null, factorId };
  }
  if (proof.method === "recovery") {
    return { ok: await spendRecoveryCode(db, userId, proof.code, now), factorId: null };
  }
  const factorId = await verifyPasskey(db, userId, proof.response as unknown as AuthenticationResponseJSON, rp, now);
  return { ok: factorId !== null, factorId };
}
