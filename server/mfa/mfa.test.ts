// Second factors and step-up on the real database: TOTP window and replay, recovery codes, the
// sealed secret at rest, the gate on unverified sessions, step-up freshness, and who may remove
// whose factors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { generate } from "otplib";
import { asUser, onPlatform } from "../db/doors";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import { createSession } from "../auth/sessions";
import { readOperatorPolicy } from "../auth/operator-policy";
import { callerFor, makeUser, rejection, twoTenantWorld, grant, makeTenant } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";
import { confirmTotpEnrolment, startTotpEnrolment, verifyTotp } from "./totp";
import { replaceRecoveryCodes, spendRecoveryCode } from "./recovery-codes";
import { setUserPassword } from "../accounts/platform-users-repository";
import { ENROL_SECOND_FACTOR_MESSAGE, VERIFY_SECOND_FACTOR_MESSAGE } from "../isomorphic/auth/second-factor";

let pool: pg.Pool;
beforeAll(() => {
  pool = superuserPool();
});
afterAll(async () => {
  await pool.end();
});

const T0 = new Date("2026-12-05T12:00:10Z");
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const codeAt = (secret: string, when: Date) => generate({ secret, epoch: Math.floor(when.getTime() / 1000) });

/** A user with a confirmed TOTP factor; returns its secret. */
async function withTotp(user: { id: string; email: string }, now = T0) {
  const enrolment = await onPlatform((db) => startTotpEnrolment(db, user));
  expect(await onPlatform(async (db) => confirmTotpEnrolment(db, user.id, enrolment.factorId, await codeAt(enrolment.secret, now), now))).toBe(true);
  return enrolment;
}

/** A real session row (as sign-in creates it) and a caller whose Auth.js session points at it. */
async function signedIn(userId: string, opts: { secondFactorVerified?: boolean; lastVerifiedAt?: Date } = {}) {
  const row = await onPlatform(async (db) => createSession(db, { userId, authMethod: "password", ip: null, userAgent: "vitest", secondFactorVerified: opts.secondFactorVerified }, await readOperatorPolicy(db)));
  if (opts.lastVerifiedAt) await pool.query(`UPDATE operator_sessions SET last_verified_at = $2 WHERE id = $1`, [row.id, opts.lastVerifiedAt]);
  const info = () => onPlatform((db) => db.operatorSession.findUniqueOrThrow({ where: { id: row.id } }));
  const caller = async () =>
    createCaller(createTRPCContext({ session: { user: { id: userId }, sid: row.id }, meta: { requestId: randomUUID(), ip: "203.0.113.7", userAgent: "vitest", host: "localhost:3000", proto: "http" } }));
  return { sessionId: row.id, info, caller };
}

describe("TOTP", () => {
  it("accepts a code within one step of drift, refuses older ones and refuses a replay", async () => {
    const user = await makeUser();
    const { secret } = await withTotp(user);
    const later = at(T0, 300);
    // One step (30 s) late is still fine.
    const code = await codeAt(secret, later);
    expect(await onPlatform((db) => verifyTotp(db, user.id, code, at(later, 25)))).not.toBeNull();
    // The same code again (same step): refused.
    expect(await onPlatform((db) => verifyTotp(db, user.id, code, at(later, 25)))).toBeNull();
    // A code from two minutes earlier: outside the window.
    const old = await codeAt(secret, at(later, 60));
    expect(await onPlatform((db) => verifyTotp(db, user.id, old, at(later, 200)))).toBeNull();
    // The next step's code works once.
    const next = await codeAt(secret, at(later, 60));
    expect(await onPlatform((db) => verifyTotp(db, user.id, next, at(later, 61)))).not.toBeNull();
  });

  it("keeps the secret sealed at rest and never returns it after enrolment", async () => {
    const user = await makeUser();
    const { secret, factorId } = await withTotp(user);
    const raw = await pool.query(`SELECT row_to_json(f)::text AS j, encode(secret_ciphertext, 'escape') AS c FROM user_factors f WHERE id = $1`, [factorId]);
    expect(raw.rows[0].j).not.toContain(secret);
    expect(raw.rows[0].c).not.toContain(secret);
    const { caller } = await signedIn(user.id, { secondFactorVerified: true });
    const mine = await (await caller()).factors.mine();
    expect(JSON.stringify(mine)).not.toContain(secret);
    expect(mine.factors).toEqual([expect.objectContaining({ id: factorId, kind: "totp" })]);
    // The sealed secret is bound to its row: copied to another factor id, it no longer opens.
    const other = await makeUser();
    const { factorId: otherId } = await withTotp(other);
    await pool.query(`UPDATE user_factors SET secret_iv = s.secret_iv, secret_tag = s.secret_tag, secret_ciphertext = s.secret_ciphertext FROM user_factors s WHERE user_factors.id = $1 AND s.id = $2`, [otherId, factorId]);
    await expect(onPlatform(async (db) => verifyTotp(db, other.id, await codeAt(secret, at(T0, 600)), at(T0, 600)))).rejects.toThrow(/could not be decrypted/);
  });

  it("shows a user only their own factors (RLS)", async () => {
    const a = await makeUser();
    const b = await makeUser();
    await withTotp(a);
    expect(await asUser(b.id, (db) => db.userFactor.count({ where: { userId: a.id } }))).toBe(0);
    expect(await asUser(a.id, (db) => db.userFactor.count({ where: { userId: a.id } }))).toBe(1);
  });
});

