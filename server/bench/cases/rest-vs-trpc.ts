// Case "REST vs tRPC": the same call — clients.list with an API key — through the HTTP admin API
// (server/api/rest.ts: trpc-to-openapi's fetch handler, path → input, JSON) and through the tRPC
// fetch handler (server/api/http.ts: superjson), side by side, interleaved, against the in-process
// caller with the same API-key context (no HTTP at all). Both HTTP paths authenticate the key,
// resolve the tenant, ask the limiter and run the procedure in one transaction: the difference is
// the adapter. trpc-to-openapi validates the whole router (builds the OpenAPI document) on every
// request unless NODE_ENV=production; the case runs under production, as `next start` does.
import superjson from "superjson";
import { auditorFor, SYSTEM_ACTOR } from "../../audit/record";
import { permissionsOf } from "../../isomorphic/auth/permissions";
import { createApiKey } from "../../api-keys/service";
import { authenticateApiKey } from "../../api-keys/authenticate";
import { inTenant } from "../../db/doors";
import { handleTrpcRequest } from "../../api/http";
import { handleRestRequest } from "../../api/rest";
import { appRouter } from "../../api/root";
import { createCallerFactory, createTRPCContext } from "../../api/trpc";
import { createClient } from "../../clients/service";
import { insertTenantVersion, latestTenantVersion, TENANT_SCOPE_KEY } from "../../policies/repository";
import { invalidateRateLimitConfig } from "../../ratelimit/config";
import { benchMeta, keyedTenants } from "../population";
import { measureInterleaved } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "REST vs tRPC";
const ORIGIN = "http://console.bench";
const CLIENTS = 10;
const LIMIT = 20;

export const restVsTrpcCase: BenchCase = {
  name: "rest-vs-trpc",
  title: TITLE,
  async run(ctx) {
    const { reads, warmup } = ctx.sizes;
    const n = Math.min(reads, 1000);
    const tenant = (await keyedTenants(ctx))[0]!;
    const owner = permissionsOf("owner");
    const key = await inTenant(tenant.id, async (scope) => {
      const audit = auditorFor(scope, SYSTEM_ACTOR, benchMeta("bench-rest-seed"));
      for (let i = 0; i < CLIENTS; i++) {
        await createClient(scope, audit, SYSTEM_ACTOR, { name: `rest bench ${i}`, type: "web", redirectUris: [`https://rest${i}-${ctx.runId}.bench.test/cb`], postLogoutRedirectUris: [], allowedOrigins: [] });
      }
      // The bench measures the adapters, not the limiter: an API-key limit far above what it sends
      // (the limiter is still asked on every request).
      const latest = await latestTenantVersion(scope, TENANT_SCOPE_KEY);
      const doc = latest?.document as Record<string, unknown> | undefined;
      const document = { ...(doc ?? {}), rateLimits: { ...((doc?.rateLimits as object | undefined) ?? {}), apiKey: { requestsPerWindow: 100_000, windowSeconds: 1, burst: 0 } } };
      await insertTenantVersion(scope, TENANT_SCOPE_KEY, null, { version: (latest?.version ?? 0) + 1, document, authorId: null, authorLabel: "bench", comment: "bench: no API-key limit in the way", createdAt: new Date() });
      return (await createApiKey(scope, audit, SYSTEM_ACTOR, owner, { name: "rest bench", scopes: ["clients.read"], expiresInDays: 1 })).value;
    });
    invalidateRateLimitConfig(tenant.id);
    const authorization = `Bearer ${key}`;
    const principal = await authenticateApiKey(authorization);
    if (!principal) throw new Error("rest-vs-trpc: the bench key was rejected");

    const input = { tenant: tenant.slug, limit: LIMIT };
    const trpcUrl = `${ORIGIN}/api/trpc/clients.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    const restUrl = `${ORIGIN}/api/v1/t/${tenant.slug}/clients?limit=${LIMIT}`;
    const headers = { authorization, host: "console.bench" };
    const noSession = async () => null;
    const caller = createCallerFactory(appRouter)(createTRPCContext({ session: null, apiKey: principal, meta: benchMeta("bench-rest-caller") }));

    const items = {
      caller: async () => (await caller.clients.list(input)).items.length,
      trpc: async () => {
        const res = await handleTrpcRequest(new Request(trpcUrl, { headers }), noSession);
        if (res.status !== 200) throw new Error(`rest-vs-trpc: tRPC answered ${res.status}: ${await res.text()}`);
        return (superjson.deserialize((await res.json() as { result: { data: never } }).result.data) as { items: unknown[] }).items.length;
      },
      rest: async () => {
        const res = await handleRestRequest(new Request(restUrl, { headers }));
        if (res.status !== 200) throw new Error(`rest-vs-trpc: REST answered ${res.status}: ${await res.text()}`);
        return ((await res.json()) as { items: unknown[] }).items.length;
      },
    };

    const previousEnv = process.env.NODE_ENV;
    (process.env as Record<string, string>).NODE_ENV = "production";
    try {
      // Same answer on every path before anything is timed.
      const counts = [await items.caller(), await items.trpc(), await items.rest()];
      if (counts.some((c) => c !== counts[0]) || counts[0]! < CLIENTS) throw new Error(`rest-vs-trpc: paths disagree (${counts.join(", ")} clients)`);
      ctx.log(`REST vs tRPC: clients.list (${counts[0]} clients) ${n} calls per path, interleaved (+${warmup} warmup each)`);
      const r = await measureInterleaved(
        { caller: () => items.caller().then(() => undefined), trpc: () => items.trpc().then(() => undefined), rest: () => items.rest().then(() => undefined) },
        { n, warmup },
      );
      const ms = (a: number, b: number) => `${(a - b).toFixed(2)} ms`;
      ctx.detail("REST vs tRPC: adapter overhead", [
        `p50: REST − tRPC ${ms(r.rest.p50, r.trpc.p50)}; tRPC − caller ${ms(r.trpc.p50, r.caller.p50)}; REST − caller ${ms(r.rest.p50, r.caller.p50)}`,
        `p95: caller ${r.caller.p95.toFixed(2)} ms, tRPC ${r.trpc.p95.toFixed(2)} ms, REST ${r.rest.p95.toFixed(2)} ms`,
        `HTTP paths: key authentication (2 transactions) + the procedure's one transaction; the caller starts from an authenticated key`,
        `REST adds: route match + path → input, zod output check, JSON (tRPC: superjson) — and, outside production, a router validation per request`,
      ]);
      return [
        row(TITLE, "REST GET /api/v1/t/{tenant}/clients", r.rest, { baseline: r.trpc, note: `${ms(r.rest.p50, r.trpc.p50)} vs tRPC at p50` }),
        row(TITLE, "tRPC GET /api/trpc/clients.list (baseline)", r.trpc, { isBaseline: true, note: "API key, superjson" }),
        row(TITLE, "in-process caller (no HTTP)", r.caller, { baseline: r.trpc, note: "same procedure, key already authenticated" }),
      ];
    } finally {
      (process.env as Record<string, string | undefined>).NODE_ENV = previousEnv;
    }
  },
};
