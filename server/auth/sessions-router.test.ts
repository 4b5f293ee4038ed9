// The Sessions procedures: a user lists and revokes their own sessions only; security admins list
// and revoke anyone's; everything is recorded in the platform audit stream.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { onPlatform } from "../db/doors";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import { createSession } from "./sessions";
import { readOperatorPolicy } from "./operator-policy";
import { loadOperator, NotSignedInError } from "../tenancy/context";
import { makeUser, rejection } from "../testing/fixtures";

/** A real session; a security admin's must have passed its second factor (the gate, server/mfa). */
async function signIn(userId: string, ua = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", opts: { secondFactorVerified?: boolean } = {}) {
  const sid = await onPlatform(async (db) => (await createSession(db, { userId, authMethod: "password", ip: "192.0.2.44", userAgent: ua, ...opts }, await readOperatorPolicy(db))).id);
  const caller = createCaller(createTRPCContext({ session: { user: { id: userId }, sid }, meta: { requestId: randomUUID(), ip: "192.0.2.44", userAgent: ua } }));
  return { sid, caller };
}
const events = (action: string, where: Record<string, unknown> = {}) =>
  onPlatform((db) => db.platformAuditEvent.findMany({ where: { action, ...where }, orderBy: { seq: "asc" } }));

describe("sessions router (own sessions)", () => {
  it("lists own sessions with the current one marked and a device label, never another user's", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const a = await signIn(u.id);
    const b = await signIn(u.id, "Mozilla/5.0 (Windows NT 10.0) Chrome/150.0 Safari/537.36");
    await signIn(other.id);
    const mine = await a.caller.sessions.mine();
    expect(mine.map((s) => s.id).sort()).toEqual([a.sid, b.sid].sort());
    expect(mine.find((s) => s.id === a.sid)).toMatchObject({ current: true, active: true, device: "Firefox on Linux", ip: "192.0.2.44" });
    expect(mine.find((s) => s.id === b.sid)).toMatchObject({ current: false, device: "Chrome on Windows" });
    expect(JSON.stringify(mine)).not.toMatch(/token|secret|hash/i);
  });

  it("revoke: own session only; another user's session id is NOT_FOUND and stays alive", async () => {
    const u = await makeUser();
    const other = await makeUser();
    const a = await signIn(u.id);
    const b = await signIn(u.id);
    const o = await signIn(other.id);
    expect(await rejection(a.caller.sessions.revoke({ sessionId: o.sid }))).toMatchObject({ code: "NOT_FOUND" });
    await loadOperator(other.id, o.sid);
    expect(await a.caller.sessions.revoke({ sessionId: b.sid })).toEqual({ ok: true, current: false });
    await expect(loadOperator(u.id, b.sid)).rejects.toBeInstanceOf(NotSignedInError);
    expect(await rejection(b.caller.sessions.mine())).toMatchObject({ code: "UNAUTHORIZED" });
    const ev = await events("session.revoked", { targetId: b.sid });
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ actorId: u.id, ip: "192.0.2.44" });
    expect(await rejection(a.caller.sessions.revoke({ sessionId: "nope" }))).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("revokeOthers keeps the current session and ends the rest", async () => {
    const u = await makeUser();
    const a = await signIn(u.id);
    const b = await signIn(u.id);
    const c = await signIn(u.id);
    expect(await a.caller.sessions.revokeOthers()).toEqual({ revoked: 2 });
    await loadOperator(u.id, a.sid);
    for (const s of [b, c]) expect(await rejection(s.caller.me.profile())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await events("session.revoked_all", { targetId: u.id })).toHaveLength(1);
  });
});

describe("platform.sessions router (security admins)", () => {
  it("a security admin lists and revokes another user's sessions, one or all", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const u = await makeUser();
    const adm = await signIn(admin.id, undefined, { secondFactorVerified: true });
    const s1 = await signIn(u.id);
    const s2 = await signIn(u.id);
    const s3 = await signIn(u.id);
    const listed = await adm.caller.platform.sessions.list({ userId: u.id });
    expect(listed.map((s) => s.id).sort()).toEqual([s1.sid, s2.sid, s3.sid].sort());
    expect(listed.every((s) => !s.current)).toBe(true);
    expect(await adm.caller.platform.sessions.revoke({ userId: u.id, sessionId: s1.sid })).toEqual({ revoked: 1 });
    await expect(loadOperator(u.id, s1.sid)).rejects.toBeInstanceOf(NotSignedInError);
    await loadOperator(u.id, s2.sid);
    expect(await adm.caller.platform.sessions.revoke({ userId: u.id })).toEqual({ revoked: 2 });
    await expect(loadOperator(u.id, s3.sid)).rejects.toBeInstanceOf(NotSignedInError);
    const revoked = await events("session.revoked", { targetId: s1.sid });
    expect(revoked[0]).toMatchObject({ actorId: admin.id, details: { reason: "revoked_by_admin", userId: u.id } });
    expect(await events("session.revoked_all", { targetId: u.id })).toHaveLength(1);
    expect(await rejection(adm.caller.platform.sessions.list({ userId: randomUUID() }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("owners and other non-admins cannot list or revoke anyone's sessions", async () => {
    const u = await makeUser();
    const victim = await makeUser();
    const me = await signIn(u.id);
    const v = await signIn(victim.id);
    expect(await rejection(me.caller.platform.sessions.list({ userId: victim.id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await rejection(me.caller.platform.sessions.revoke({ userId: victim.id }))).toMatchObject({ code: "FORBIDDEN" });
    await loadOperator(victim.id, v.sid);
    const anon = createCaller(createTRPCContext({ session: null, meta: { requestId: "x", ip: null, userAgent: null } }));
    expect(await rejection(anon.sessions.mine())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
