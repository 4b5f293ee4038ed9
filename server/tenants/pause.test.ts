// Tenant pause (security admins) on the real PostgreSQL, through the real handlers: API keys and
// public endpoints get 423, operators can read but not change (security admins can), auto-promotion
// skips the tenant, the other tenant is untouched, resume restores everything, both are audited in
// the tenant's trail, and nobody but a security admin can pause.
import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { GET as jwksGET } from "@/app/api/public/tenants/[tenant]/jwks/route";
import { GET as discoveryGET } from "@/app/api/public/tenants/[tenant]/openid-configuration/route";
import { POST as authorizeCheckPOST } from "@/app/api/public/authorize-check/route";
import { handleTrpcRequest } from "../api/http";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import { authenticateApiKey } from "../api-keys/authenticate";
import { SYSTEM_ACTOR } from "../audit/record";
import { inTenant } from "../db/doors";
import { autoPromoteDueKeys } from "../signing-keys/auto-promote";
import { stageNextKey } from "../signing-keys/service";
import { systemAuditor } from "../testing/signing-keys";
import { PAUSED_PUBLIC_MESSAGE } from "../tenancy/paused";
import { callerFor, rejection, sessionFor, twoTenantWorld } from "../testing/fixtures";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
let keyA: string;
let keyB: string;
let clientA: string;
const REASON = "Suspected credential stuffing from tenant automation (INC-4711)";

beforeAll(async () => {
  w = await twoTenantWorld();
  keyA = (await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "automation", scopes: ["keys.read", "keys.manage"], expiresInDays: 1 })).value;
  keyB = (await callerFor(w.ownerB.id).apiKeys.create({ tenant: w.b.slug, name: "automation", scopes: ["keys.read"], expiresInDays: 1 })).value;
  clientA = (
    await callerFor(w.ownerA.id).clients.create({
      tenant: w.a.slug, name: "web", type: "web", redirectUris: [`https://pause-${w.a.slug}.example.com/cb`], postLogoutRedirectUris: [], allowedOrigins: [],
    })
  ).client.clientId;
});

async function trpc(path: string, input: unknown, opts: { key?: string; userId?: string; method?: "GET" | "POST" } = {}) {
  const headers: Record<string, string> = opts.key ? { authorization: `Bearer ${opts.key}` } : {};
  const payload = JSON.stringify(superjson.serialize(input));
  const req =
    opts.method === "POST"
      ? new Request(`http://localhost/api/trpc/${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: payload })
      : new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers });
  const res = await handleTrpcRequest(req, async () => (opts.userId ? await sessionFor(opts.userId) : null));
  const body = (await res.json()) as { error?: { json: { message: string; data: { code: string; httpStatus: number } } } };
  return { status: res.status, code: body.error?.json.data.code, httpStatus: body.error?.json.data.httpStatus, message: body.error?.json.message };
}

const doc = (route: typeof jwksGET, slug: string) => route(new Request(`http://localhost/${slug}/.well-known/x`), { params: Promise.resolve({ tenant: slug }) });
const check = (clientId: string) =>
  authorizeCheckPOST(
    new Request("http://localhost/api/public/authorize-check", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: clientId, redirect_uri: `https://pause-${w.a.slug}.example.com/cb` }),
    }),
  );

async function pauseEvents(tenantId: typeof w.a.id) {
  return inTenant(tenantId, (s) =>
    s.db.auditEvent.findMany({ where: { tenantId: s.tenantId, action: { in: ["tenant.paused", "tenant.resumed"] } }, orderBy: { seq: "asc" } }),
  );
}

