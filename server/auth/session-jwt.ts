// The session cookie's JWE, as Auth.js makes and reads it, without redoing the same work on every
// request (issue 16). Every `auth()` call decodes the cookie and encodes a fresh one (a sliding
// expiry): each derives the key with HKDF and runs the JWE, ~0.4 ms apiece on this machine, on
// every page render and tRPC request.
//
//   * decode: the payload of a cookie already decoded is kept, keyed by the cookie's exact text
//     (an authenticated encryption: the same text always decrypts to the same payload), and used
//     while its `exp` lies ahead. Anything that fails to decode is never kept.
//   * encode: the cookie made for a payload is handed out again for REUSE_MS to the same session
//     (same claims apart from iat/exp/jti, which encode sets), so its expiry slides in steps of a
//     minute rather than on every request.
//
// Neither decides whether a session is good: the server-side session (idle timeout, lifetime,
// revocation) is checked in the database on every request (server/auth/sessions.ts), so a kept
// payload never outlives a sign-out. Auth.js's own encode/decode do the cryptography.
import { decode as authDecode, encode as authEncode, type JWT, type JWTDecodeParams, type JWTEncodeParams } from "next-auth/jwt";
import { Lru } from "../cache/lru";

/** The console's session cookie lifetime (server/auth/auth.ts); the server-side session ends sooner. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** Sessions whose cookies are kept (one entry per live cookie; a few hundred bytes each). */
const ENTRIES = 5000;
/** How long one encoded cookie is handed out again. */
export const REUSE_MS = 60_000;

interface Made {
  readonly token: string;
  readonly at: number;
}

export interface SessionJwtCodec {
  decode(params: JWTDecodeParams): Promise<JWT | null>;
  encode(params: JWTEncodeParams): Promise<string>;
  clear(): void;
}

/** Auth.js's encode/decode (`inner`) with the two caches in front. */
export function cachedSessionJwt(inner: { decode: typeof authDecode; encode: typeof authEncode } = { decode: authDecode, encode: authEncode }): SessionJwtCodec {
  const decoded = new Lru<string, JWT>(ENTRIES);
  const encoded = new Lru<string, Made>(ENTRIES);
  return {
    async decode(params) {
      if (!params.token) return null;
      const key = `${params.salt}\u0000${params.token}`;
      const kept = decoded.get(key);
      // A copy: callers (the jwt callback) may change the token they are given.
      if (kept && typeof kept.exp === "number" && kept.exp * 1000 > Date.now()) return structuredClone(kept);
      const payload = await inner.decode(params);
      if (payload && typeof payload.exp === "number") decoded.set(key, structuredClone(payload));
      return payload;
    },
    async encode(params) {
      const { iat: _iat, exp: _exp, jti: _jti, ...claims } = (params.token ?? {}) as JWT;
      const key = `${params.salt}\u0000${params.maxAge ?? ""}\u0000${JSON.stringify(claims)}`;
      const now = Date.now();
      const made = encoded.get(key);
      if (made && now - made.at < REUSE_MS) return made.token;
      const token = await inner.encode(params);
      encoded.set(key, { token, at: now });
      return token;
    },
    clear() {
      decoded.clear();
      encoded.clear();
    },
  };
}

// One per process (kept across dev reloads).
const globalForJwt = globalThis as unknown as { credoSessionJwt?: SessionJwtCodec };
const codec = (globalForJwt.credoSessionJwt ??= cachedSessionJwt());

export const decodeSession = (params: JWTDecodeParams) => codec.decode(params);
export const encodeSession = (params: JWTEncodeParams) => codec.encode(params);
