// Case "HTTP guards": what issue 12's request checks add to a request. The Origin check
// (originAllowed) and the client-IP decision (clientIp, with and without a trusted proxy chain)
// alone, and a bounded body read (readBodyLimited) against reading the same 2 KB body unbounded,
// next to a whole tenant request through the tRPC HTTP handler (apiKeys.list for a signed-in owner,
// which also runs clientIp once) so the checks' cost reads as a share of a real request.
import superjson from "superjson";
import { inTenant, onPlatform } from "../../db/doors";
import { createUser } from "../../accounts/platform-users-repository";
import { upsertMember } from "../../members/repository";
import { createSession } from "../../auth/sessions";
import { readOperatorPolicy } from "../../auth/operator-policy";
import { handleTrpcRequest } from "../../api/http";
import { originAllowed } from "../../http/origin-check";
import { clientIp } from "../../http/request-meta";
import { PEER_HEADER, parseTrustedProxies, peerStamp, resolveClientIp, stampedPeer } from "../../http/client-ip";
import { readBodyLimited, TRPC_BODY_LIMIT } from "../../http/body-limit";
import { keyedTenants } from "../population";
import { measureInterleaved } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "HTTP guards";
const ORIGIN = "http://console.bench";
const BODY = JSON.stringify({ json: { tenant: "x", name: "y".repeat(2000) } });

export const httpGuardsCase: BenchCase = {
  name: "http-guards",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const [tenant] = await keyedTenants(ctx);
    if (!tenant) throw new Error("http-guards: no tenant");
    // A signed-in owner: a user with a live server-side session (every request checks it).
    const { user, sid } = await onPlatform(async (db) => {
      const u = await createUser(db, { email: `${ctx.runId}-guards@bench.test`, name: "bench", passwordHash: null });
      const s = await createSession(db, { userId: u.id, authMethod: "password", ip: null, userAgent: "bench", secondFactorVerified: true }, await readOperatorPolicy(db));
      return { user: u, sid: s.id };
    });
    await inTenant(tenant.id, (scope) => upsertMember(scope, { userId: user.id, role: "owner", expiresAt: null, createdBy: null }));
    const session = async () => ({ user: { id: user.id }, sid });
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ tenant: tenant.slug })));
    const headers = { host: "console.bench", origin: ORIGIN, "sec-fetch-site": "same-origin", "content-type": "application/json", [PEER_HEADER]: peerStamp("203.0.113.5"), "x-forwarded-for": "198.51.100.1, 10.0.0.7" };
    const post = () => new Request(`${ORIGIN}/api/trpc/apiKeys.create`, { method: "POST", headers, body: BODY });
    const lb = parseTrustedProxies("10.0.0.0/8");

    const paths = {
      request: async () => {
        const res = await handleTrpcRequest(new Request(`${ORIGIN}/api/trpc/apiKeys.list?input=${input}`, { headers: { host: "console.bench", [PEER_HEADER]: peerStamp("203.0.113.5") } }), session);
        if (res.status !== 200) throw new Error(`http-guards: apiKeys.list answered ${res.status}`);
        await res.arrayBuffer();
      },
      origin: async () => {
        if (!originAllowed(post())) throw new Error("http-guards: same-origin POST refused");
      },
      baseRequest: async () => {
        post(); // what `origin` costs besides the check: building the Request
      },
      ip: async () => {
        if (clientIp(new Headers(headers)) !== "203.0.113.5") throw new Error("http-guards: wrong client ip");
      },
      ipProxied: async () => {
        const h = new Headers(headers);
        // The stamp is checked as in clientIp; the peer is then played by a load balancer in 10/8.
        const peer = stampedPeer(h) ? "10.0.0.9" : null;
        if (resolveClientIp(peer, h.get("x-forwarded-for"), lb) !== "198.51.100.1") throw new Error("http-guards: wrong proxied ip");
      },
      bodyBounded: async () => {
        const r = await readBodyLimited(post(), TRPC_BODY_LIMIT);
        if (!r.ok) throw new Error("http-guards: body refused");
      },
      bodyPlain: async () => {
        await post().arrayBuffer();
      },
    };
    ctx.log(`HTTP guards: ${n} calls per path (+${warmup} warmup each), interleaved`);
    const r = await measureInterleaved(paths, { n, warmup });
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
    const share = (ms: number) => `${((ms / r.request.p50) * 100).toFixed(2)} % of a request`;
    const originCost = Math.max(0, r.origin.p50 - r.baseRequest.p50);
    ctx.detail("HTTP guards: added cost per request", [
      `Origin check: p50 ${us(originCost)} beyond building the request (${share(originCost)}; a request p50 is ${r.request.p50.toFixed(2)} ms)`,
      `client IP: p50 ${us(r.ip.p50)} (no trusted proxy), ${us(r.ipProxied.p50)} (CIDR list, 2-entry X-Forwarded-For)`,
      `bounded body read of ${BODY.length} B: p50 ${us(r.bodyBounded.p50)} vs unbounded ${us(r.bodyPlain.p50)}`,
      `expected: noise — each check is a few header reads and string compares, no I/O`,
    ]);
    return [
      row(TITLE, "tRPC request (apiKeys.list, session)", r.request, { isBaseline: true, note: "whole request through handleTrpcRequest" }),
      row(TITLE, "Origin check (same-origin POST)", r.origin, { baseline: r.request, note: `${us(originCost)} beyond new Request()` }),
      row(TITLE, "new Request() (for the line above)", r.baseRequest, { baseline: r.request }),
      row(TITLE, "clientIp, no trusted proxy", r.ip, { baseline: r.request }),
      row(TITLE, "client IP through a trusted CIDR list", r.ipProxied, { baseline: r.request }),
      row(TITLE, "bounded body read (2 KB)", r.bodyBounded, { baseline: r.request, note: `unbounded: ${us(r.bodyPlain.p50)}` }),
    ];
  },
};
