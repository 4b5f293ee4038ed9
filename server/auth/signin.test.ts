// Sign-in: one answer for unknown user and wrong password, suspended users refused, brute-force
// throttling on real Redis (shared across instances) and in memory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { authenticate } from "./credentials";
import { hashPassword } from "./password";
import { onPlatform } from "../db/doors";
import { createUser, setUserStatus } from "../repos/platform-users";
import { uniq } from "../testing/fixtures";
import { closeRedis } from "../redis";
import { env } from "../env";

const PASSWORD = "correct horse battery staple";
let email: string;
let userId: string;
const redis = new Redis(process.env.REDIS_URL!);

beforeAll(async () => {
  email = `${uniq("signin")}@example.test`;
  const u = await onPlatform(async (db) => createUser(db, { email, name: "Signer", passwordHash: await hashPassword(PASSWORD) }));
  userId = u.id;
});
afterAll(async () => {
  await closeRedis();
  redis.disconnect();
});

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}-${uniq()}`;

describe("authenticate", () => {
  it("accepts the right password (e-mail case-insensitive)", async () => {
    const r = await authenticate({ email: email.toUpperCase(), password: PASSWORD }, ip());
    expect(r).toMatchObject({ ok: true, user: { id: userId, email } });
  });

  it("gives the same answer for an unknown user and a wrong password, and never echoes input", async () => {
    const wrong = await authenticate({ email, password: "nope" }, ip());
    const unknown = await authenticate({ email: `${uniq("ghost")}@example.test`, password: "nope" }, ip());
    const malformed = await authenticate({ email: "not-an-email", password: "" }, ip());
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(malformed).toEqual(wrong);
  });

  it("refuses a suspended user with the same answer", async () => {
    const e = `${uniq("susp")}@example.test`;
    const u = await onPlatform(async (db) => createUser(db, { email: e, name: "S", passwordHash: await hashPassword(PASSWORD) }));
    await onPlatform((db) => setUserStatus(db, u.id, "suspended"));
    expect(await authenticate({ email: e, password: PASSWORD }, ip())).toEqual({ ok: false, reason: "invalid" });
  });

  it("throttles after SIGNIN_THROTTLE_ATTEMPTS failures per e-mail+IP — even the right password — on Redis", async () => {
    const from = ip();
    for (let i = 0; i < env.SIGNIN_THROTTLE_ATTEMPTS; i++) {
      expect(await authenticate({ email, password: `wrong-${i}` }, from)).toEqual({ ok: false, reason: "invalid" });
    }
    const blocked = await authenticate({ email, password: PASSWORD }, from);
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    if (!blocked.ok && blocked.reason === "throttled") expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    // The counter lives in Redis (shared by every instance), keyed per account and IP.
    const keys = await redis.keys("credo:signin:acct*");
    expect(keys.some((k) => k.includes(email) && k.includes(from))).toBe(true);
    // Another IP is not blocked by this one's failures.
    expect(await authenticate({ email, password: PASSWORD }, ip())).toMatchObject({ ok: true });
  });
});
