// Sign-in: one answer for unknown user and wrong password, suspended users refused, brute-force
// throttling on real Redis (shared across instances) and in memory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { authenticate } from "./credentials";
import { hashPassword } from "./password";
import { onPlatform } from "../db/doors";
import { createUser, setUserStatus } from "../accounts/platform-users-repository";
import { uniq } from "../testing/fixtures";
import { closeRedis } from "../redis";
import { env } from "../env";
import { clientIp } from "../http/request-meta";
import { PEER_HEADER, peerStamp } from "../http/client-ip";
import { accountDelaySeconds, ACCOUNT_MAX_DELAY_SECONDS } from "./throttle";

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

// Issue 12: the client address came from X-Forwarded-For, so rotating it bought unlimited guesses.
describe("sign-in throttling against a client that chooses its own X-Forwarded-For", () => {
  const fromSocket = (socket: string, forwardedFor: string) =>
    clientIp(new Headers({ [PEER_HEADER]: peerStamp(socket), "x-forwarded-for": forwardedFor })) ?? "unknown";

  it("six wrong passwords with X-Forwarded-For A, then the right one with B: still throttled (no trusted proxy)", async () => {
    const e = `${uniq("xff")}@example.test`;
    await onPlatform(async (db) => createUser(db, { email: e, name: "X", passwordHash: await hashPassword(PASSWORD) }));
    const socket = `203.0.113.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 6; i++) await authenticate({ email: e, password: `wrong-${i}` }, fromSocket(socket, "198.51.100.7"));
    const r = await authenticate({ email: e, password: PASSWORD }, fromSocket(socket, "198.51.100.8"));
    expect(r).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("rotating addresses: past SIGNIN_ACCOUNT_ATTEMPTS failures the account waits (progressive, not a lock); a known address still gets in", async () => {
    const e = `${uniq("rotate")}@example.test`;
    await onPlatform(async (db) => createUser(db, { email: e, name: "R", passwordHash: await hashPassword(PASSWORD) }));
    const home = ip();
    expect(await authenticate({ email: e, password: PASSWORD }, home)).toMatchObject({ ok: true });
    // One failure per address: no e-mail+IP or IP limit is ever reached.
    for (let i = 0; i <= env.SIGNIN_ACCOUNT_ATTEMPTS; i++) {
      expect(await authenticate({ email: e, password: `wrong-${i}` }, ip())).toEqual({ ok: false, reason: "invalid" });
    }
    const fresh = await authenticate({ email: e, password: PASSWORD }, ip());
    expect(fresh).toMatchObject({ ok: false, reason: "throttled" });
    if (!fresh.ok && fresh.reason === "throttled") expect(fresh.retryAfterSeconds).toBeLessThanOrEqual(accountDelaySeconds(env.SIGNIN_ACCOUNT_ATTEMPTS + 1));
    // The address this operator signed in from before is not held up by strangers' failures.
    expect(await authenticate({ email: e, password: PASSWORD }, home)).toMatchObject({ ok: true });
  });

  it("the account-wide wait doubles per failure and is capped (it ends by itself)", () => {
    const n = env.SIGNIN_ACCOUNT_ATTEMPTS;
    expect(accountDelaySeconds(n)).toBe(0);
    expect([1, 2, 3, 4].map((k) => accountDelaySeconds(n + k))).toEqual([2, 4, 8, 16]);
    expect(accountDelaySeconds(n + 40)).toBe(ACCOUNT_MAX_DELAY_SECONDS);
  });
});
