// Issue 12, "Cross-site requests and request size", reproduced through the real tRPC HTTP handler:
// a cookie-borne POST from another origin, a 60-call batch, an 8 MB body and a hostile Content-Type
// are each refused before any procedure runs; the audit event's ip is the socket's, not the
// client's X-Forwarded-For.
import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { inTenant } from "../db/doors";
import { sessionFor, twoTenantWorld } from "../testing/fixtures";
import { handleTrpcRequest, MAX_BATCH_CALLS } from "./http";
import { PEER_HEADER, peerStamp } from "../http/client-ip";
import { originAllowed, CROSS_SITE_MESSAGE } from "../http/origin-check";
import { TRPC_BODY_LIMIT, PUBLIC_BODY_LIMIT } from "../http/body-limit";
import { POST as authorizeCheckPOST } from "@/app/api/public/authorize-check/route";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});

const ORIGIN = "http://console.test";

function createKey(name: string, headers: Record<string, string>) {
  return new Request(`${ORIGIN}/api/trpc/apiKeys.create`, {
    method: "POST",
    headers: { host: "console.test", "content-type": "application/json", ...headers },
    body: JSON.stringify(superjson.serialize({ tenant: w.a.slug, name, scopes: ["audit.read"], expiresInDays: 30 })),
  });
}

/**
 * The session of tenant A's owner (a real server-side session that passed the second factor, from
 * the fixtures); counts how often the handler got as far as asking for it.
 */
function ownerSession() {
  const s = { calls: 0, get: async () => (s.calls++, await sessionFor(w.ownerA.id)) };
  return s;
}

const keyNamed = (name: string) => inTenant(w.a.id, (scope) => scope.db.apiKey.findFirst({ where: { tenantId: w.a.id, name } }));

/** A body stream that produces `total` bytes lazily and records how many were pulled from it. */
function countingBody(total: number, chunk = 64 * 1024) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled >= total) return c.close();
      const n = Math.min(chunk, total - state.pulled);
      state.pulled += n;
      c.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return { stream, state };
}

describe("cross-site requests", () => {
  it("a mutation POSTed with the session cookie from another origin → 403, nothing created", async () => {
    const s = ownerSession();
    const res = await handleTrpcRequest(createKey("csrf-evil", { origin: "https://evil.example" }), s.get);
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain(CROSS_SITE_MESSAGE);
    expect(s.calls).toBe(0);
    expect(await keyNamed("csrf-evil")).toBeNull();

    const viaFetchMetadata = await handleTrpcRequest(createKey("csrf-evil-2", { "sec-fetch-site": "cross-site" }), s.get);
    expect(viaFetchMetadata.status).toBe(403);
    expect((await handleTrpcRequest(createKey("csrf-null", { origin: "null" }), s.get)).status).toBe(403);
  });

  it("the console's own pages still work: same origin → the mutation runs", async () => {
    const res = await handleTrpcRequest(createKey("same-origin", { origin: ORIGIN, "sec-fetch-site": "same-origin" }), ownerSession().get);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await keyNamed("same-origin")).not.toBeNull();
  });

  it("a configured origin list is honoured; API-key calls (Authorization) need no Origin", () => {
    const allowed = new Set(["https://console.example.com"]);
    const post = (h: Record<string, string>) => new Request("http://10.0.0.5:3000/api/trpc/x", { method: "POST", headers: h });
    expect(originAllowed(post({ origin: "https://console.example.com" }), allowed)).toBe(true);
    expect(originAllowed(post({ origin: "https://console.example.com.evil.example" }), allowed)).toBe(false);
    expect(originAllowed(post({ origin: "http://console.example.com" }), allowed)).toBe(false);
    expect(originAllowed(post({ authorization: "Bearer tc_x", origin: "https://evil.example" }), allowed)).toBe(true);
    expect(originAllowed(new Request("http://x/api/trpc/q", { headers: { origin: "https://evil.example" } }), allowed)).toBe(true); // GET: no change
  });
});

describe("request size", () => {
  it(`a batch of more than ${MAX_BATCH_CALLS} calls (60) is refused before any procedure runs`, async () => {
    const s = ownerSession();
    const paths = Array.from({ length: 60 }, () => "apiKeys.list").join(",");
    const input = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i, superjson.serialize({ tenant: w.a.slug })]));
    const res = await handleTrpcRequest(
      new Request(`${ORIGIN}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { host: "console.test" } }),
      s.get,
    );
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toMatch(/Too many calls in one request \(60\); send at most 10/);
    expect(s.calls).toBe(0);
    // At the limit it works.
    const ten = Array.from({ length: MAX_BATCH_CALLS }, () => "apiKeys.list").join(",");
    const tenInput = Object.fromEntries(Array.from({ length: MAX_BATCH_CALLS }, (_, i) => [i, superjson.serialize({ tenant: w.a.slug })]));
    const ok = await handleTrpcRequest(new Request(`${ORIGIN}/api/trpc/${ten}?batch=1&input=${encodeURIComponent(JSON.stringify(tenInput))}`), ownerSession().get);
    expect(ok.status).toBe(200);
  });

  it("an 8 MB body (chunked, no Content-Length) → 413 after reading at most the limit, never parsed", async () => {
    const s = ownerSession();
    const { stream, state } = countingBody(8 * 1024 * 1024);
    const req = new Request(`${ORIGIN}/api/trpc/apiKeys.create`, {
      method: "POST",
      headers: { host: "console.test", origin: ORIGIN, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await handleTrpcRequest(req, s.get);
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toContain("larger than 256 KB");
    expect(state.pulled).toBeLessThanOrEqual(TRPC_BODY_LIMIT + 2 * 64 * 1024);
    expect(s.calls).toBe(0);
    // A lying Content-Length is refused at once.
    const declared = await handleTrpcRequest(
      new Request(`${ORIGIN}/api/trpc/apiKeys.create`, { method: "POST", headers: { origin: ORIGIN, host: "console.test", "content-type": "application/json", "content-length": String(8 * 1024 * 1024) }, body: "{}" }),
      s.get,
    );
    expect(declared.status).toBe(413);
  });

  it("the public authorize-check endpoint bounds its body the same way (16 KB)", async () => {
    const { stream, state } = countingBody(8 * 1024 * 1024);
    const res = await authorizeCheckPOST(
      new Request("http://localhost/api/public/authorize-check", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(PUBLIC_BODY_LIMIT + 2 * 64 * 1024);
  });

  it("a non-JSON Content-Type → 415 whose body does not repeat the header", async () => {
    const hostile = "text/plain; x=<script>alert(1)</script>";
    const res = await handleTrpcRequest(createKey("ct", { origin: ORIGIN, "content-type": hostile }), ownerSession().get);
    expect(res.status).toBe(415);
    const text = await res.text();
    expect(text).toContain("Content-Type: application/json");
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("text/plain");
  });
});

describe("audit ip", () => {
  it("is the socket address our server stamped, not the client's X-Forwarded-For", async () => {
    const res = await handleTrpcRequest(
      createKey("audit-ip", { origin: ORIGIN, [PEER_HEADER]: peerStamp("203.0.113.77"), "x-forwarded-for": "198.51.100.66" }),
      ownerSession().get,
    );
    expect(res.status).toBe(200);
    const key = await keyNamed("audit-ip");
    const event = await inTenant(w.a.id, (scope) =>
      scope.db.auditEvent.findFirst({ where: { tenantId: w.a.id, action: "api_key.created", targetId: key!.id } }),
    );
    expect(event?.ip).toBe("203.0.113.77");
  });
});
