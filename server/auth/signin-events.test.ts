// Sign-in outcomes in the platform audit stream: success (with its session), failure with the
// reason (invalid / throttled / suspended) that the form never reveals, and the lockout. Global
// policy changes land there too, in the same transaction as the new version.
import { describe, expect, it } from "vitest";
import { authenticate } from "./credentials";
import { hashPassword } from "./password";
import { startOperatorSession } from "./sign-in-events";
import { onPlatform } from "../db/doors";
import { createUser, setUserStatus } from "../accounts/platform-users-repository";
import { uniq } from "../testing/fixtures";
import { env } from "../env";
import { policyState, savePolicy } from "../policies/service";
import { globalPolicyLevel } from "../policies/platform";
import { SYSTEM_ACTOR } from "../audit/record";

const PASSWORD = "correct horse battery staple";
const byLabel = (email: string) =>
  onPlatform((db) => db.platformAuditEvent.findMany({ where: { actorLabel: email, action: { startsWith: "signin." } }, orderBy: { seq: "asc" } }));

async function operator() {
  const email = `${uniq("ev")}@example.test`;
  const u = await onPlatform(async (db) => createUser(db, { email, name: "Ev", passwordHash: await hashPassword(PASSWORD) }));
  return { ...u, email };
}

describe("sign-in events", () => {
  it("success creates a session and records signin.succeeded; a wrong password records signin.failed (invalid)", async () => {
    const u = await operator();
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    expect(await authenticate({ email: u.email, password: "wrong" }, ip, "UA/1")).toEqual({ ok: false, reason: "invalid" });
    const ok = await authenticate({ email: u.email, password: PASSWORD }, ip, "UA/1");
    expect(ok.ok).toBe(true);
    const sid = await startOperatorSession(u, "password", { ip, userAgent: "UA/1" });
    const ev = await byLabel(u.email);
    expect(ev.map((e) => [e.action, e.outcome, (e.details as { reason?: string }).reason ?? null])).toEqual([
      ["signin.failed", "failure", "invalid"],
      ["signin.succeeded", "success", null],
    ]);
    expect(ev[1]).toMatchObject({ actorId: u.id, targetType: "session", targetId: sid, ip, userAgent: "UA/1" });
    expect(JSON.stringify(ev.map((e) => e.details))).not.toContain("wrong");
  });

  it("unknown addresses and suspended users: signin.failed with the reason, same answer to the caller", async () => {
    const ghost = `${uniq("ghost")}@example.test`;
    expect(await authenticate({ email: ghost, password: "x" }, "198.51.100.77")).toEqual({ ok: false, reason: "invalid" });
    expect((await byLabel(ghost)).map((e) => [e.action, e.actorId, (e.details as { reason: string }).reason])).toEqual([["signin.failed", null, "invalid"]]);
    const u = await operator();
    await onPlatform((db) => setUserStatus(db, u.id, "suspended"));
    expect(await authenticate({ email: u.email, password: PASSWORD }, "198.51.100.78")).toEqual({ ok: false, reason: "invalid" });
    expect((await byLabel(u.email)).map((e) => (e.details as { reason: string }).reason)).toEqual(["suspended"]);
  });

  it("the failure that locks records signin.locked; later attempts record signin.failed (throttled)", async () => {
    const u = await operator();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < env.SIGNIN_THROTTLE_ATTEMPTS; i++) await authenticate({ email: u.email, password: `wrong${i}` }, ip);
    const r = await authenticate({ email: u.email, password: PASSWORD }, ip);
    expect(r).toMatchObject({ ok: false, reason: "throttled" });
    const ev = await byLabel(u.email);
    const actions = ev.map((e) => e.action);
    expect(actions.filter((a) => a === "signin.locked")).toHaveLength(1);
    expect(actions.at(-1)).toBe("signin.failed");
    expect((ev.at(-1)!.details as { reason: string }).reason).toBe("throttled");
  });
});

describe("global policy changes", () => {
  it("are recorded in the platform stream with the version and the changes", async () => {
    const state = await policyState(globalPolicyLevel(SYSTEM_ACTOR));
    await savePolicy(
      globalPolicyLevel({ type: "user", id: null, label: "admin@example.test" }, { requestId: "req-gp", ip: "192.0.2.9", userAgent: "vitest" }),
      { document: { ...state.overrides, operators: { stepUpMinutes: 15 } }, expectedVersion: state.latest?.version ?? 0, comment: "shorter step-up" },
    );
    const after = await policyState(globalPolicyLevel(SYSTEM_ACTOR));
    const ev = await onPlatform((db) => db.platformAuditEvent.findFirst({ where: { action: "global_policy.saved", targetId: String(after.latest!.version) } }));
    expect(ev).toMatchObject({ actorLabel: "admin@example.test", targetType: "global_policy", requestId: "req-gp" });
    expect(ev!.details).toMatchObject({ version: after.latest!.version, comment: "shorter step-up" });
    expect(JSON.stringify(ev!.details)).toContain("stepUpMinutes");
  });
});
