// Token signing keys of one tenant: the lifecycle next → current → previous → revoked, the JWKS
// it publishes, and signing with the current key.
//
//   stage      a new `next` key: published in the JWKS, not yet signing (refused while a next exists)
//   promote    next → current, current → previous (still verifying until revoked)
//   revoke     previous → revoked (never current or next; revoked is final)
//   emergency  rotate-and-revoke: a new key is current at once, the old current is revoked
//
// Every change takes the tenant's key lock first (lockTenantKeys, repository.ts), so concurrent calls run one
// after another and each sees the states the previous one left; the database's partial unique
// indexes keep one current and at most one next even so. Every change is audited with kid, alg and
// state only. Return values are explicit DTOs without key material.
import { SignJWT, type JWTPayload } from "jose";
import { z } from "zod";
import type { TenantReadScope, TenantScope } from "../db/doors";
import type { AuditActor, Auditor } from "../audit/record";
import { AppError } from "../isomorphic/errors";
import { countPublishedKeys, findKeyInState, findPublishedKeys, findSigningKey, listSigningKeys, lockTenantKeys, MAX_PUBLISHED_KEYS, moveKeyState, type SigningKeyRow } from "./repository";
import { scheduleKeyRetirement } from "./retirement";
import { issuerFor } from "./issuer";
import { generateSigningKey, publicMembersOnly, type PublicJwk } from "./jose";
import {
  DEFAULT_SIGNING_ALGORITHM,
  isSigningAlgorithm,
  RSA_MODULUS_LENGTHS,
  type RsaModulusLength,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from "../isomorphic/signing-keys/algorithms";
import { loadCurrentSigningKey, storeNewKey } from "./key-material";
import { TenantNotFoundError } from "../tenancy/context";
import { AUTO_PROMOTE_DEFAULT_HOURS } from "../isomorphic/policies/sections";
import { effectiveAutoPromoteHours } from "../policies/resolve";
import { findOwnTenant } from "../tenants/repository";

/**
 * A staged next key is promoted automatically this long after it was staged (npm run
 * keys:auto-promote), leaving verifiers time to fetch the new JWKS. This is the default; each
 * tenant's effective policy (keyRotation.autoPromoteAfterHours, global → tenant) decides.
 */
export const AUTO_PROMOTE_AFTER_HOURS = AUTO_PROMOTE_DEFAULT_HOURS;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const algorithm = z.enum(SIGNING_ALGORITHMS, { error: "Choose an algorithm: ES256, RS256 or EdDSA." });
const modulusLength = z
  .number()
  .int()
  .refine((n) => (RSA_MODULUS_LENGTHS as readonly number[]).includes(n), `RSA keys are ${RSA_MODULUS_LENGTHS.join(", ")} bits.`)
  .transform((n) => n as RsaModulusLength);
const onlyRsaHasModulus = (v: { alg?: SigningAlgorithm; modulusLength?: number }) => v.modulusLength === undefined || v.alg === "RS256";
const modulusRule = { message: "A key size applies to RS256 keys only.", path: ["modulusLength"] };

export const stageKeyInput = z.object({ alg: algorithm, modulusLength: modulusLength.optional() }).refine(onlyRsaHasModulus, modulusRule);
export type StageKeyInput = z.infer<typeof stageKeyInput>;

export const rotateAndRevokeInput = z
  .object({ alg: algorithm.optional(), modulusLength: modulusLength.optional() })
  .refine(onlyRsaHasModulus, modulusRule);
export type RotateAndRevokeInput = z.infer<typeof rotateAndRevokeInput>;

export const keyIdInput = z.object({ keyId: z.string().uuid("Unknown signing key.") });
export type KeyIdInput = z.infer<typeof keyIdInput>;

// ---------------------------------------------------------------------------------------------
// What callers see
// ---------------------------------------------------------------------------------------------

export interface SigningKeyView {
  id: string;
  kid: string;
  alg: SigningAlgorithm;
  state: "next" | "current" | "previous" | "revoked";
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  revokedAt: Date | null;
  /** For a next key: when `npm run keys:auto-promote` will promote it. */
  autoPromoteAt: Date | null;
}

const STATE_ORDER = { current: 0, next: 1, previous: 2, revoked: 3 } as const;

/** `graceHours`: the tenant's auto-promote grace, needed only to date a next key's promotion. */
function toView(row: SigningKeyRow, graceHours: number = AUTO_PROMOTE_AFTER_HOURS): SigningKeyView {
  const state = row.state as SigningKeyView["state"];
  return {
    id: row.id,
    kid: row.kid,
    alg: isSigningAlgorithm(row.alg) ? row.alg : DEFAULT_SIGNING_ALGORITHM,
    state,
    createdAt: row.createdAt,
    activatedAt: row.activatedAt,
    retiredAt: row.retiredAt,
    revokedAt: row.revokedAt,
    autoPromoteAt: state === "next" ? autoPromoteAt(row.createdAt, graceHours) : null,
  };
}

export function autoPromoteAt(stagedAt: Date, graceHours: number): Date {
  return new Date(stagedAt.getTime() + graceHours * 3_600_000);
}

/** created_by holds console users only (API keys and the system are named in the audit trail). */
function createdByOf(actor: AuditActor): string | null {
  return actor.type === "user" ? actor.id : null;
}

/** The audit summary of a key: never more than kid, algorithm and state. */
function summary(key: { kid: string; alg: string }, state: SigningKeyView["state"]) {
  return { kid: key.kid, alg: key.alg, state };
}

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

/** Every tenant's first current key (ES256), created inside the provisioning transaction. */
export async function provisionInitialKey(scope: TenantScope, audit: Auditor, actor: AuditActor, now = new Date()): Promise<SigningKeyView> {
  const generated = await generateSigningKey(DEFAULT_SIGNING_ALGORITHM);
  await lockTenantKeys(scope);
  const existing = await findKeyInState(scope, "current");
  if (existing) return toView(existing);
  const row = await storeNewKey(scope, generated, "current", createdByOf(actor), now);
  await audit.record({ action: "signing_key.created", targetType: "signing_key", targetId: row.id, after: summary(row, "current") });
  return toView(row);
}

/** Rotate, step 1: a new key published as `next`; it signs nothing until promoted. */
export async function stageNextKey(scope: TenantScope, audit: Auditor, actor: AuditActor, input: StageKeyInput, now = new Date()): Promise<SigningKeyView> {
  // Generated before taking the lock: RSA key generation can take a while.
  const generated = await generateSigningKey(input.alg, input.modulusLength);
  await lockTenantKeys(scope);
  const next = await findKeyInState(scope, "next");
  if (next) {
    throw new AppError("CONFLICT", `Key ${next.kid} is already staged as next. Promote it before staging another one.`);
  }
  if ((await countPublishedKeys(scope)) >= MAX_PUBLISHED_KEYS) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `This tenant already publishes ${MAX_PUBLISHED_KEYS} signing keys, the most a JWKS may hold. Revoke previous keys (or shorten how long they stay published) before staging another.`,
    );
  }
  const row = await storeNewKey(scope, generated, "next", createdByOf(actor), now);
  await audit.record({ action: "signing_key.staged", targetType: "signing_key", targetId: row.id, after: summary(row, "next") });
  return toView(row, await effectiveAutoPromoteHours(scope));
}

