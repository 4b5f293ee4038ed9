// Server-side operator sessions: a session id in a validly signed JWT is only good while its row
// says so. Revoked (sign-out, revoke, revoke-all, suspension, last membership removed), idle and
// past-lifetime sessions are refused by loadOperator on the next request (injected clock).
import { describe, expect, it } from "vitest";
import { onPlatform } from "../db/doors";
import { loadOperator, NotSignedInError } from "../tenancy/context";
import { createSession, revokeAllSessionsOf, revokeSession, LAST_SEEN_GRANULARITY_MS } from "./sessions";
import { readOperatorPolicy } from "./operator-policy";
import { endOperatorSession, startOperatorSession } from "./sign-in-events";
import { setUserStatus } from "../accounts/platform-users-repository";
import { callerFor, forgetSession, grant, makeTenant, makeUser, rejection, sessionFor } from "../testing/fixtures";

async function newSession(userId: string, now = new Date()) {
  return onPlatform(async (db) => (await createSession(db, { userId, authMethod: "password", ip: "192.0.2.1", userAgent: "test" }, await readOperatorPolicy(db), now)).id);
}
const row = (id: string) => onPlatform((db) => db.operatorSession.findUnique({ where: { id } }));
const platformEvents = (action: string, targetId: string) =>
  onPlatform((db) => db.platformAuditEvent.findMany({ where: { action, targetId }, orderBy: { seq: "asc" } }));