describe("who may pause", () => {
  it("only security admins: owners (of that or any tenant), support and API keys are refused; nothing changes", async () => {
    for (const userId of [w.ownerA.id, w.ownerB.id, w.supportA.id]) {
      expect(await rejection(callerFor(userId).platform.tenants.pause({ slug: w.a.slug, reason: "x" }))).toMatchObject({ code: "FORBIDDEN" });
      expect(await rejection(callerFor(userId).platform.tenants.resume({ slug: w.a.slug }))).toMatchObject({ code: "FORBIDDEN" });
    }
    const principal = await authenticateApiKey(`Bearer ${keyA}`);
    const keyCaller = createCaller(createTRPCContext({ session: null, apiKey: principal, meta: { requestId: "k", ip: null, userAgent: null } }));
    expect(await rejection(keyCaller.platform.tenants.pause({ slug: w.a.slug, reason: "x" }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await trpc("platform.tenants.pause", { slug: w.a.slug, reason: "x" }, { key: keyA, method: "POST" })).status).toBe(403);
    expect((await callerFor(w.ownerA.id).tenant.overview({ tenant: w.a.slug })).pause).toBeNull();
    expect(await pauseEvents(w.a.id)).toEqual([]);
  });

  it("input is checked: a reason is required and bounded, unknown tenants are NOT_FOUND", async () => {
    const admin = callerFor(w.admin.id);
    expect((await rejection(admin.platform.tenants.pause({ slug: w.a.slug, reason: "   " }))).message).toMatch(/reason/);
    expect((await rejection(admin.platform.tenants.pause({ slug: w.a.slug, reason: "x".repeat(501) }))).message).toMatch(/at most 500/);
    expect(await rejection(admin.platform.tenants.pause({ slug: "no-such-tenant-zz", reason: "x" }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(admin.platform.tenants.resume({ slug: w.b.slug }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/not paused/) });
  });
});

describe("a paused tenant", () => {
  it("refuses API keys and public endpoints with 423, lets operators read but not change, skips auto-promotion; B is untouched; resume restores", async () => {
    const admin = callerFor(w.admin.id);
    const paused = await admin.platform.tenants.pause({ slug: w.a.slug, reason: REASON });
    expect(paused).toMatchObject({ slug: w.a.slug, pausedReason: REASON });
    expect(await rejection(admin.platform.tenants.pause({ slug: w.a.slug, reason: "again" }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already paused/) });

    // API key → 423 with a message for machines (no reason).
    const keyCall = await trpc("keys.list", { tenant: w.a.slug }, { key: keyA });
    expect(keyCall).toMatchObject({ status: 423, code: "PRECONDITION_FAILED", httpStatus: 423 });
    expect(keyCall.message).toMatch(/paused/);
    expect(keyCall.message).not.toContain("INC-4711");
    expect((await trpc("keys.stage", { tenant: w.a.slug, alg: "ES256" }, { key: keyA, method: "POST" })).status).toBe(423);

    // Public endpoints → 423, generic.
    for (const route of [jwksGET, discoveryGET]) {
      const res = await doc(route, w.a.slug);
      expect(res.status).toBe(423);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ error: "tenant_paused", error_description: PAUSED_PUBLIC_MESSAGE });
    }
    const checked = await check(clientA);
    expect(checked.status).toBe(423);
    expect(JSON.stringify(await checked.json())).not.toContain("INC-4711");

    // Operators: reads work and show why; changes are refused naming the pause and its reason.
    const owner = callerFor(w.ownerA.id);
    const overview = await owner.tenant.overview({ tenant: w.a.slug });
    expect(overview.pause).toMatchObject({ reason: REASON });
    expect((await owner.keys.list({ tenant: w.a.slug })).keys.length).toBeGreaterThan(0);
    const refused = await rejection(owner.apiKeys.create({ tenant: w.a.slug, name: "more", scopes: ["keys.read"], expiresInDays: 1 }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/This tenant is paused .*reason: Suspected credential stuffing.*until a security admin resumes it/);
    expect((await callerFor(w.supportA.id).audit.list({ tenant: w.a.slug })).items.some((e) => e.action === "tenant.paused")).toBe(true);
    const overHttp = await trpc("members.remove", { tenant: w.a.slug, membershipId: "00000000-0000-4000-8000-000000000000" }, { userId: w.ownerA.id, method: "POST" });
    expect(overHttp).toMatchObject({ status: 423, code: "PRECONDITION_FAILED" });
    expect((await trpc("tenant.overview", { tenant: w.a.slug }, { userId: w.ownerA.id })).status).toBe(200);

    // A security admin can still change it (remediation before resuming), e.g. revoke the key.
    const [keyRow] = (await admin.apiKeys.list({ tenant: w.a.slug })).items.filter((k) => k.name === "automation");
    await admin.apiKeys.revoke({ tenant: w.a.slug, keyId: keyRow!.id });

    // Auto-promotion skips it (a next key staged long ago stays next).
    const longAgo = new Date(Date.now() - 30 * 24 * 3_600_000);
    await inTenant(w.a.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }, longAgo));
    const sweep = await autoPromoteDueKeys();
    expect(sweep.skippedPaused).toContain(w.a.slug);
    expect(sweep.promoted.map((p) => p.tenant)).not.toContain(w.a.slug);

    // Tenant B: untouched throughout.
    expect((await trpc("keys.list", { tenant: w.b.slug }, { key: keyB })).status).toBe(200);
    expect((await doc(jwksGET, w.b.slug)).status).toBe(200);
    expect((await callerFor(w.ownerB.id).tenant.overview({ tenant: w.b.slug })).pause).toBeNull();

    // Resume: everything is back.
    await admin.platform.tenants.resume({ slug: w.a.slug });
    expect((await doc(jwksGET, w.a.slug)).status).toBe(200);
    expect((await doc(discoveryGET, w.a.slug)).status).toBe(200);
    expect((await check(clientA)).status).toBe(200);
    const created = await owner.apiKeys.create({ tenant: w.a.slug, name: "after", scopes: ["keys.read"], expiresInDays: 1 });
    expect((await trpc("keys.list", { tenant: w.a.slug }, { key: created.value })).status).toBe(200);
    expect((await owner.tenant.overview({ tenant: w.a.slug })).pause).toBeNull();
    expect((await autoPromoteDueKeys()).promoted.map((p) => p.tenant)).toContain(w.a.slug);

    // Audited in A's own trail (none in B's), with actor, reason and request metadata.
    const events = await pauseEvents(w.a.id);
    expect(events.map((e) => e.action)).toEqual(["tenant.paused", "tenant.resumed"]);
    expect(events[0]).toMatchObject({ actorType: "user", actorId: w.admin.id, targetType: "tenant", targetId: w.a.id, after: { paused: true, reason: REASON }, ip: "203.0.113.7" });
    expect(events[1]).toMatchObject({ actorId: w.admin.id, before: { paused: true, reason: REASON }, after: { paused: false } });
    expect(await pauseEvents(w.b.id)).toEqual([]);
  });
});
