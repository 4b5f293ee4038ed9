// tRPC over HTTP: who is calling, decided once per request before any procedure runs.
//
//   Authorization: Bearer <API key>  → the key's principal (its tenant comes from the key); the
//                                      session cookie, if any, is ignored. Any Authorization header
//                                      that is not a valid, live key → 401, one message for all.
//   no Authorization header          → the Auth.js session (browser).
//   X-Tenant-ID (or any tenant header) → 400: the tenant only ever comes from the URL path (and
//                                      for keys, from the key itself); there is no header fallback.
// Both decided by the tenant door (server/tenancy/principal.ts), which every tenant route shares.
//
// Before anything runs (server/http/): a cookie-borne POST from another origin → 403; more than
// MAX_BATCH_CALLS calls in one request → 413; a body over TRPC_BODY_LIMIT (BACKUP_BODY_LIMIT for a backup import) → 413 after reading at most
// that many bytes; a POST that is not application/json → 415 (the answer never repeats request headers).
//
// Tenant procedures count against the tenant's rate limit (server/api/trpc.ts): every response that
// ran one carries RateLimit-Limit/-Remaining/-Reset/-Policy (IETF draft), a refused one is 429 with
// Retry-After. A paused tenant's refusals are 423 Locked.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { requestMetaFrom } from "../http/request-meta";
import { CROSS_SITE_MESSAGE, originAllowed } from "../http/origin-check";
import { BACKUP_BODY_LIMIT, readBodyLimited, TRPC_BODY_LIMIT, withBody } from "../http/body-limit";
import { RateLimitedError, rateLimitHeaders, tightest } from "../ratelimit/enforce";
import { TenantPausedError } from "../tenancy/paused";
import { TenantBusyError } from "../tenancy/concurrency";
import { appRouter } from "./root";
import type { TransportCode } from "../isomorphic/errors";
import type { TRPCError } from "@trpc/server";
import type { ApiKeyPrincipal } from "../tenancy/context";
import { apiKeyOf, INVALID_API_KEY_MESSAGE, INVALID_KEY_HEADERS, refusedTenantHeader, tenantHeaderMessage } from "../tenancy/principal";
import { createTRPCContext, type Context, type ContextInput } from "./trpc";

export const TRPC_ENDPOINT = "/api/trpc";

/** Calls one request may batch; the console's client batches at most this many (components/trpc/client.tsx). */
export const MAX_BATCH_CALLS = 10;

/** An error in the shape tRPC clients (superjson transformer) already parse. */
function trpcError(status: number, code: TransportCode, jsonRpcCode: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { json: { message, code: jsonRpcCode, data: { code, httpStatus: status, appCode: code } } } }), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...extra },
  });
}

/** Procedures whose input is a whole backup document: the larger body limit, only when they are all the request calls. */
const LARGE_BODY_PROCEDURES: ReadonlySet<string> = new Set(["backup.importDryRun", "backup.import"]);

function bodyLimitFor(url: URL): number {
  const names = url.pathname.slice(TRPC_ENDPOINT.length + 1).split(",");
  return names.length > 0 && names.every((n) => LARGE_BODY_PROCEDURES.has(n)) ? BACKUP_BODY_LIMIT : TRPC_BODY_LIMIT;
}

/** Number of procedure calls the request names (`/api/trpc/a,b,c?batch=1`). */
function callCount(url: URL): number {
  if (url.searchParams.get("batch") !== "1") return 1;
  return url.pathname.slice(TRPC_ENDPOINT.length + 1).split(",").length;
}

export async function handleTrpcRequest(incoming: Request, getSession: () => Promise<ContextInput["session"]>): Promise<Response> {
  let req = incoming;
  if (!originAllowed(req)) return trpcError(403, "FORBIDDEN", -32003, CROSS_SITE_MESSAGE);
  const calls = callCount(new URL(req.url));
  if (calls > MAX_BATCH_CALLS) {
    return trpcError(413, "PAYLOAD_TOO_LARGE", -32600, `Too many calls in one request (${calls}); send at most ${MAX_BATCH_CALLS} per batch.`);
  }
  if (req.method === "POST") {
    if (!/^application\/json\s*(;|$)/i.test(req.headers.get("content-type") ?? "")) {
      return trpcError(415, "UNSUPPORTED_MEDIA_TYPE", -32600, "Send tRPC calls with Content-Type: application/json.");
    }
    const body = await readBodyLimited(req, bodyLimitFor(new URL(req.url)));
    if (!body.ok) return trpcError(413, "PAYLOAD_TOO_LARGE", -32600, body.message);
    req = withBody(req, body.bytes);
  }
  const tenantHeader = refusedTenantHeader(req);
  if (tenantHeader) return trpcError(400, "BAD_REQUEST", -32600, tenantHeaderMessage(tenantHeader));
  const caller = await apiKeyOf(req);
  if (!caller.ok) return trpcError(401, "UNAUTHORIZED", -32001, INVALID_API_KEY_MESSAGE, INVALID_KEY_HEADERS);
  const { apiKey } = caller;
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: async () => createHttpContext(req, apiKey, apiKey ? null : await getSession()),
    responseMeta: httpResponseMeta,
  });
}

// ---------------------------------------------------------------------------------------------
// Shared with the REST admin API (server/api/rest.ts): the same caller, context and headers.
// ---------------------------------------------------------------------------------------------

/** The procedures' context for an HTTP request: a key's principal, else the session. */
export function createHttpContext(req: Request, apiKey: ApiKeyPrincipal | null, session: ContextInput["session"]): Context {
  return createTRPCContext({ session: apiKey ? null : session, apiKey, meta: requestMetaFrom(req.headers) });
}

/** Rate-limit headers (and Retry-After, and 423 for a paused tenant) from the calls' outcome. */
export function httpResponseMeta({ ctx, errors, data }: { ctx?: Context; errors: readonly TRPCError[]; data: readonly unknown[] }): { headers: Headers; status?: number } {
  let decision = ctx?.rateLimit.decision ?? null;
  for (const e of errors) if (e.cause instanceof RateLimitedError) decision = tightest(decision, e.cause.decision);
  const headers = new Headers(decision ? rateLimitHeaders(decision) : undefined);
  // The tenant's share of the database pool was busy (server/tenancy/concurrency.ts): 429 + Retry-After.
  const busy = errors.find((e) => e.cause instanceof TenantBusyError)?.cause as TenantBusyError | undefined;
  if (busy && !headers.has("Retry-After")) headers.set("Retry-After", String(busy.retryAfterSeconds));
  // Every call of the request refused because the tenant is paused → 423 (tRPC has no such code).
  const allPaused = errors.length > 0 && errors.length === data.length && errors.every((e) => e.cause instanceof TenantPausedError);
  return allPaused ? { headers, status: 423 } : { headers };
}
