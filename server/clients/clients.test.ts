// OAuth clients through tRPC and the public authorize-check route, on the real PostgreSQL:
// registration rules, secrets shown once and stored hashed, rotation overlap, cross-tenant
// uniqueness of redirect URIs without revealing the holder, tenant isolation, and the public check
// resolving the tenant from the client only.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, twoTenantWorld, rejection, rejectionDetail } from "../testing/fixtures";
import { inTenant } from "../db/doors";
import { POST as authorizeCheckPOST } from "@/app/api/public/authorize-check/route";
import { clientSecretMatches, hashClientSecret } from "./credentials";
import { NOT_ALLOWED } from "./authorize-check";
import { validClientSecretHashes } from "./repository";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});


const uniqueHost = () => `app-${Math.random().toString(36).slice(2, 10)}.example.com`;

function web(tenant: string, redirectUris: string[], name = "Web app") {
  return { tenant, name, type: "web" as const, redirectUris, postLogoutRedirectUris: [], allowedOrigins: [] };
}

async function check(body: unknown, contentType = "application/json") {
  const res = await authorizeCheckPOST(
    new Request("http://localhost/api/public/authorize-check", {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("registration", () => {
  it("a web client: unguessable client_id, secret once, stored hashed, audited without it", async () => {
    const owner = callerFor(w.ownerA.id);
    const uri = `https://${uniqueHost()}/callback`;
    const { client, secret } = await owner.clients.create(web(w.a.slug, [uri]));
    expect(client.clientId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(secret).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({ type: "web", confidential: true, pkceRequired: false, grantTypes: ["authorization_code", "refresh_token"], redirectUris: [uri] });
    expect(client.secrets).toHaveLength(1);
    expect(client.secrets[0]!.hint).toBe(secret!.slice(-4));

    const listed = await owner.clients.list({ tenant: w.a.slug });
    expect(JSON.stringify(listed)).not.toContain(secret!);
    const rows = await inTenant(w.a.id, (s) => s.db.oAuthClientSecret.findMany({ where: { tenantId: s.tenantId, clientRow: client.id } }));
    expect(Buffer.from(rows[0]!.secretHash).equals(Buffer.from(hashClientSecret(secret!)))).toBe(true);
    const audit = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetId: client.id }, select: { action: true, after: true } }));
    expect(audit.map((e) => e.action)).toEqual(["client.created"]);
    expect(JSON.stringify(audit)).not.toContain(secret!);
  });

  it("type defaults: SPA and native are public with PKCE; m2m has client_credentials and a secret", async () => {
    const owner = callerFor(w.ownerA.id);
    const spa = await owner.clients.create({ tenant: w.a.slug, name: "SPA", type: "spa", redirectUris: [`https://${uniqueHost()}/cb`], allowedOrigins: ["https://spa.example.com"] });
    expect(spa).toMatchObject({ secret: null, client: { confidential: false, pkceRequired: true, allowedOrigins: ["https://spa.example.com"] } });
    const native = await owner.clients.create({ tenant: w.a.slug, name: "Native", type: "native", redirectUris: ["http://127.0.0.1/callback", "com.example.app:/oauth"] });
    expect(native.client.pkceRequired).toBe(true);
    const m2m = await owner.clients.create({ tenant: w.a.slug, name: "Batch job", type: "m2m" });
    expect(m2m.client.grantTypes).toEqual(["client_credentials"]);
    expect(m2m.secret).toMatch(/^cs_/);
  });

  it("refuses bad configurations with a message naming each problem, and saves nothing", async () => {
    const owner = callerFor(w.ownerA.id);
    const before = (await owner.clients.list({ tenant: w.a.slug })).items.length;
    const host = uniqueHost();
    const r = await rejection(owner.clients.create(web(w.a.slug, [`https://${host}/ok`, `https://${host}/cb#frag`, "http://app.example.com/cb", `https://app.example.com@evil.com/cb`])));
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toMatch(/Redirect URI 2 \(https:\/\/.*#frag\): .*[Ff]ragment/);
    expect(r.message).toMatch(/Redirect URI 3 .*http/);
    expect(r.message).toMatch(/Redirect URI 4 .*(userinfo|user|@)/i);
    expect((await rejection(owner.clients.create(web(w.a.slug, [])))).message).toMatch(/at least one redirect URI/);
    expect((await rejection(owner.clients.create({ tenant: w.a.slug, name: "M", type: "m2m", redirectUris: [`https://${host}/x`] }))).message).toMatch(/no redirect URIs/);
    expect((await rejection(owner.clients.create({ ...web(w.a.slug, [`https://${host}/x`]), grantTypes: ["client_credentials", "refresh_token"] }))).message).toMatch(/refresh_token needs authorization_code/);
    expect((await rejection(owner.clients.create({ ...web(w.a.slug, [`https://${host}/x`]), grantTypes: ["implicit" as never] }))).code).toBe("BAD_REQUEST");
    expect((await rejection(owner.clients.create({ ...web(w.a.slug, [`https://${host}/x`]), allowedOrigins: ["https://x.example.com"] }))).message).toMatch(/Only single-page apps/);
    expect((await owner.clients.list({ tenant: w.a.slug })).items.length).toBe(before);
    // Nothing half-saved: the valid first URI was not claimed for A either, so B may take it.
    const taken = await callerFor(w.ownerB.id).clients.create(web(w.b.slug, [`https://${host}/ok`]));
    expect(taken.client.redirectUris).toEqual([`https://${host}/ok`]);
  });

  it("regulated mode tightens the rules and names itself; it is audited and only policies.manage may switch it", async () => {
    const owner = callerFor(w.ownerB.id);
    expect((await rejection(callerFor(w.supportA.id).policies.setRegulatedMode({ tenant: w.a.slug, regulatedMode: true }))).code).toBe("FORBIDDEN");
    const native = await owner.clients.create({ tenant: w.b.slug, name: "Loopback app", type: "native", redirectUris: ["http://127.0.0.1/cb"] });
    expect((await check({ client_id: native.client.clientId, redirect_uri: "http://127.0.0.1:51000/cb" })).body.allowed).toBe(true);
    // Refused while a client breaks the regulated rules, naming it.
    const conflict = await rejection(owner.policies.setRegulatedMode({ tenant: w.b.slug, regulatedMode: true }));
    expect(conflict.code).toBe("PRECONDITION_FAILED");
    expect(conflict.message).toContain(`Loopback app (${native.client.clientId}): http://127.0.0.1/cb`);
    expect((await owner.policies.get({ tenant: w.b.slug })).regulatedMode).toBe(false);
    await owner.clients.update({ tenant: w.b.slug, clientRowId: native.client.id, redirectUris: [`https://${uniqueHost()}/native-cb`] });
    await owner.policies.setRegulatedMode({ tenant: w.b.slug, regulatedMode: true });
    try {
      const r = await rejection(owner.clients.create({ tenant: w.b.slug, name: "N2", type: "native", redirectUris: ["http://127.0.0.1/cb2"] }));
      expect(r.message).toMatch(/regulated mode/);
      const list = await owner.clients.list({ tenant: w.b.slug });
      expect(list.regulatedMode).toBe(true);
      expect(list.items.every((c) => c.pkceRequired)).toBe(true);
      // Turning it off is a compliance decision: not the owner's, a security admin's, with a reason.
      expect((await rejection(owner.policies.setRegulatedMode({ tenant: w.b.slug, regulatedMode: false }))).code).toBe("FORBIDDEN");
    } finally {
      await callerFor(w.admin.id).policies.setRegulatedMode({ tenant: w.b.slug, regulatedMode: false, reason: "Test over: the tenant leaves regulated mode" });
    }
    const actions = await inTenant(w.b.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetType: "tenant_policy" }, select: { action: true }, orderBy: { id: "asc" } }));
    expect(actions.map((a) => a.action)).toEqual(["policy.regulated_mode_on", "policy.regulated_mode_off"]);
  });
});