describe("recovery codes", () => {
  it("are single-use, and a new set replaces the old", async () => {
    const user = await makeUser();
    const codes = await onPlatform((db) => replaceRecoveryCodes(db, user.id));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await onPlatform((db) => spendRecoveryCode(db, user.id, codes[0]!.toUpperCase()))).toBe(true);
    expect(await onPlatform((db) => spendRecoveryCode(db, user.id, codes[0]!))).toBe(false);
    const raw = await pool.query(`SELECT row_to_json(r)::text AS j FROM user_recovery_codes r WHERE user_id = $1`, [user.id]);
    for (const row of raw.rows) for (const c of codes) expect(row.j).not.toContain(c.replace("-", ""));
    await onPlatform((db) => replaceRecoveryCodes(db, user.id));
    expect(await onPlatform((db) => spendRecoveryCode(db, user.id, codes[1]!))).toBe(false);
  });
});

describe("the second-factor gate", () => {
  it("refuses an unverified session of a user with a factor until the second step succeeds", async () => {
    const { a, ownerA } = await twoTenantWorld();
    const { secret } = await withTotp(ownerA, new Date(Date.now() - 120_000));
    const s = await signedIn(ownerA.id);
    expect(await rejection((await s.caller()).me.profile())).toEqual({ code: "UNAUTHORIZED", message: VERIFY_SECOND_FACTOR_MESSAGE });
    expect((await rejection((await s.caller()).tenant.overview({ tenant: a.slug }))).message).toBe(VERIFY_SECOND_FACTOR_MESSAGE);
    // Enrolling another factor is not a way around the second step.
    expect((await rejection((await s.caller()).factors.enrolTotp())).code).toBe("UNAUTHORIZED");
    expect((await rejection((await s.caller()).factors.verify({ method: "totp", code: "000000" }))).code).toBe("BAD_REQUEST");
    await (await s.caller()).factors.verify({ method: "totp", code: await codeAt(secret, new Date()) });
    expect((await s.info()).secondFactorVerifiedAt).not.toBeNull();
    expect((await (await s.caller()).me.profile()).id).toBe(ownerA.id);
    expect((await (await s.caller()).tenant.overview({ tenant: a.slug })).slug ?? a.slug).toBe(a.slug);
    const events = await pool.query(`SELECT action, outcome FROM platform_audit_events WHERE actor_id = $1 ORDER BY seq`, [ownerA.id]);
    expect(events.rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(expect.arrayContaining(["factor.failed:failure", "factor.used:success"]));
  });

  it("sends a security admin without a factor to enrolment; enrolling satisfies the gate and yields recovery codes", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const s = await signedIn(admin.id);
    expect(await rejection((await s.caller()).me.profile())).toEqual({ code: "UNAUTHORIZED", message: ENROL_SECOND_FACTOR_MESSAGE });
    const enrolment = await (await s.caller()).factors.enrolTotp();
    expect(enrolment.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const { recoveryCodes } = await (await s.caller()).factors.confirmTotp({ factorId: enrolment.factorId, code: await codeAt(enrolment.secret, new Date()) });
    expect(recoveryCodes).toHaveLength(10);
    expect((await (await s.caller()).me.profile()).id).toBe(admin.id);
  });

  it("lets an owner without a factor in while the policy does not require one", async () => {
    const tenant = await makeTenant();
    const owner = await makeUser();
    await grant(tenant, owner.id, "owner");
    const s = await signedIn(owner.id);
    expect((await (await s.caller()).me.profile()).id).toBe(owner.id);
  });

  it("sends owners and support without a factor to enrolment while the policy requires one", async () => {
    const tenant = await makeTenant();
    const owner = await makeUser();
    await grant(tenant, owner.id, "owner");
    const loner = await makeUser(); // no membership: no tenant role, nothing required
    const admin = await makeUser({ platformRole: "security_admin" });
    const policies = callerFor(admin.id).platform.policies;
    const state = await policies.state();
    const saved = await policies.save({ document: { ...state.overrides, operators: { mfaForTenantRoles: "required" } }, expectedVersion: state.latest?.version ?? 0, comment: "require MFA" });
    try {
      const s = await signedIn(owner.id);
      expect((await rejection((await s.caller()).me.profile())).message).toBe(ENROL_SECOND_FACTOR_MESSAGE);
      expect((await (await (await signedIn(loner.id)).caller()).me.profile()).id).toBe(loner.id);
    } finally {
      await policies.resetField({ section: "operators", field: "mfaForTenantRoles", expectedVersion: saved.latest!.version });
    }
    expect((await (await (await signedIn(owner.id)).caller()).me.profile()).id).toBe(owner.id);
  });

  it("accepts a recovery code once as the second step", async () => {
    const user = await makeUser();
    await withTotp(user);
    const codes = await onPlatform((db) => replaceRecoveryCodes(db, user.id));
    const s1 = await signedIn(user.id);
    await (await s1.caller()).factors.verify({ method: "recovery", code: codes[3]! });
    const s2 = await signedIn(user.id);
    expect((await rejection((await s2.caller()).factors.verify({ method: "recovery", code: codes[3]! }))).code).toBe("BAD_REQUEST");
  });
});

describe("step-up", () => {
  it("refuses a dangerous action after a stale verification and accepts it after a fresh one", async () => {
    const { a, ownerA } = await twoTenantWorld();
    const { secret } = await withTotp(ownerA, new Date(Date.now() - 120_000));
    const stale = await signedIn(ownerA.id, { secondFactorVerified: true, lastVerifiedAt: new Date(Date.now() - 11 * 60_000) });
    const create = async (caller: Awaited<ReturnType<typeof stale.caller>>) => caller.apiKeys.create({ tenant: a.slug, name: "ci", scopes: ["tenant.view"], expiresInDays: 30 });
    const refused = await rejection(create(await stale.caller()));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toContain("step-up");
    const fresh = await signedIn(ownerA.id, { secondFactorVerified: true });
    await expect(create(await fresh.caller())).resolves.toBeTruthy();

    // The step-up itself: a wrong code fails (audited), the right one refreshes the session.
    const s = await signedIn(ownerA.id, { secondFactorVerified: true });
    const before = (await s.info()).lastVerifiedAt;
    expect((await rejection((await s.caller()).factors.stepUp({ method: "totp", code: "123456" }))).code).toBe("BAD_REQUEST");
    await new Promise((r) => setTimeout(r, 5));
    await (await s.caller()).factors.stepUp({ method: "totp", code: await codeAt(secret, new Date()) });
    const after = await onPlatform((db) => db.operatorSession.findUniqueOrThrow({ where: { id: s.sessionId } }));
    expect(after.lastVerifiedAt.getTime()).toBeGreaterThan(before.getTime());
    const events = await pool.query(`SELECT action FROM platform_audit_events WHERE actor_id = $1`, [ownerA.id]);
    expect(events.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["stepup.failed", "stepup.succeeded"]));
  });

  it("asks for the password where no factor is enrolled", async () => {
    const { hashPassword } = await import("../auth/password");
    const owner = await makeUser();
    await onPlatform(async (db) => setUserPassword(db, owner.id, await hashPassword("correct horse battery")));
    const s = await signedIn(owner.id);
    expect((await rejection((await s.caller()).factors.stepUp({ method: "password", password: "wrong" }))).code).toBe("BAD_REQUEST");
    await expect((await s.caller()).factors.stepUp({ method: "password", password: "correct horse battery" })).resolves.toEqual({ ok: true });
  });
});

