// The platform signing key: configuration rules (refused missing in production, dev key generated
// locally), detached JWS over canonical JSON that verifies only unchanged and only with the platform's
// keys, and the public JWKS (no private members; retired keys still published).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, type Env } from "../env";
import {
  devPlatformKeyFile,
  generatePlatformPrivateJwk,
  PlatformKeyConfigError,
  platformKeyFromEnv,
  platformKeyFromJwk,
  platformPublicJwks,
  PlatformSignatureError,
  signPlatformJson,
  verifyPlatformJws,
} from ".";
import { GET } from "../../app/api/public/platform-keys/route";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "credo-platform-key-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const envWith = (over: Partial<Env>): Env => ({ ...env, PLATFORM_SIGNING_KEY: undefined, PLATFORM_PREVIOUS_PUBLIC_KEYS: undefined, ...over });

describe("platform signing key", () => {
  it("is required in production on a real database; locally a dev key is generated once and reused", async () => {
    await expect(platformKeyFromEnv(envWith({ NODE_ENV: "production", CREDO_EMBEDDED: "0", CREDO_DATA_DIR: dir }))).rejects.toBeInstanceOf(PlatformKeyConfigError);
    const dev = envWith({ NODE_ENV: "development", CREDO_DATA_DIR: dir });
    const a = await platformKeyFromEnv(dev);
    const b = await platformKeyFromEnv(dev);
    expect(a.kid).toBe(b.kid);
    expect(JSON.parse(await readFile(devPlatformKeyFile(dev), "utf8"))).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    // Embedded (a local demo) may use the dev key even under `npm start`.
    expect((await platformKeyFromEnv(envWith({ NODE_ENV: "production", CREDO_EMBEDDED: "1", CREDO_DATA_DIR: dir }))).kid).toBe(a.kid);
    await expect(platformKeyFromEnv(envWith({ PLATFORM_SIGNING_KEY: '{"kty":"EC"}' }))).rejects.toThrow(/Ed25519 JWK/);
  });

  it("signs canonical JSON with a detached JWS that verifies only unchanged and only with the platform's keys", async () => {
    const jwk = await generatePlatformPrivateJwk();
    const e = envWith({ PLATFORM_SIGNING_KEY: JSON.stringify(jwk) });
    const key = await platformKeyFromEnv(e);
    const jwks = await platformPublicJwks(e);
    const doc = { b: 1, a: { y: "z", x: [1, 2] } };
    const jws = await signPlatformJson(doc, { key, typ: "test+json" });
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    // Key order does not matter (canonical JSON); content does.
    expect(await verifyPlatformJws(jws, jwks, { a: { x: [1, 2], y: "z" }, b: 1 })).toMatchObject({ kid: key.kid, typ: "test+json" });
    await expect(verifyPlatformJws(jws, jwks, { ...doc, b: 2 })).rejects.toBeInstanceOf(PlatformSignatureError);
    await expect(verifyPlatformJws(jws, jwks)).rejects.toThrow(/detached/);
    const other = await platformKeyFromJwk(await generatePlatformPrivateJwk());
    await expect(verifyPlatformJws(jws, { keys: [other.publicJwk] }, doc)).rejects.toBeInstanceOf(PlatformSignatureError);
  });

  it("publishes public members only, the current key first, retired keys after", async () => {
    const current = await generatePlatformPrivateJwk();
    const retired = await platformKeyFromJwk(await generatePlatformPrivateJwk());
    const e = envWith({ PLATFORM_SIGNING_KEY: JSON.stringify(current), PLATFORM_PREVIOUS_PUBLIC_KEYS: JSON.stringify({ keys: [retired.publicJwk] }) });
    const jwks = await platformPublicJwks(e);
    expect(jwks.keys.map((k) => k.kid)).toEqual([(await platformKeyFromJwk(current)).kid, retired.kid]);
    for (const k of jwks.keys) expect(Object.keys(k).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
    await expect(platformPublicJwks(envWith({ PLATFORM_SIGNING_KEY: JSON.stringify(current), PLATFORM_PREVIOUS_PUBLIC_KEYS: JSON.stringify({ keys: [current] }) }))).rejects.toThrow(/public/);
  });

  it("GET /api/public/platform-keys serves this process's public JWKS", async () => {
    const res = await GET(new Request("http://test/api/public/platform-keys"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(JSON.stringify(body)).not.toMatch(/"d"/);
    expect(res.headers.get("etag")).toBeTruthy();
  });
});
