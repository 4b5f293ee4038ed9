// API keys end to end through the real HTTP handler (server/api/http.ts → tRPC → PostgreSQL):
// shown once, stored hashed, tenant taken from the key, revocation and expiry on the next request,
// one 401 for every kind of bad key, scopes bounded by the creator and the matrix.
import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { callerFor, makeUser, twoTenantWorld, rejection } from "../testing/fixtures";
import { inTenant } from "../db/doors";
import { auditorFor } from "../audit/record";
import { API_KEY_SCOPES, permissionsOf } from "../isomorphic/auth/permissions";
import { handleTrpcRequest } from "../api/http";
import { INVALID_API_KEY_MESSAGE } from "../tenancy/principal";
import { hashSecret, parseApiKey } from "./format";
import { createApiKey } from "./service";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});

/** A GET of a tRPC query as an API client would send it. */
async function call(path: string, input: unknown, headers: Record<string, string> = {}, method: "GET" | "POST" = "GET") {
  const encoded = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const req =
    method === "GET"
      ? new Request(`http://localhost/api/trpc/${path}?input=${encoded}`, { headers })
      : new Request(`http://localhost/api/trpc/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(superjson.serialize(input)),
        });
  const res = await handleTrpcRequest(req, async () => null);
  const body = (await res.json()) as { result?: { data: unknown }; error?: { json: { message: string; data: { code: string } } } };
  return {
    status: res.status,
    data: body.result ? superjson.deserialize(body.result.data as never) : undefined,
    code: body.error?.json.data.code,
    message: body.error?.json.message,
    wwwAuthenticate: res.headers.get("www-authenticate"),
  };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });


async function newKey(tenant: string, userId: string, scopes: string[] = ["keys.read", "audit.read"], expiresInDays: number | null = 30) {
  return callerFor(userId).apiKeys.create({ tenant, name: `key ${Math.random()}`, scopes: scopes as never, expiresInDays });
}

describe("creating and listing", () => {
  it("returns the full key once; lists and the database never hold the secret", async () => {
    const created = await newKey(w.a.slug, w.ownerA.id);
    const parsed = parseApiKey(created.value);
    expect(parsed).not.toBeNull();
    expect(created.key.prefix).toBe(`tc_${parsed!.publicId}_…`);
    expect(created.key.scopes).toEqual(["audit.read", "keys.read"]);
    expect(created.key.createdByLabel).toBe(w.ownerA.email);

    const list = await callerFor(w.ownerA.id).apiKeys.list({ tenant: w.a.slug });
    const listed = list.items.find((k) => k.id === created.key.id)!;
    expect(listed.status).toBe("active");
    expect(JSON.stringify(list)).not.toContain(parsed!.secret);
    expect(JSON.stringify(list)).not.toContain("secretHash");

    const row = await inTenant(w.a.id, (s) => s.db.apiKey.findUniqueOrThrow({ where: { tenantId_id: { tenantId: s.tenantId, id: created.key.id } } }));
    expect(Buffer.from(row.secretHash).equals(hashSecret(parsed!.secret))).toBe(true);
    expect(JSON.stringify(row)).not.toContain(parsed!.secret);

    const audit = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetId: created.key.id } }));
    expect(audit.map((e) => e.action)).toEqual(["api_key.created"]);
    expect(JSON.stringify(audit.map((e) => ({ ...e, id: String(e.id), seq: String(e.seq) })))).not.toContain(parsed!.secret);
  });

  it("scopes: a subset of the creator's permissions, never the human-only ones; bad input changes nothing", async () => {
    const owner = callerFor(w.ownerA.id);
    const before = (await owner.apiKeys.list({ tenant: w.a.slug })).items.length;
    expect(await rejection(newKey(w.a.slug, w.ownerA.id, ["apikeys.manage"]))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/only people/) });
    expect(await rejection(newKey(w.a.slug, w.ownerA.id, ["members.manage"]))).toMatchObject({ code: "BAD_REQUEST" });
    // Pausing a tenant is a platform permission (platform.tenants.pause), never a key scope.
    expect(await rejection(newKey(w.a.slug, w.ownerA.id, ["tenant.pause"]))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Unknown scope/) });
    expect(await rejection(newKey(w.a.slug, w.ownerA.id, ["platform.tenants.pause"]))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Unknown scope/) });
    expect((await rejection(newKey(w.a.slug, w.ownerA.id, []))).message).toMatch(/at least one scope/);
    expect((await rejection(newKey(w.a.slug, w.ownerA.id, ["nope"]))).code).toBe("BAD_REQUEST");
    expect((await rejection(newKey(w.a.slug, w.ownerA.id, ["keys.read"], 0))).message).toMatch(/at least one day/);
    expect((await rejection(newKey(w.a.slug, w.ownerA.id, ["keys.read"], 5000))).message).toMatch(/at most 730 days/);
    expect((await rejection(owner.apiKeys.create({ tenant: w.a.slug, name: "  ", scopes: ["keys.read"], expiresInDays: 1 }))).message).toMatch(/name/);
    expect((await owner.apiKeys.list({ tenant: w.a.slug })).items.length).toBe(before);

    const grantable = (await owner.apiKeys.list({ tenant: w.a.slug })).grantableScopes;
    expect(grantable).toContain("keys.manage");
    expect(grantable).not.toContain("apikeys.manage");
    expect(grantable).not.toContain("tenant.pause");
  });

  it("support cannot see or create keys", async () => {
    const support = callerFor(w.supportA.id);
    expect((await rejection(support.apiKeys.list({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
    expect((await rejection(newKey(w.a.slug, w.supportA.id))).code).toBe("FORBIDDEN");
  });
});

describe("calling the API with a key", () => {
  it("resolves the tenant from the key, records last use, and audits as the key", async () => {
    const created = await newKey(w.a.slug, w.ownerA.id, ["keys.read", "keys.manage"]);
    expect(created.key.lastUsedAt).toBeNull();
    const res = await call("keys.list", { tenant: w.a.slug }, bearer(created.value));
    expect(res.status).toBe(200);
    const kids = (res.data as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const aKids = await inTenant(w.a.id, (s) => s.db.signingKey.findMany({ where: { tenantId: s.tenantId }, select: { kid: true } }));
    expect(kids.sort()).toEqual(aKids.map((k) => k.kid).sort());

    const listed = (await callerFor(w.ownerA.id).apiKeys.list({ tenant: w.a.slug })).items.find((k) => k.id === created.key.id)!;
    expect(listed.lastUsedAt).toBeInstanceOf(Date);

    const staged = await call("keys.stage", { tenant: w.a.slug, alg: "ES256" }, bearer(created.value), "POST");
    expect(staged.status).toBe(200);
    const event = await inTenant(w.a.id, (s) =>
      s.db.auditEvent.findFirstOrThrow({ where: { tenantId: s.tenantId, action: "signing_key.staged" }, orderBy: { id: "desc" } }),
    );
    expect(event).toMatchObject({ actorType: "api_key", actorId: created.key.publicId, actorLabel: created.key.name });
  });

  it("a path naming another tenant is refused like a missing tenant; tenant headers are refused", async () => {
    const created = await newKey(w.a.slug, w.ownerA.id);
    const other = await call("keys.list", { tenant: w.b.slug }, bearer(created.value));
    const missing = await call("keys.list", { tenant: "no-such-tenant-zz" }, bearer(created.value));
    expect(other).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(other.message).toBe(missing.message);
    for (const header of ["x-tenant-id", "X-Tenant", "x-org-id"]) {
      const r = await call("keys.list", { tenant: w.a.slug }, { ...bearer(created.value), [header]: w.b.id });
      expect(r).toMatchObject({ status: 400, code: "BAD_REQUEST" });
      expect(r.message).toMatch(/tenant comes from the URL path/);
    }
  });

  it("scopes limit what a key may do; user and platform procedures refuse keys", async () => {
    const created = await newKey(w.a.slug, w.ownerA.id, ["keys.read"]);
    expect((await call("keys.stage", { tenant: w.a.slug, alg: "ES256" }, bearer(created.value), "POST")).code).toBe("FORBIDDEN");
    expect((await call("apiKeys.list", { tenant: w.a.slug }, bearer(created.value))).code).toBe("FORBIDDEN");
    expect((await call("members.list", { tenant: w.a.slug }, bearer(created.value))).code).toBe("FORBIDDEN");
    expect((await call("me.tenants", undefined, bearer(created.value))).code).toBe("FORBIDDEN");
    expect((await call("platform.tenants.list", {}, bearer(created.value))).code).toBe("FORBIDDEN");
  });

  it("revocation takes effect on the next request; expired keys fail the same way", async () => {
    const created = await newKey(w.a.slug, w.ownerA.id);
    expect((await call("keys.list", { tenant: w.a.slug }, bearer(created.value))).status).toBe(200);
    const revoked = await callerFor(w.ownerA.id).apiKeys.revoke({ tenant: w.a.slug, keyId: created.key.id });
    expect(revoked).toMatchObject({ status: "revoked", revokedByLabel: w.ownerA.email });
    const after = await call("keys.list", { tenant: w.a.slug }, bearer(created.value));
    expect(after).toMatchObject({ status: 401, code: "UNAUTHORIZED", message: INVALID_API_KEY_MESSAGE });
    expect(after.wwwAuthenticate).toMatch(/^Bearer /);
    expect((await rejection(callerFor(w.ownerA.id).apiKeys.revoke({ tenant: w.a.slug, keyId: created.key.id }))).code).toBe("CONFLICT");

    const past = new Date(Date.now() - 3 * 86_400_000);
    const expired = await inTenant(w.a.id, (s) =>
      createApiKey(s, auditorFor(s, { type: "user", id: w.ownerA.id, label: w.ownerA.email }, null), { type: "user", id: w.ownerA.id, label: w.ownerA.email }, permissionsOf("owner"), { name: "short-lived", scopes: ["keys.read"], expiresInDays: 1 }, past),
    );
    expect(expired.key.status).toBe("expired");
    expect(await call("keys.list", { tenant: w.a.slug }, bearer(expired.value))).toMatchObject({ status: 401, message: INVALID_API_KEY_MESSAGE });
  });

  it("malformed, unknown, wrong-secret, huge and binary keys all get the same 401, never a 500", async () => {
    const real = await newKey(w.a.slug, w.ownerA.id);
    const { publicId, secret } = parseApiKey(real.value)!;
    const wrongSecret = `tc_${publicId}_${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    const unknownId = `tc_zzzzzzzzzzzz_${secret}`;
    const values = [
      "Bearer",
      "Bearer ",
      "Bearer garbage",
      `Basic ${Buffer.from("user:pass").toString("base64")}`,
      `Bearer ${wrongSecret}`,
      `Bearer ${unknownId}`,
      `Bearer ${real.value}x`,
      `Bearer ${"A".repeat(8000)}`,
      `Bearer tc_${"\u00ff".repeat(12)}_${"\u00fe".repeat(43)}`,
      `Bearer ${real.value.toUpperCase()}`,
    ];
    for (const authorization of values) {
      const r = await call("keys.list", { tenant: w.a.slug }, { authorization });
      expect({ authorization: authorization.slice(0, 40), status: r.status, message: r.message }).toEqual({
        authorization: authorization.slice(0, 40),
        status: 401,
        message: INVALID_API_KEY_MESSAGE,
      });
    }
  });
});