describe("removing factors", () => {
  it("only security admins remove another user's factor, with a reason, audited", async () => {
    const { ownerA, ownerB } = await twoTenantWorld();
    const { factorId } = await withTotp(ownerB);
    const owner = await signedIn(ownerA.id, { secondFactorVerified: true });
    expect((await rejection((await owner.caller()).platform.factors.remove({ userId: ownerB.id, factorId, reason: "lost phone" }))).code).toBe("FORBIDDEN");
    expect((await rejection((await owner.caller()).platform.factors.list({ userId: ownerB.id }))).code).toBe("FORBIDDEN");
    // Their own remove procedure does not reach other users' factors.
    expect((await rejection((await owner.caller()).factors.remove({ factorId }))).code).toBe("NOT_FOUND");

    const bSession = await signedIn(ownerB.id, { secondFactorVerified: true });
    const admin = await makeUser({ platformRole: "security_admin" });
    await withTotp(admin);
    const s = await signedIn(admin.id, { secondFactorVerified: true });
    expect((await (await s.caller()).platform.factors.list({ userId: ownerB.id })).factors).toHaveLength(1);
    await (await s.caller()).platform.factors.remove({ userId: ownerB.id, factorId, reason: "lost phone and codes" });
    expect((await (await s.caller()).platform.factors.list({ userId: ownerB.id })).factors).toHaveLength(0);
    const ev = await pool.query(`SELECT details FROM platform_audit_events WHERE action = 'factor.removed' AND target_id = $1`, [ownerB.id]);
    expect(ev.rows[0].details).toMatchObject({ reason: "lost phone and codes", by: "security_admin" });
    // Whoever holds the lost factor may be signed in: the user's sessions ended.
    expect((await bSession.info()).revokedReason).toBe("factor_removed");
  });

  it("keeps a security admin's last factor", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const { factorId } = await withTotp(admin);
    const s = await signedIn(admin.id, { secondFactorVerified: true });
    expect((await rejection((await s.caller()).factors.remove({ factorId }))).code).toBe("PRECONDITION_FAILED");
  });
});