describe("a redirect URI belongs to one tenant", () => {
  it("another tenant is refused without learning who holds it; released on delete; loopback is exempt", async () => {
    const uri = `https://${uniqueHost()}/cb`;
    const a = callerFor(w.ownerA.id);
    const b = callerFor(w.ownerB.id);
    const first = await a.clients.create(web(w.a.slug, [uri], "First"));
    const second = await a.clients.create(web(w.a.slug, [uri], "Same tenant may share")); // same tenant: fine
    const refused = await rejection(b.clients.create(web(w.b.slug, [uri])));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("another tenant");
    for (const leak of [w.a.slug, w.a.id, "First"]) expect(refused.message).not.toContain(leak);
    expect(await rejectionDetail(b.clients.create(web(w.b.slug, [uri])))).toEqual({ field: "redirectUris", appCode: "REDIRECT_URI_TAKEN" });

    await a.clients.delete({ tenant: w.a.slug, clientRowId: first.client.id });
    expect((await rejection(b.clients.create(web(w.b.slug, [uri])))).code).toBe("CONFLICT"); // still used by "second"
    await a.clients.update({ tenant: w.a.slug, clientRowId: second.client.id, redirectUris: [`https://${uniqueHost()}/other`] });
    const mine = await b.clients.create(web(w.b.slug, [uri]));
    expect(mine.client.redirectUris).toEqual([uri]);

    // Loopback URIs are every native app's: both tenants may register them.
    await a.clients.create({ tenant: w.a.slug, name: "CLI", type: "native", redirectUris: ["http://127.0.0.1/callback"] });
    await b.clients.create({ tenant: w.b.slug, name: "CLI", type: "native", redirectUris: ["http://127.0.0.1/callback"] });
  });
});

