// The public routes every verifier and login hits — JWKS, discovery, authorize-check: at most ONE
// database transaction each, and no Redis call (rate limiter) while a transaction is open. Also a
// tRPC request carrying an API key (its verification, then the procedure: two). Counted on the real
// PostgreSQL and Redis with the statement log (server/db/statement-log.ts), which sees every
// statement and Redis command of this process.
import { beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { GET as jwksGET } from "@/app/api/public/tenants/[tenant]/jwks/route";
import { GET as discoveryGET } from "@/app/api/public/tenants/[tenant]/openid-configuration/route";
import { POST as authorizeCheckPOST } from "@/app/api/public/authorize-check/route";
import { handleTrpcRequest } from "../api/http";
import { installStatementLog, recordCalls, redisInsideTransactions, summarize, type LoggedCall } from "../db/statement-log";
import { redisClient } from "../redis";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { PEER_HEADER, peerStamp } from "./client-ip";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
let clientId: string;
let redirectUri: string;
let apiKey: string;

beforeAll(async () => {
  installStatementLog();
  w = await twoTenantWorld();
  const owner = callerFor(w.ownerA.id);
  redirectUri = `https://app-${Math.random().toString(36).slice(2, 10)}.example.com/callback`;
  const { client } = await owner.clients.create({ tenant: w.a.slug, name: "Public tx", type: "web", redirectUris: [redirectUri], postLogoutRedirectUris: [], allowedOrigins: [] });
  clientId = client.clientId;
  apiKey = (await owner.apiKeys.create({ tenant: w.a.slug, name: "public-tx", scopes: ["keys.read"], expiresInDays: 30 })).value;
  const redis = redisClient();
  if (!redis) throw new Error("these tests need REDIS_URL");
  for (let i = 0; i < 100 && redis.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 50));
  expect(redis.status).toBe("ready");
});

const params = (tenant: string) => ({ params: Promise.resolve({ tenant }) });
const peer = { [PEER_HEADER]: peerStamp("198.51.100.9") };

/** One request's calls, checked: ≤ maxTransactions, no Redis inside one; returns the response status. */
async function checked(name: string, request: () => Promise<Response>, maxTransactions = 1): Promise<{ status: number; calls: LoggedCall[] }> {
  const { result, calls } = await recordCalls(async () => {
    const res = await request();
    await res.arrayBuffer();
    return res.status;
  });
  expect(summarize(calls).transactions, `${name}: ${calls.map((c) => `${c.kind}:${c.text.slice(0, 40)}`).join(" | ")}`).toBeLessThanOrEqual(maxTransactions);
  expect(redisInsideTransactions(calls), name).toEqual([]);
  return { status: result, calls };
}

describe("public routes: at most one transaction, no Redis call inside it", () => {
  it("JWKS: cold (reads the keys), warm (cache), and 304", async () => {
    const url = `http://localhost/${w.a.slug}/.well-known/jwks.json`;
    const cold = await checked("jwks cold", () => jwksGET(new Request(url, { headers: peer }), params(w.a.slug)));
    expect(cold.status).toBe(200);
    const warm = await checked("jwks warm", () => jwksGET(new Request(url, { headers: peer }), params(w.a.slug)));
    expect(warm.status).toBe(200);
    const etag = (await jwksGET(new Request(url, { headers: peer }), params(w.a.slug))).headers.get("etag");
    expect(etag).toBeTruthy();
    const notModified = await checked("jwks 304", () => jwksGET(new Request(url, { headers: { ...peer, "if-none-match": etag! } }), params(w.a.slug)));
    expect(notModified.status).toBe(304);
  });

  it("discovery document", async () => {
    const url = `http://localhost/${w.b.slug}/.well-known/openid-configuration`;
    const { status } = await checked("discovery", () => discoveryGET(new Request(url, { headers: { ...peer, host: "localhost" } }), params(w.b.slug)));
    expect(status).toBe(200);
  });

  it("authorize-check: a registered client and an unknown one", async () => {
    const post = (body: unknown) => () =>
      authorizeCheckPOST(new Request("http://localhost/api/public/authorize-check", { method: "POST", headers: { "content-type": "application/json", ...peer }, body: JSON.stringify(body) }));
    const known = await checked("authorize-check", post({ client_id: clientId, redirect_uri: redirectUri }));
    expect(known.status).toBe(200);
    expect(known.calls.some((c) => c.kind === "redis"), "the client's tenant is rate limited in Redis").toBe(true);
    const unknown = await checked("authorize-check unknown", post({ client_id: "no-such-client-0000000000000000", redirect_uri: redirectUri }));
    expect([200, 404]).toContain(unknown.status);
  });

  it("a tRPC request with an API key (Bearer)", async () => {
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ tenant: w.a.slug })));
    const call = () => handleTrpcRequest(new Request(`http://localhost/api/trpc/keys.list?input=${input}`, { headers: { authorization: `Bearer ${apiKey}`, ...peer } }), async () => null);
    // The key's first use also writes last_used_at and learns its admission (transactions of their
    // own, Redis between them); afterwards: the key's verification, then the procedure's one.
    await checked("api key first", call, 4);
    const { status, calls } = await checked("api key", call, 2);
    expect(status).toBe(200);
    expect(calls.some((c) => c.kind === "redis"), "API-key traffic is rate limited in Redis").toBe(true);
  });
});
