// The session cookie's JWE without repeated work (session-jwt.ts), around Auth.js's real
// encode/decode (counted, not replaced): a cookie is decrypted once while it is valid, a session's
// cookie is made once a minute, and nothing wrong is ever kept or handed to another session.
import { afterEach, describe, expect, it, vi } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { cachedSessionJwt, REUSE_MS } from "./session-jwt";

const secret = "a-test-secret-that-is-long-enough-for-hkdf";
const salt = "authjs.session-token";

function counted() {
  const calls = { decode: 0, encode: 0 };
  const codec = cachedSessionJwt({
    decode: (p) => ((calls.decode += 1), decode(p)),
    encode: (p) => ((calls.encode += 1), encode(p)),
  });
  return { codec, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("session cookie JWE cache", () => {
  it("decrypts a cookie once and hands out copies of its payload", async () => {
    const { codec, calls } = counted();
    const cookie = await encode({ token: { uid: "u1", sid: "s1", sub: "u1" }, secret, salt, maxAge: 600 });
    const first = await codec.decode({ token: cookie, secret, salt });
    expect(first).toMatchObject({ uid: "u1", sid: "s1" });
    first!.uid = "changed by a callback";
    const second = await codec.decode({ token: cookie, secret, salt });
    expect(second).toMatchObject({ uid: "u1", sid: "s1" });
    expect(calls.decode).toBe(1);
  });

  it("decrypts again once the cookie's exp has passed, and keeps nothing that fails", async () => {
    const { codec, calls } = counted();
    const cookie = await encode({ token: { uid: "u1", sid: "s1" }, secret, salt, maxAge: 60 });
    await codec.decode({ token: cookie, secret, salt });
    vi.useFakeTimers({ now: Date.now() + 120_000, toFake: ["Date"] });
    // Past exp (and Auth.js's 15 s tolerance): Auth.js itself decides, and refuses.
    await expect(codec.decode({ token: cookie, secret, salt })).rejects.toThrow();
    expect(calls.decode).toBe(2);
    vi.useRealTimers();
    const tampered = cookie.slice(0, -4) + (cookie.endsWith("AAAA") ? "BBBB" : "AAAA");
    await expect(codec.decode({ token: tampered, secret, salt })).rejects.toThrow();
    await expect(codec.decode({ token: tampered, secret, salt })).rejects.toThrow();
    expect(calls.decode).toBe(4);
  });

  it("makes one cookie per session per minute, and never another session's", async () => {
    const { codec, calls } = counted();
    const a = await codec.encode({ token: { uid: "u1", sid: "s1", iat: 1, exp: 2, jti: "x" }, secret, salt, maxAge: 600 });
    const again = await codec.encode({ token: { uid: "u1", sid: "s1", iat: 5, exp: 9, jti: "y" }, secret, salt, maxAge: 600 });
    expect(again).toBe(a);
    const other = await codec.encode({ token: { uid: "u1", sid: "s2" }, secret, salt, maxAge: 600 });
    expect(other).not.toBe(a);
    expect(await decode({ token: other, secret, salt })).toMatchObject({ uid: "u1", sid: "s2" });
    expect(calls.encode).toBe(2);
    vi.useFakeTimers({ now: Date.now() + REUSE_MS + 1000, toFake: ["Date"] });
    const later = await codec.encode({ token: { uid: "u1", sid: "s1" }, secret, salt, maxAge: 600 });
    expect(later).not.toBe(a);
    expect(calls.encode).toBe(3);
  });
});