describe("client secrets", () => {
  it("rotation keeps at most two valid secrets: the new one and the previous in its overlap", async () => {
    const a = callerFor(w.ownerA.id);
    const { client, secret: s1 } = await a.clients.create(web(w.a.slug, [`https://${uniqueHost()}/cb`]));
    const valid = () => inTenant(w.a.id, (s) => validClientSecretHashes(s, client.id, new Date())).then((r) => r.map((x) => x.secretHash));

    const r2 = await a.clients.rotateSecret({ tenant: w.a.slug, clientRowId: client.id, overlapHours: 24 });
    expect(r2.secret).not.toBe(s1);
    expect(r2.client.secrets).toHaveLength(2);
    expect(clientSecretMatches(s1!, await valid())).toBe(true);
    expect(clientSecretMatches(r2.secret, await valid())).toBe(true);

    const r3 = await a.clients.rotateSecret({ tenant: w.a.slug, clientRowId: client.id, overlapHours: 24 });
    expect(r3.client.secrets).toHaveLength(2);
    expect(clientSecretMatches(s1!, await valid())).toBe(false);
    expect(clientSecretMatches(r2.secret, await valid())).toBe(true);

    const r4 = await a.clients.rotateSecret({ tenant: w.a.slug, clientRowId: client.id, overlapHours: 0 });
    expect(r4.client.secrets).toHaveLength(1);
    expect(clientSecretMatches(r3.secret, await valid())).toBe(false);
    expect(clientSecretMatches(r4.secret, await valid())).toBe(true);

    const events = await inTenant(w.a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, targetId: client.id, action: "client.secret_rotated" } }));
    expect(events).toHaveLength(3);
    expect(JSON.stringify(events.map((e) => e.after))).not.toMatch(/cs_[A-Za-z0-9_-]{43}/);

    expect((await rejection(a.clients.rotateSecret({ tenant: w.a.slug, clientRowId: client.id, overlapHours: 500 }))).code).toBe("BAD_REQUEST");
    const spa = await a.clients.create({ tenant: w.a.slug, name: "SPA", type: "spa", redirectUris: [`https://${uniqueHost()}/cb`] });
    expect((await rejection(a.clients.rotateSecret({ tenant: w.a.slug, clientRowId: spa.client.id, overlapHours: 1 }))).code).toBe("PRECONDITION_FAILED");
  });
});