/** The next key becomes current; the old current becomes previous (it keeps verifying). */
export async function promoteNextKey(scope: TenantScope, audit: Auditor, now = new Date()): Promise<SigningKeyView> {
  await lockTenantKeys(scope);
  const next = await findKeyInState(scope, "next");
  if (!next) throw new AppError("PRECONDITION_FAILED", "There is no staged next key to promote. Rotate first to stage one.");
  return promoteLocked(scope, audit, next, now);
}

/** Promotion once the lock is held and the next key is known (also used by auto-promotion). */
export async function promoteLocked(scope: TenantScope, audit: Auditor, next: SigningKeyRow, now: Date): Promise<SigningKeyView> {
  const current = await findKeyInState(scope, "current");
  if (current) {
    await moveKeyState(scope, current.id, "current", "previous", { retiredAt: now });
    await audit.record({
      action: "signing_key.retired",
      targetType: "signing_key",
      targetId: current.id,
      before: summary(current, "current"),
      after: summary(current, "previous"),
    });
  }
  // The key just retired (and any older previous key) is revoked by the queue once its retention passes.
  if (current) await scheduleKeyRetirement(scope, now);
  await moveKeyState(scope, next.id, "next", "current", { activatedAt: now });
  await audit.record({
    action: "signing_key.promoted",
    targetType: "signing_key",
    targetId: next.id,
    before: summary(next, "next"),
    after: summary(next, "current"),
  });
  const promoted = await findSigningKey(scope, next.id);
  return toView(promoted!);
}

/** A previous key stops verifying. Current and next keys cannot be revoked; revoked is final. */
export async function revokeKey(scope: TenantScope, audit: Auditor, input: KeyIdInput, now = new Date()): Promise<SigningKeyView> {
  await lockTenantKeys(scope);
  const key = await findSigningKey(scope, input.keyId);
  if (!key) throw new AppError("NOT_FOUND", "Signing key not found.");
  if (key.state === "current") {
    throw new AppError(
      "PRECONDITION_FAILED",
      "The current key signs new tokens and cannot be revoked without a successor. Use Rotate and revoke to replace and revoke it in one step.",
    );
  }
  if (key.state === "next") {
    throw new AppError("PRECONDITION_FAILED", "A staged next key cannot be revoked; only previous keys can. Promote it first, or use Rotate and revoke.");
  }
  if (key.state === "revoked") throw new AppError("CONFLICT", "This key is already revoked; revoked keys stay revoked.");
  await moveKeyState(scope, key.id, "previous", "revoked", { revokedAt: now });
  await audit.record({
    action: "signing_key.revoked",
    targetType: "signing_key",
    targetId: key.id,
    before: summary(key, "previous"),
    after: summary(key, "revoked"),
  });
  return toView((await findSigningKey(scope, key.id))!);
}

