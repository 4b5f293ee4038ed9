// WebAuthn passkeys (@simplewebauthn/server). Challenges live in webauthn_challenges (one per user and
// purpose, 5 minutes, deleted when used). Only public material is stored: credential id, public key,
// signature counter, transports.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Db } from "../db/doors";
import { AppError } from "../isomorphic/errors";
import type { RelyingParty } from "../auth/relying-party";

const CHALLENGE_TTL_MS = 5 * 60_000;
type Purpose = "register" | "authenticate";

async function storeChallenge(db: Db, userId: string, purpose: Purpose, challenge: string, now: Date) {
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await db.webauthnChallenge.upsert({
    where: { userId_purpose: { userId, purpose } },
    create: { userId, purpose, challenge, expiresAt },
    update: { challenge, expiresAt },
  });
}

/** Takes the pending challenge (single use): null when missing or expired. */
async function takeChallenge(db: Db, userId: string, purpose: Purpose, now: Date): Promise<string | null> {
  const row = await db.webauthnChallenge.findUnique({ where: { userId_purpose: { userId, purpose } } });
  if (!row) return null;
  await db.webauthnChallenge.delete({ where: { userId_purpose: { userId, purpose } } });
  return row.expiresAt > now ? row.challenge : null;
}

function uuidBytes(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(id.replace(/-/g, ""), "hex"));
}

export async function passkeyRegistrationOptions(db: Db, user: { id: string; email: string; name: string }, rp: RelyingParty, now = new Date()): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db.userFactor.findMany({ where: { userId: user.id, kind: "passkey" }, select: { credentialId: true, transports: true } });
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: uuidBytes(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.credentialId!, transports: c.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await storeChallenge(db, user.id, "register", options.challenge, now);
  return options;
}

export async function finishPasskeyRegistration(db: Db, userId: string, response: RegistrationResponseJSON, name: string, rp: RelyingParty, now = new Date()): Promise<string> {
  const expectedChallenge = await takeChallenge(db, userId, "register", now);
  if (!expectedChallenge) throw new AppError("BAD_REQUEST", "The passkey request expired. Try again.");
  let verification;
  try {
    verification = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false });
  } catch {
    throw new AppError("BAD_REQUEST", "The passkey could not be verified. Try again.");
  }
  if (!verification.verified) throw new AppError("BAD_REQUEST", "The passkey could not be verified. Try again.");
  const { credential } = verification.registrationInfo;
  const taken = await db.userFactor.count({ where: { credentialId: credential.id } });
  if (taken > 0) throw new AppError("CONFLICT", "This passkey is already registered.");
  const row = await db.userFactor.create({
    data: {
      userId, kind: "passkey", name, confirmedAt: now,
      credentialId: credential.id, publicKey: new Uint8Array(credential.publicKey), signCount: BigInt(credential.counter),
      transports: credential.transports ?? [],
    },
    select: { id: true },
  });
  return row.id;
}

/** Options for proving a passkey of this user (sign-in second step, step-up); null without passkeys. */
export async function passkeyAuthenticationOptions(db: Db, userId: string, rp: RelyingParty, now = new Date()): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const creds = await db.userFactor.findMany({ where: { userId, kind: "passkey" }, select: { credentialId: true, transports: true } });
  if (creds.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: creds.map((c) => ({ id: c.credentialId!, transports: c.transports as AuthenticatorTransportFuture[] })),
    userVerification: "preferred",
  });
  await storeChallenge(db, userId, "authenticate", options.challenge, now);
  return options;
}

/** Verifies a passkey assertion of this user; the factor id when valid. */
export async function verifyPasskey(db: Db, userId: string, response: AuthenticationResponseJSON, rp: RelyingParty, now = new Date()): Promise<string | null> {
  const expectedChallenge = await takeChallenge(db, userId, "authenticate", now);
  if (!expectedChallenge) return null;
  const row = await db.userFactor.findFirst({ where: { userId, kind: "passkey", credentialId: response.id } });
  if (!row || !row.publicKey || row.signCount === null) return null;
  try {
    const result = await verifyAuthenticationResponse({
      response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false,
      credential: { id: row.credentialId!, publicKey: row.publicKey, counter: Number(row.signCount), transports: row.transports as AuthenticatorTransportFuture[] },
    });
    if (!result.verified) return null;
    await db.userFactor.update({ where: { id: row.id }, data: { signCount: BigInt(result.authenticationInfo.newCounter), lastUsedAt: now } });
    return row.id;
  } catch {
    return null;
  }
}
