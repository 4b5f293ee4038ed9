// Token verification bound to one tenant: a token of tenant A verifies for A only, with the right
// audience, before it expires, and the classic JOSE confusions (alg none, HS256 keyed with the
// public key, alg/key mismatch) are refused. Previous keys keep verifying until revoked.
import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { inTenant } from "../db/doors";
import { SYSTEM_ACTOR } from "../audit/record";
import { makeTenant } from "../testing/fixtures";
import { issuerFor } from "./issuer";
import { loadCurrentSigningKey } from "./key-material";
import { promoteNextKey, publicJwks, revokeKey, rotateAndRevoke, signToken, stageNextKey, type TokenClaims } from "./service";
import { keysOf, systemAuditor, thrown } from "../testing/signing-keys";
import { TokenRejectedError, verifyTenantToken } from "./verify-token";

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
});

const AUD = "api://orders";
const pub = (t: Tenant) => ({ tenantId: t.id, slug: t.slug });
const signFor = (t: Tenant, claims: Partial<TokenClaims> = {}) => inTenant(t.id, (s) => signToken(s, { aud: AUD, sub: "user-1", ...claims }));
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function expectRejected(t: Tenant, token: string, audience: string = AUD): Promise<TokenRejectedError> {
  const e = await thrown(verifyTenantToken(pub(t), token, { audience }));
  expect(e).toBeInstanceOf(TokenRejectedError);
  // The message tells an attacker nothing specific.
  expect((e as Error).message).toBe("The token is not valid for this tenant.");
  return e as TokenRejectedError;
}