/**
 * Emergency: a new key becomes current at once and the old current key is revoked, so every token
 * it signed stops verifying. A staged next key and previous keys are left as they are.
 */
export async function rotateAndRevoke(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  input: RotateAndRevokeInput,
  now = new Date(),
): Promise<SigningKeyView> {
  const generated = await generateSigningKey(input.alg ?? DEFAULT_SIGNING_ALGORITHM, input.modulusLength);
  await lockTenantKeys(scope);
  const old = await findKeyInState(scope, "current");
  // Revoke first: the one-current index must never see two.
  if (old) await moveKeyState(scope, old.id, "current", "revoked", { retiredAt: now, revokedAt: now });
  const row = await storeNewKey(scope, generated, "current", createdByOf(actor), now);
  await audit.record({
    action: "signing_key.rotated_and_revoked",
    targetType: "signing_key",
    targetId: row.id,
    before: old ? summary(old, "current") : null,
    after: summary(row, "current"),
  });
  return toView(row);
}

// ---------------------------------------------------------------------------------------------
// Reading, publishing, signing
// ---------------------------------------------------------------------------------------------

/** Every key of the tenant, current first, then next, previous and revoked (newest first within). */
export async function listKeys(scope: TenantScope): Promise<SigningKeyView[]> {
  const [rows, graceHours] = await Promise.all([listSigningKeys(scope), effectiveAutoPromoteHours(scope)]);
  return rows.map((r) => toView(r, graceHours)).sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.createdAt.getTime() - a.createdAt.getTime());
}

export interface Jwks {
  keys: PublicJwk[];
}

/**
 * The tenant's JWKS: next, current and previous keys (never revoked), public members only. Kid, alg
 * and use come from the row's columns; the stored JWK is filtered again on the way out.
 */
export async function publicJwks(scope: TenantReadScope): Promise<Jwks> {
  const rows = await findPublishedKeys(scope);
  // Never a silently shortened key set: verifiers would reject valid tokens with no hint why.
  if (rows.length > MAX_PUBLISHED_KEYS) {
    throw new Error(`Tenant ${scope.tenantId} publishes more than ${MAX_PUBLISHED_KEYS} signing keys; revoke previous keys.`);
  }
  const rank = (s: string) => (s === "current" ? 0 : s === "next" ? 1 : 2);
  rows.sort((a, b) => rank(a.state) - rank(b.state) || b.createdAt.getTime() - a.createdAt.getTime());
  const keys = rows.flatMap((r) =>
    isSigningAlgorithm(r.alg) && r.publicJwk && typeof r.publicJwk === "object" && !Array.isArray(r.publicJwk)
      ? [publicMembersOnly({ ...(r.publicJwk as Record<string, unknown>), kid: r.kid, alg: r.alg, use: "sig" })]
      : [],
  );
  return { keys };
}

/** Claims of a token to sign; `iss` is always the tenant's issuer, so callers cannot set it. */
export type TokenClaims = Omit<JWTPayload, "iss"> & { aud: string | string[] };

/** Signs a JWT with the tenant's current key: header alg + kid, iss = the tenant's issuer. */
export async function signToken(scope: TenantScope, claims: TokenClaims, options: { expiresIn?: string | number } = {}): Promise<string> {
  const tenant = await findOwnTenant(scope);
  if (!tenant) throw new Error("Tenant of the scope is missing.");
  // A tenant pending deletion (or deleted) signs nothing, like every other surface of it (its JWKS
  // answers 404): the same not-found as an unknown tenant.
  if (tenant.status === "pending_deletion" || tenant.status === "deleted") throw new TenantNotFoundError();
  const signing = await loadCurrentSigningKey(scope);
  if (!signing) throw new AppError("PRECONDITION_FAILED", "This tenant has no current signing key. Use Rotate and revoke to create one.");
  const { iss: _ignored, ...rest } = claims as JWTPayload;
  const jwt = new SignJWT(rest).setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: "JWT" }).setIssuer(issuerFor(tenant.slug));
  if (rest.iat === undefined) jwt.setIssuedAt();
  if (rest.exp === undefined) jwt.setExpirationTime(options.expiresIn ?? "10m");
  return jwt.sign(signing.key);
}