describe("isolation", () => {
  it("tenant A's owner cannot list, revoke or use tenant B's keys", async () => {
    const bKey = await newKey(w.b.slug, w.ownerB.id);
    const ownerA = callerFor(w.ownerA.id);
    expect((await rejection(ownerA.apiKeys.list({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.apiKeys.revoke({ tenant: w.a.slug, keyId: bKey.key.id }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerA.apiKeys.revoke({ tenant: w.b.slug, keyId: bKey.key.id }))).code).toBe("NOT_FOUND");
    const aList = await ownerA.apiKeys.list({ tenant: w.a.slug });
    expect(aList.items.map((k) => k.id)).not.toContain(bKey.key.id);
    // B's key still works, for B only.
    expect((await call("keys.list", { tenant: w.b.slug }, bearer(bKey.value))).status).toBe(200);
    expect((await call("keys.list", { tenant: w.a.slug }, bearer(bKey.value))).status).toBe(404);
  });

  it("a security admin can manage keys of any tenant and give any grantable scope", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const created = await callerFor(admin.id).apiKeys.create({ tenant: w.b.slug, name: "platform automation", scopes: [...API_KEY_SCOPES], expiresInDays: 7 });
    expect(created.key.scopes).toEqual([...API_KEY_SCOPES]);
  });
});
