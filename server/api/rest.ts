// The HTTP admin API: the tenant procedures that make sense for automation as REST under
// /api/v1/t/{tenant}/…, described by GET /api/openapi.json (OpenAPI 3.1, trpc-to-openapi). Each
// route is a procedure of appRouter with `meta.openapi`, called through the router's own caller
// with the context server/api/http.ts builds for tRPC: the same authorization, validation, tenant
// door, rate limits and audit. The path's {tenant} becomes the procedure's `tenant` input (path
// parameters override the query/body), so the tenant never comes from a header or body.
//
//   Authorization: Bearer <API key> is REQUIRED. Session cookies are not accepted here (401): a
//   cookie-authenticated JSON API would be a CSRF surface for no automation benefit.
//   A tenant header → 400; a body over TRPC_BODY_LIMIT → 413; a POST that is not JSON → 415.
//   A foreign tenant answers exactly like a missing one (404); bad input → 400 with the first
//   problem ("path: message") and all of them in `issues`; rate limited → 429 + Retry-After.
import { createOpenApiFetchHandler, generateOpenApiDocument } from "trpc-to-openapi";

type OpenApiDocument = ReturnType<typeof generateOpenApiDocument>;
import { CROSS_SITE_MESSAGE, originAllowed } from "../http/origin-check";
import { readBodyLimited, TRPC_BODY_LIMIT, withBody } from "../http/body-limit";
import { apiKeyOf, INVALID_API_KEY_MESSAGE, INVALID_KEY_HEADERS, refusedTenantHeader, tenantHeaderMessage } from "../tenancy/principal";
import { createHttpContext, httpResponseMeta } from "./http";
import { appRouter } from "./root";
import type { TransportCode } from "../isomorphic/errors";

export const REST_ENDPOINT = "/api/v1";

export const API_KEY_REQUIRED_MESSAGE = "The admin API takes an API key, never a session cookie: send Authorization: Bearer tc_<id>_<secret>.";

/** A refusal before any procedure runs, shaped like a procedure's (code, and data.appCode from server/isomorphic/errors.ts). */
function restError(status: number, code: TransportCode, message: string, extra: Record<string, string> = {}): Response {
  return Response.json({ message, code, data: { code, httpStatus: status, appCode: code } }, { status, headers: { "Cache-Control": "no-store", ...extra } });
}

/** trpc-to-openapi answers "Input validation failed"; say what failed, like the tRPC error formatter. */
async function withValidationMessage(res: Response): Promise<Response> {
  if (res.status !== 400) return res;
  const body = (await res.json()) as { message?: string; issues?: { path?: PropertyKey[]; message: string }[] };
  const first = body.issues?.[0];
  if (first) body.message = first.path && first.path.length > 0 ? `${first.path.join(".")}: ${first.message}` : first.message;
  return Response.json(body, { status: 400, headers: res.headers });
}

export async function handleRestRequest(incoming: Request): Promise<Response> {
  let req = incoming;
  if (!originAllowed(req)) return restError(403, "FORBIDDEN", CROSS_SITE_MESSAGE);
  const tenantHeader = refusedTenantHeader(req);
  if (tenantHeader) return restError(400, "BAD_REQUEST", tenantHeaderMessage(tenantHeader));
  if (!req.headers.has("authorization")) return restError(401, "UNAUTHORIZED", API_KEY_REQUIRED_MESSAGE, INVALID_KEY_HEADERS);
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = await readBodyLimited(req, TRPC_BODY_LIMIT);
    if (!body.ok) return restError(413, "PAYLOAD_TOO_LARGE", body.message);
    if (body.bytes.byteLength > 0 && !/^application\/json\s*(;|$)/i.test(req.headers.get("content-type") ?? "")) {
      return restError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as JSON (Content-Type: application/json).");
    }
    // No body (a call whose only parameters are in the path, e.g. keys/promote): an empty JSON object.
    if (body.bytes.byteLength === 0) {
      const headers = new Headers(req.headers);
      headers.set("content-type", "application/json");
      req = new Request(req.url, { method: req.method, headers, body: new TextEncoder().encode("{}"), signal: req.signal });
    } else req = withBody(req, body.bytes);
  }
  const caller = await apiKeyOf(req);
  if (!caller.ok || !caller.apiKey) return restError(401, "UNAUTHORIZED", INVALID_API_KEY_MESSAGE, INVALID_KEY_HEADERS);
  const { apiKey } = caller;
  const res = await createOpenApiFetchHandler({
    endpoint: REST_ENDPOINT,
    req,
    router: appRouter,
    createContext: () => createHttpContext(req, apiKey, null),
    // trpc-to-openapi copies plain-object headers only.
    responseMeta: (opts) => {
      const { headers, status } = httpResponseMeta(opts);
      return { headers: Object.fromEntries(headers), status };
    },
  });
  res.headers.set("Cache-Control", "no-store");
  return withValidationMessage(res);
}

let cachedDocument: OpenApiDocument | null = null;

/**
 * The OpenAPI 3.1 document of the admin API, built once per process (it only depends on code). Its
 * server URL is relative (`/api/v1`, resolved against where the document was fetched): behind a proxy
 * the request's own URL may not be the public one, and a Host header must not shape a cached answer.
 */
export function openApiDocument(): OpenApiDocument {
  return (cachedDocument ??= generateOpenApiDocument(appRouter, {
    title: "Credo Console admin API",
    version: "1",
    description:
      "Tenant administration for automation. Authenticate with an API key of the tenant (Authorization: Bearer tc_<id>_<secret>); " +
      "the tenant is the {tenant} path segment and must be the key's own (any other answers 404, like a missing tenant). " +
      "Rate limited per tenant (RateLimit-* headers; 429 with Retry-After). " +
      "Download a finished audit export with GET /api/t/{tenant}/exports/{exportId} (and ?part=manifest for its signed manifest), same key.",
    baseUrl: REST_ENDPOINT,
    securitySchemes: { Authorization: { type: "http", scheme: "bearer", description: "An API key: tc_<id>_<secret>" } },
  }));
}