describe("a token signed by tenant A", () => {
  it("verifies for A with the right audience; header carries the current key's kid and alg", async () => {
    const token = await signFor(a);
    const claims = await verifyTenantToken(pub(a), token, { audience: AUD });
    expect(claims).toMatchObject({ sub: "user-1", aud: AUD, iss: issuerFor(a.slug) });
    expect(typeof claims.exp).toBe("number");
    const [current] = await keysOf(a.id);
    expect(headerOf(token)).toEqual({ alg: "ES256", kid: current!.kid, typ: "JWT" });
    // One of several accepted audiences.
    await expect(verifyTenantToken(pub(a), token, { audience: ["api://other", AUD] })).resolves.toBeTruthy();
  });

  it("fails for tenant B", async () => {
    expect((await expectRejected(b, await signFor(a))).reason).toBe("ERR_JWKS_NO_MATCHING_KEY");
  });

  it("fails for B even when signed with A's key under B's issuer (B's JWKS lacks A's kid)", async () => {
    const signing = (await inTenant(a.id, loadCurrentSigningKey))!;
    const forged = await new SignJWT({ sub: "user-1" })
      .setProtectedHeader({ alg: signing.alg, kid: signing.kid })
      .setIssuer(issuerFor(b.slug))
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(signing.key);
    await expectRejected(b, forged);
    // And for A it fails on the issuer.
    expect((await expectRejected(a, forged)).reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
  });

  it("cannot choose its issuer: a caller-supplied iss is replaced by the tenant's", async () => {
    const token = await inTenant(a.id, (s) => signToken(s, { aud: AUD, iss: issuerFor(b.slug) } as TokenClaims));
    expect((await verifyTenantToken(pub(a), token, { audience: AUD })).iss).toBe(issuerFor(a.slug));
    await expectRejected(b, token);
  });

  it("fails with the wrong audience", async () => {
    expect((await expectRejected(a, await signFor(a), "api://billing")).reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
  });

  it("fails once expired (beyond the clock tolerance), and without exp", async () => {
    const expired = await signFor(a, { exp: nowSeconds() - 120, iat: nowSeconds() - 600 });
    expect((await expectRejected(a, expired)).reason).toBe("ERR_JWT_EXPIRED");
    // Within the tolerance it still passes; later, judged at a future `now`, it fails.
    const fresh = await signFor(a, { exp: nowSeconds() + 60 });
    await expect(verifyTenantToken(pub(a), fresh, { audience: AUD })).resolves.toBeTruthy();
    const later = await thrown(verifyTenantToken(pub(a), fresh, { audience: AUD, now: new Date(Date.now() + 3_600_000) }));
    expect(later).toBeInstanceOf(TokenRejectedError);
    // Signed by A's real key, right issuer and audience, but no exp: refused (required claim).
    const signing = (await inTenant(a.id, loadCurrentSigningKey))!;
    const forever = await new SignJWT({ sub: "user-1" })
      .setProtectedHeader({ alg: signing.alg, kid: signing.kid })
      .setIssuer(issuerFor(a.slug))
      .setAudience(AUD)
      .sign(signing.key);
    expect((await expectRejected(a, forever)).reason).toBe("ERR_JWT_CLAIM_VALIDATION_FAILED");
  });

  it("fails when a byte of the signature or payload is changed", async () => {
    const token = await signFor(a);
    const [h, p, sig] = token.split(".") as [string, string, string];
    const flipped = `${h}.${p}.${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`;
    await expectRejected(a, flipped);
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    await expectRejected(a, `${h}.${b64url({ ...payload, sub: "admin" })}.${sig}`);
  });
});

describe("JOSE confusions", () => {
  it("alg none is refused", async () => {
    const [current] = await keysOf(a.id);
    const claims = { iss: issuerFor(a.slug), aud: AUD, sub: "user-1", exp: nowSeconds() + 300, iat: nowSeconds() };
    for (const alg of ["none", "None", "NONE"]) {
      expect((await expectRejected(a, `${b64url({ alg, typ: "JWT" })}.${b64url(claims)}.`)).reason).toBe("ERR_JOSE_ALG_NOT_ALLOWED");
      expect((await expectRejected(a, `${b64url({ alg, typ: "JWT", kid: current!.kid })}.${b64url(claims)}.`)).reason).toBe("ERR_JOSE_ALG_NOT_ALLOWED");
    }
  });

  it("HS256 keyed with A's public JWK (or its PEM) is refused", async () => {
    const jwk = (await inTenant(a.id, publicJwks)).keys[0]!;
    const secrets = [
      new TextEncoder().encode(JSON.stringify(jwk)),
      new TextEncoder().encode(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })),
    ];
    for (const secret of secrets) {
      for (const alg of ["HS256", "HS512"]) {
        const token = await new SignJWT({ sub: "user-1" })
          .setProtectedHeader({ alg, kid: jwk.kid })
          .setIssuer(issuerFor(a.slug))
          .setAudience(AUD)
          .setExpirationTime("5m")
          .sign(secret);
        expect((await expectRejected(a, token)).reason).toBe("ERR_JOSE_ALG_NOT_ALLOWED");
      }
    }
  });

  it("a header claiming RS256 for A's ES256 kid is refused", async () => {
    const jwk = (await inTenant(a.id, publicJwks)).keys[0]!;
    expect(jwk.alg).toBe("ES256");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const token = await new SignJWT({ sub: "user-1" })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
      .setIssuer(issuerFor(a.slug))
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(privateKey);
    expect((await expectRejected(a, token)).reason).toBe("ERR_JWKS_NO_MATCHING_KEY");
    // And a token signed with some other EC key under A's kid.
    const { privateKey: ec } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const other = await new SignJWT({ sub: "user-1" })
      .setProtectedHeader({ alg: "ES256", kid: jwk.kid })
      .setIssuer(issuerFor(a.slug))
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(ec);
    expect((await expectRejected(a, other)).reason).toBe("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  it("a key embedded in the header (jwk / jku) is not trusted", async () => {
    const kid = (await keysOf(a.id))[0]!.kid;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const attackerJwk = publicKey.export({ format: "jwk" });
    const token = await new SignJWT({ sub: "admin" })
      .setProtectedHeader({ alg: "ES256", kid, jwk: { ...attackerJwk, kty: "EC" }, jku: "https://attacker.example/jwks.json" })
      .setIssuer(issuerFor(a.slug))
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(privateKey);
    // Refused because A's published key does not verify it, not for the header's shape.
    expect((await expectRejected(a, token)).reason).toBe("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  it("garbage and oversized tokens are refused as malformed", async () => {
    for (const token of ["", "abc", "a.b.c", "x".repeat(20_000)]) await expectRejected(a, token);
  });
});

describe("across rotation", () => {
  it("a token of a previous key verifies until that key is revoked", async () => {
    const t = await makeTenant();
    const [first] = await keysOf(t.id);
    const oldToken = await signFor(t);
    await inTenant(t.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }));
    // A staged key does not sign yet.
    expect(headerOf(await signFor(t)).kid).toBe(first!.kid);
    const promoted = await inTenant(t.id, (s) => promoteNextKey(s, systemAuditor(s)));
    const newToken = await signFor(t);
    expect(headerOf(newToken).kid).toBe(promoted.kid);

    await expect(verifyTenantToken(pub(t), oldToken, { audience: AUD })).resolves.toMatchObject({ sub: "user-1" });
    await expect(verifyTenantToken(pub(t), newToken, { audience: AUD })).resolves.toMatchObject({ sub: "user-1" });

    await inTenant(t.id, (s) => revokeKey(s, systemAuditor(s), { keyId: first!.id }));
    expect((await expectRejected(t, oldToken)).reason).toBe("ERR_JWKS_NO_MATCHING_KEY");
    await expect(verifyTenantToken(pub(t), newToken, { audience: AUD })).resolves.toBeTruthy();
  });

  it("RS256 and EdDSA keys sign tokens that verify, with the header naming the algorithm", async () => {
    const t = await makeTenant();
    for (const input of [{ alg: "RS256", modulusLength: 2048 }, { alg: "EdDSA" }] as const) {
      const key = await inTenant(t.id, (s) => rotateAndRevoke(s, systemAuditor(s), SYSTEM_ACTOR, input));
      const token = await signFor(t);
      expect(headerOf(token)).toMatchObject({ alg: input.alg, kid: key.kid });
      await expect(verifyTenantToken(pub(t), token, { audience: AUD })).resolves.toMatchObject({ sub: "user-1" });
      await expectRejected(b, token);
    }
  });
});