describe("loadOperator and the session row", () => {
  it("accepts a live session and exposes it; refuses a missing, foreign or malformed session id", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const sid = await newSession(u.id);
    const op = await loadOperator(u.id, sid);
    expect(op.session).toMatchObject({ id: sid, secondFactorVerifiedAt: null });
    expect(op.session.lastVerifiedAt).toBeInstanceOf(Date);
    await expect(loadOperator(u.id, null)).rejects.toBeInstanceOf(NotSignedInError);
    await expect(loadOperator(u.id, "not-a-uuid")).rejects.toBeInstanceOf(NotSignedInError);
    await expect(loadOperator(other.id, sid)).rejects.toBeInstanceOf(NotSignedInError);
    await expect(loadOperator(u.id, crypto.randomUUID())).rejects.toBeInstanceOf(NotSignedInError);
  });

  it("sign-out revokes: the same (still validly signed) uid+sid is refused on the next request", async () => {
    const u = await makeUser();
    const sid = await startOperatorSession(u, "password", { ip: "192.0.2.5", userAgent: "browser A" });
    expect((await platformEvents("signin.succeeded", sid)).length).toBe(1);
    await loadOperator(u.id, sid);
    await endOperatorSession(u.id, sid, { ip: "192.0.2.5", userAgent: "browser A" });
    await expect(loadOperator(u.id, sid)).rejects.toBeInstanceOf(NotSignedInError);
    expect(await row(sid)).toMatchObject({ revokedReason: "signed_out" });
    expect(await platformEvents("session.revoked", sid)).toHaveLength(1);
  });

  it("revoke one, and revoke all (except the current one)", async () => {
    const u = await makeUser();
    const [s1, s2, s3] = [await newSession(u.id), await newSession(u.id), await newSession(u.id)];
    expect(await onPlatform((db) => revokeSession(db, s1, "revoked", { userId: u.id }))).toBe(true);
    expect(await onPlatform((db) => revokeSession(db, s1, "revoked", { userId: u.id }))).toBe(false);
    await expect(loadOperator(u.id, s1)).rejects.toBeInstanceOf(NotSignedInError);
    expect(await onPlatform((db) => revokeAllSessionsOf(db, u.id, "signed_out_everywhere", { except: s3 }))).toBe(1);
    await expect(loadOperator(u.id, s2)).rejects.toBeInstanceOf(NotSignedInError);
    await loadOperator(u.id, s3);
    expect(await onPlatform((db) => revokeAllSessionsOf(db, u.id, "password_changed"))).toBe(1);
    await expect(loadOperator(u.id, s3)).rejects.toBeInstanceOf(NotSignedInError);
    const all = await platformEvents("session.revoked_all", u.id);
    expect(all.map((e) => (e.details as { reason: string }).reason)).toEqual(["signed_out_everywhere", "password_changed"]);
  });

  it("a revocation is final, even for the runtime role", async () => {
    const u = await makeUser();
    const sid = await newSession(u.id);
    await onPlatform((db) => revokeSession(db, sid, "revoked"));
    await expect(onPlatform((db) => db.operatorSession.update({ where: { id: sid }, data: { revokedAt: null } }))).rejects.toThrow();
  });

  it("suspension revokes every session", async () => {
    const u = await makeUser();
    const sid = await newSession(u.id);
    await onPlatform((db) => setUserStatus(db, u.id, "suspended"));
    await onPlatform((db) => setUserStatus(db, u.id, "active"));
    await expect(loadOperator(u.id, sid)).rejects.toBeInstanceOf(NotSignedInError);
    expect(await row(sid)).toMatchObject({ revokedReason: "suspended" });
  });

  it("idle timeout (30 min default) ends the session; activity within it keeps it, last_seen written at most once a minute", async () => {
    const u = await makeUser();
    const t0 = new Date(Date.now() - 3 * 3_600_000);
    const sid = await newSession(u.id, t0);
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    await loadOperator(u.id, sid, at(0.5));
    expect((await row(sid))!.lastSeenAt.getTime()).toBe(t0.getTime()); // < 1 min: not written
    await loadOperator(u.id, sid, at(20));
    expect((await row(sid))!.lastSeenAt.getTime()).toBe(at(20).getTime());
    await loadOperator(u.id, sid, at(20 + LAST_SEEN_GRANULARITY_MS / 60_000 - 0.1));
    await loadOperator(u.id, sid, at(49)); // 29 min after the last write
    await expect(loadOperator(u.id, sid, at(49 + 31))).rejects.toBeInstanceOf(NotSignedInError);
    expect(await row(sid)).toMatchObject({ revokedReason: "idle" });
    await expect(loadOperator(u.id, sid, at(50))).rejects.toBeInstanceOf(NotSignedInError);
    expect(await platformEvents("session.ended", sid)).toHaveLength(1);
  });

  it("absolute lifetime (12 h default) ends even an active session", async () => {
    const u = await makeUser();
    const t0 = new Date(Date.now() - 13 * 3_600_000);
    const sid = await newSession(u.id, t0);
    for (let h = 0; h < 12; h += 0.25) await loadOperator(u.id, sid, new Date(t0.getTime() + h * 3_600_000));
    await expect(loadOperator(u.id, sid, new Date(t0.getTime() + 12 * 3_600_000))).rejects.toBeInstanceOf(NotSignedInError);
    expect(await row(sid)).toMatchObject({ revokedReason: "expired" });
  }, 120_000);

  it("removing a user's last membership revokes their sessions; removing one of two does not", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const owner = await makeUser();
    const member = await makeUser();
    await grant(a, owner.id, "owner");
    await grant(b, owner.id, "owner");
    await grant(a, member.id, "owner");
    await grant(b, member.id, "support");
    forgetSession(member.id);
    const s = await sessionFor(member.id);
    const list = async (slug: string) => (await callerFor(owner.id).members.list({ tenant: slug })).items.find((m) => m.user.id === member.id)!;
    await callerFor(owner.id).members.remove({ tenant: a.slug, membershipId: (await list(a.slug)).id });
    await loadOperator(member.id, s.sid);
    await callerFor(owner.id).members.remove({ tenant: b.slug, membershipId: (await list(b.slug)).id });
    await expect(loadOperator(member.id, s.sid)).rejects.toBeInstanceOf(NotSignedInError);
    expect(await row(s.sid)).toMatchObject({ revokedReason: "no_membership" });
    expect(await rejection(callerFor(member.id).me.profile())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("tRPC: ctx refuses a revoked session with UNAUTHORIZED", async () => {
    const u = await makeUser();
    forgetSession(u.id);
    const s = await sessionFor(u.id);
    await callerFor(u.id).me.profile();
    await onPlatform((db) => revokeSession(db, s.sid, "revoked"));
    expect(await rejection(callerFor(u.id).me.profile())).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("sessions are invisible to a tenant-scoped transaction", async () => {
    const t = await makeTenant();
    const u = await makeUser();
    await newSession(u.id);
    const { inTenant } = await import("../db/doors");
    expect(await inTenant(t.id, (s) => s.db.operatorSession.count())).toBe(0);
  });
});