describe("public authorize-check", () => {
  it("allows registered URIs only, and answers unknown, disabled and m2m clients exactly like a refused URI", async () => {
    const a = callerFor(w.ownerA.id);
    const uri = `https://${uniqueHost()}/callback`;
    const { client } = await a.clients.create(web(w.a.slug, [uri]));
    expect(await check({ client_id: client.clientId, redirect_uri: uri })).toEqual({
      status: 200,
      body: { allowed: true, reason: "registered", issuer: `https://${w.a.slug}.credo/idp`, pkce_required: false },
    });
    const refused = { status: 200, body: { allowed: false, reason: NOT_ALLOWED } };
    for (const variant of [`${uri}/`, uri.toUpperCase(), `${uri}?x=1`, uri.replace(".com/", ".com:443/"), uri.replace("/callback", "/%63allback"), `${uri}#f`]) {
      expect(await check({ client_id: client.clientId, redirect_uri: variant })).toEqual(refused);
    }
    expect(await check({ client_id: "x".repeat(32), redirect_uri: uri })).toEqual(refused);
    await a.clients.setEnabled({ tenant: w.a.slug, clientRowId: client.id, enabled: false });
    expect(await check({ client_id: client.clientId, redirect_uri: uri })).toEqual(refused);
    await a.clients.setEnabled({ tenant: w.a.slug, clientRowId: client.id, enabled: true });
    expect((await check({ client_id: client.clientId, redirect_uri: uri })).body.allowed).toBe(true);
    const m2m = await a.clients.create({ tenant: w.a.slug, name: "Job", type: "m2m" });
    expect(await check({ client_id: m2m.client.clientId, redirect_uri: uri })).toEqual(refused);
  });

  it("the tenant comes from the client: B's client with A's URI is refused, B's issuer is returned for B's URI", async () => {
    const uriA = `https://${uniqueHost()}/cb`;
    const uriB = `https://${uniqueHost()}/cb`;
    await callerFor(w.ownerA.id).clients.create(web(w.a.slug, [uriA]));
    const bClient = (await callerFor(w.ownerB.id).clients.create(web(w.b.slug, [uriB]))).client;
    expect((await check({ client_id: bClient.clientId, redirect_uri: uriA })).body.allowed).toBe(false);
    expect((await check({ client_id: bClient.clientId, redirect_uri: uriB, tenant: w.a.slug, tenant_id: w.a.id })).body).toMatchObject({
      allowed: true,
      issuer: `https://${w.b.slug}.credo/idp`,
    });
  });

  it("bad requests get a 4xx with a message, never a 500", async () => {
    expect(await check("not json")).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "The body is not valid JSON." } });
    expect((await check({ client_id: "x" }, "text/plain")).status).toBe(415);
    expect((await check({ client_id: "abc" })).body.error_description).toMatch(/redirect_uri is required/);
    expect((await check({ client_id: "a".repeat(500), redirect_uri: "https://x.example.com" })).status).toBe(400);
    expect((await check({ client_id: "a", redirect_uri: "x".repeat(20_000) })).status).toBe(413);
    expect((await check([1, 2])).status).toBe(400);
  });
});

describe("isolation", () => {
  it("tenant A cannot read, list, modify, rotate or delete tenant B's clients", async () => {
    const bClient = (await callerFor(w.ownerB.id).clients.create(web(w.b.slug, [`https://${uniqueHost()}/cb`], "B's client"))).client;
    const a = callerFor(w.ownerA.id);
    const ref = { clientRowId: bClient.id };
    const attempts = [
      () => a.clients.get({ tenant: w.a.slug, ...ref }),
      () => a.clients.update({ tenant: w.a.slug, ...ref, name: "hijacked" }),
      () => a.clients.setEnabled({ tenant: w.a.slug, ...ref, enabled: false }),
      () => a.clients.rotateSecret({ tenant: w.a.slug, ...ref, overlapHours: 0 }),
      () => a.clients.delete({ tenant: w.a.slug, ...ref }),
      () => a.clients.get({ tenant: w.b.slug, ...ref }),
      () => a.clients.list({ tenant: w.b.slug }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt())).code).toBe("NOT_FOUND");
    expect((await a.clients.list({ tenant: w.a.slug })).items.map((c) => c.id)).not.toContain(bClient.id);
    const still = await callerFor(w.ownerB.id).clients.get({ tenant: w.b.slug, ...ref });
    expect(still).toMatchObject({ name: "B's client", enabled: true, secrets: [{ hint: bClient.secrets[0]!.hint }] });
  });

  it("support may not read clients (not in the matrix)", async () => {
    expect((await rejection(callerFor(w.supportA.id).clients.list({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
  });
});
