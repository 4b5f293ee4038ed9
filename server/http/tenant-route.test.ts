// The tenant door on an HTTP route (server/http/tenant-route.ts), through the real export download
// route handler on the real PostgreSQL server and Redis: rate limited like the procedures (429 +
// Retry-After once the tenant's limit is spent, per surface), a foreign tenant's export id answers
// byte for byte like a missing one, a paused tenant refuses API keys (423) but lets its operators read.
import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/t/[tenant]/exports/[exportId]/route";
import { runAuditExport } from "../audit/export/pipeline";
import { SYSTEM_ACTOR } from "../audit/record";
import type { SurfaceLimit } from "../ratelimit/config";
import { pauseTenant, resumeTenant } from "../tenants/pause";
import { callerFor, sessionFor, twoTenantWorld } from "../testing/fixtures";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});

const limit = (requestsPerWindow: number, windowSeconds: number): SurfaceLimit => ({ requestsPerWindow, windowSeconds, burst: 0 });

/** An export of the tenant's trail, requested through tRPC and run to completion. */
async function exportOf(userId: string, slug: string, tenantId: string): Promise<string> {
  const requested = await callerFor(userId).audit.requestExport({ tenant: slug, format: "jsonl" });
  expect((await runAuditExport(tenantId as never, requested.id)).outcome).toBe("done");
  return requested.id;
}

function download(slug: string, exportId: string, who: { userId?: string; apiKey?: string }): Promise<Response> {
  const headers: Record<string, string> = who.apiKey ? { authorization: `Bearer ${who.apiKey}` } : {};
  const req = new Request(`http://localhost/api/t/${slug}/exports/${exportId}?part=manifest`, { headers });
  const session = async () => (who.userId ? sessionFor(who.userId) : null);
  return exportRoute.withSession(session)(req, { params: Promise.resolve({ tenant: slug, exportId }) });
}

/** Saves rate-limit overrides as the tenant's owner would (a new policy version, applied at once). */
async function setRateLimits(slug: string, ownerId: string, rateLimits: Record<string, SurfaceLimit>) {
  const owner = callerFor(ownerId);
  const state = await owner.policies.state({ tenant: slug });
  await owner.policies.save({
    tenant: slug,
    document: { ...state.overrides, rateLimits: { ...(state.overrides.rateLimits ?? {}), ...rateLimits } },
    expectedVersion: state.latest?.version ?? 0,
    comment: "tenant route test",
  });
}

async function answerOf(res: Response) {
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
}

describe("the export download through the tenant door", () => {
  it("a foreign tenant's export id gets the same 404 as a missing export and a missing tenant", async () => {
    const exportOfB = await exportOf(w.ownerB.id, w.b.slug, w.b.id);
    expect((await download(w.b.slug, exportOfB, { userId: w.ownerB.id })).status).toBe(200);

    const missing = await answerOf(await download(w.a.slug, "00000000-0000-4000-8000-000000000000", { userId: w.ownerA.id }));
    expect(missing.status).toBe(404);
    const answers = [
      await download(w.a.slug, exportOfB, { userId: w.ownerA.id }), // B's id in A's path
      await download(w.b.slug, exportOfB, { userId: w.ownerA.id }), // B's path: a foreign tenant
      await download("no-such-tenant-zz", exportOfB, { userId: w.ownerA.id }),
    ];
    for (const res of answers) expect(await answerOf(res)).toEqual(missing);
  });

  it("API keys: 429 with Retry-After past the tenant's apiKey limit; admitted answers carry the RateLimit headers", async () => {
    const exportId = await exportOf(w.ownerA.id, w.a.slug, w.a.id);
    const { value: key } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "downloads", scopes: ["audit.export"], expiresInDays: 1 });
    const l = limit(3, 60);
    await setRateLimits(w.a.slug, w.ownerA.id, { apiKey: l });

    const answers: Response[] = [];
    for (let i = 0; i < l.requestsPerWindow + 2; i++) answers.push(await download(w.a.slug, exportId, { apiKey: key }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe("3");
    expect(answers[0]!.headers.get("retry-after")).toBeNull();
    const refused = answers.at(-1)!;
    expect(refused.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(await refused.json()).toMatchObject({ error: "rate_limited", message: expect.stringMatching(/API-key traffic: 3 requests per 60 s/) });
  });

  it("operators count on the console surface like their procedures; security admins are not counted", async () => {
    const exportId = await exportOf(w.ownerB.id, w.b.slug, w.b.id);
    const l = limit(4, 60);
    await setRateLimits(w.b.slug, w.ownerB.id, { trpc: l });
    const statuses: number[] = [];
    for (let i = 0; i < l.requestsPerWindow + 2; i++) statuses.push((await download(w.b.slug, exportId, { userId: w.ownerB.id })).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(l.requestsPerWindow);
    expect(statuses.at(-1)).toBe(429);
    // The procedures share the budget the downloads spent.
    await expect(callerFor(w.ownerB.id).audit.exports({ tenant: w.b.slug })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((await download(w.b.slug, exportId, { userId: w.admin.id })).status).toBe(200);
  });

  it("a paused tenant refuses API keys (423) and still lets its operators download", async () => {
    const exportId = await exportOf(w.ownerA.id, w.a.slug, w.a.id);
    const { value: key } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "paused", scopes: ["audit.export"], expiresInDays: 1 });
    await setRateLimits(w.a.slug, w.ownerA.id, { apiKey: limit(1000, 60), trpc: limit(1000, 60) });
    await pauseTenant({ slug: w.a.slug, reason: "tenant route test" }, SYSTEM_ACTOR, null);
    try {
      const refused = await download(w.a.slug, exportId, { apiKey: key });
      expect(refused.status).toBe(423);
      expect(await refused.json()).toMatchObject({ error: "tenant_paused" });
      expect((await download(w.a.slug, exportId, { userId: w.ownerA.id })).status).toBe(200);
    } finally {
      await resumeTenant({ slug: w.a.slug }, SYSTEM_ACTOR, null);
    }
  });

  it("a tenant header is refused before anything else", async () => {
    const req = new Request(`http://localhost/api/t/${w.a.slug}/exports/x`, { headers: { "x-tenant-id": w.b.id } });
    const res = await exportRoute.withSession(async () => sessionFor(w.ownerA.id))(req, { params: Promise.resolve({ tenant: w.a.slug, exportId: "x" }) });
    expect(res.status).toBe(400);
  });
});
