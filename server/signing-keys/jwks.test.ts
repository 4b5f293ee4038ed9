// The public, session-less documents through their route handlers: each tenant's JWKS and OpenID
// discovery document, caching (ETag / 304), one 404 for every unknown or malformed slug, and kids
// unique across tenants.
import { beforeAll, describe, expect, it } from "vitest";
import { GET as jwksGET } from "@/app/api/public/tenants/[tenant]/jwks/route";
import { GET as discoveryGET } from "@/app/api/public/tenants/[tenant]/openid-configuration/route";
import { inTenant, onPlatform } from "../db/doors";
import { SYSTEM_ACTOR } from "../audit/record";
import { claimGlobalIdentifier, findIdentifierOwner, IDENTIFIER_KINDS } from "../tenancy/global-identifiers-repository";
import { makeTenant } from "../testing/fixtures";
import { invalidationBus } from "../cache/invalidation";
import { issuerFor } from "./issuer";
import { generateSigningKey } from "./jose";
import { storeNewKey } from "./key-material";
import { promoteNextKey, publicJwks, revokeKey, stageNextKey } from "./service";
import { keysOf, PRIVATE_JWK_MEMBERS, PUBLIC_JWK_MEMBERS, superuserPool, systemAuditor, thrown } from "../testing/signing-keys";

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  // B gets a next and a previous key too, so there is more of B that must not leak into A.
  await inTenant(b.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "RS256", modulusLength: 2048 }));
  await inTenant(b.id, (s) => promoteNextKey(s, systemAuditor(s)));
  await inTenant(b.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "EdDSA" }));
});

const ctx = (tenant: string) => ({ params: Promise.resolve({ tenant }) });
const get = (route: typeof jwksGET, tenant: string, headers: Record<string, string> = {}) =>
  route(new Request(`http://localhost/${encodeURIComponent(tenant)}/.well-known/x`, { headers }), ctx(tenant));

async function jwksOf(slug: string): Promise<{ res: Response; body: { keys: Record<string, unknown>[] } }> {
  const res = await get(jwksGET, slug);
  expect(res.status).toBe(200);
  return { res, body: (await res.json()) as { keys: Record<string, unknown>[] } };
}

const publishedKids = async (t: Tenant) =>
  (await keysOf(t.id)).filter((k) => k.state !== "revoked").map((k) => k.kid).sort();

describe("JWKS", () => {
  it("holds exactly the tenant's published kids, none of another tenant's", async () => {
    const { body: jwksA } = await jwksOf(a.slug);
    const { body: jwksB } = await jwksOf(b.slug);
    expect(jwksA.keys.map((k) => k.kid).sort()).toEqual(await publishedKids(a));
    expect(jwksB.keys.map((k) => k.kid).sort()).toEqual(await publishedKids(b));
    expect(jwksB.keys).toHaveLength(3);
    const kidsB = new Set(jwksB.keys.map((k) => k.kid));
    expect(jwksA.keys.some((k) => kidsB.has(k.kid))).toBe(false);
  });

  it("publishes public members only, each key marked for signatures", async () => {
    const { body } = await jwksOf(b.slug);
    for (const key of body.keys) {
      for (const m of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(m);
      for (const m of Object.keys(key)) expect(PUBLIC_JWK_MEMBERS as readonly string[]).toContain(m);
      expect(key.use).toBe("sig");
      expect(["ES256", "RS256", "EdDSA"]).toContain(key.alg);
    }
    expect(new Set(body.keys.map((k) => k.kty))).toEqual(new Set(["EC", "RSA", "OKP"]));
  });

  it("is cacheable: Cache-Control with max-age, an ETag, and 304 for a matching If-None-Match", async () => {
    const { res } = await jwksOf(a.slug);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toMatch(/(^|[ ,])max-age=\d+/);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);

    const again = await get(jwksGET, a.slug, { "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect((await get(jwksGET, a.slug, { "if-none-match": `W/${etag}` })).status).toBe(304);
    expect((await get(jwksGET, a.slug, { "if-none-match": `"other", ${etag}` })).status).toBe(304);
    expect((await get(jwksGET, a.slug, { "if-none-match": '"other"' })).status).toBe(200);
    // Another tenant's ETag is not A's.
    const etagB = (await jwksOf(b.slug)).res.headers.get("etag");
    expect(etagB).not.toBe(etag);
    expect((await get(jwksGET, a.slug, { "if-none-match": etagB! })).status).toBe(200);
  });

  it("changes (new ETag, new kid) after a stage and after a revoke", async () => {
    const t = await makeTenant();
    const first = await jwksOf(t.slug);
    const staged = await inTenant(t.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }));
    const second = await jwksOf(t.slug);
    expect(second.res.headers.get("etag")).not.toBe(first.res.headers.get("etag"));
    expect(second.body.keys.map((k) => k.kid)).toContain(staged.kid);
    const stale = await get(jwksGET, t.slug, { "if-none-match": first.res.headers.get("etag")! });
    expect(stale.status).toBe(200);

    const oldKid = first.body.keys[0]!.kid as string;
    const oldId = (await keysOf(t.id)).find((k) => k.kid === oldKid)!.id;
    await inTenant(t.id, (s) => promoteNextKey(s, systemAuditor(s)));
    await inTenant(t.id, (s) => revokeKey(s, systemAuditor(s), { keyId: oldId }));
    const third = await jwksOf(t.slug);
    expect(third.body.keys.map((k) => k.kid)).toEqual([staged.kid]);
    expect(third.res.headers.get("etag")).not.toBe(second.res.headers.get("etag"));
  });
});

describe("unknown, malformed and deleted tenants", () => {
  it("all get the same 404, not cached", async () => {
    const known = await get(jwksGET, "no-such-tenant-0000");
    expect(known.status).toBe(404);
    const body = await known.text();
    expect(known.headers.get("cache-control")).toBe("no-store");
    expect(known.headers.get("etag")).toBeNull();
    for (const route of [jwksGET, discoveryGET]) {
      for (const slug of ["no-such-tenant-0000", "../x", "A B", "x".repeat(2000), a.slug.toUpperCase(), `${a.slug}/`, "", a.id]) {
        const res = await get(route, slug);
        expect({ slug: slug.slice(0, 40), status: res.status }).toEqual({ slug: slug.slice(0, 40), status: 404 });
        expect(await res.text()).toBe(body);
      }
    }
  });

  it("a tenant pending deletion publishes nothing", async () => {
    const t = await makeTenant();
    expect((await get(jwksGET, t.slug)).status).toBe(200);
    const pool = superuserPool();
    try {
      await pool.query("UPDATE tenants SET status = 'pending_deletion' WHERE id = $1", [t.id]);
    } finally {
      await pool.end();
    }
    // A change made behind the app's back reaches the cache through the bus (server/cache/invalidation.ts).
    await invalidationBus().settled();
    expect((await get(jwksGET, t.slug)).status).toBe(404);
    expect((await get(discoveryGET, t.slug)).status).toBe(404);
  });
});

describe("OpenID discovery", () => {
  it("names the tenant's issuer and a JWKS URI under it, and the algorithms of its published keys", async () => {
    const res = await get(discoveryGET, b.slug);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(res.headers.get("etag")).toBeTruthy();
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.issuer).toBe(issuerFor(b.slug));
    expect(doc.jwks_uri).toBe(`${issuerFor(b.slug)}/.well-known/jwks.json`);
    expect(String(doc.jwks_uri).endsWith("/.well-known/jwks.json")).toBe(true);
    expect(doc.id_token_signing_alg_values_supported).toEqual(["ES256", "RS256", "EdDSA"]);
    const docA = (await (await get(discoveryGET, a.slug)).json()) as Record<string, unknown>;
    expect(docA.issuer).toBe(issuerFor(a.slug));
    expect(docA.issuer).not.toBe(doc.issuer);
    expect(docA.id_token_signing_alg_values_supported).toEqual(["ES256"]);
  });

  it("ignores the request's Host: the issuer comes from configuration", async () => {
    const res = await discoveryGET(new Request("http://evil.example/x", { headers: { host: "evil.example", "x-forwarded-host": "evil.example" } }), ctx(a.slug));
    const text = await res.text();
    expect(text).not.toContain("evil.example");
    expect(JSON.parse(text).issuer).toBe(issuerFor(a.slug));
  });
});

describe("kids are unique across tenants", () => {
  it("every kid is registered to its tenant, and another tenant cannot claim it", async () => {
    const kidA = (await keysOf(a.id))[0]!.kid;
    expect(await onPlatform((db) => findIdentifierOwner(db, IDENTIFIER_KINDS.signingKeyKid, kidA))).toBe(a.id);
    for (const k of await keysOf(b.id)) {
      expect(await onPlatform((db) => findIdentifierOwner(db, IDENTIFIER_KINDS.signingKeyKid, k.kid))).toBe(b.id);
    }
    // A unique violation (Prisma P2002), whichever tenant asks: a kid is claimed once.
    for (const owner of [b.id, a.id]) {
      const e = await thrown(inTenant(owner, (s) => claimGlobalIdentifier(s.db, IDENTIFIER_KINDS.signingKeyKid, kidA, owner)));
      expect((e as { code?: string }).code).toBe("P2002");
    }
    expect(await onPlatform((db) => findIdentifierOwner(db, IDENTIFIER_KINDS.signingKeyKid, kidA))).toBe(a.id);
  });

  it("storing a key for B under A's kid fails and stores nothing (the claim is part of storing)", async () => {
    const keyA = (await inTenant(a.id, publicJwks)).keys[0]!;
    const before = await keysOf(b.id);
    const generated = await generateSigningKey("ES256");
    const e = await thrown(
      inTenant(b.id, (s) => storeNewKey(s, { ...generated, kid: keyA.kid, publicJwk: { ...generated.publicJwk, kid: keyA.kid } }, "next", null, new Date())),
    );
    expect((e as { code?: string }).code).toBe("P2002");
    expect(await keysOf(b.id)).toEqual(before);
  });
});
