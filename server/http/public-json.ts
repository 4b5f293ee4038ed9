// Responses of the public, session-less JSON endpoints (JWKS, discovery). Verifiers poll them, so
// they are cacheable with a validator; the lifetime is short because key rotation relies on
// verifiers seeing a staged key before it signs, and on a revoked key disappearing soon.
import { createHash } from "node:crypto";
import { TenantNotFoundError } from "../tenancy/context";
import { admitUnknownTenantRequest, RateLimitedError, rateLimitHeaders } from "../ratelimit/enforce";
import { clientIp } from "./request-meta";
import { readBodyLimited } from "./body-limit";
import { PAUSED_PUBLIC_MESSAGE, TenantPausedError } from "../tenancy/paused";
import { logger } from "../observability/logger";

/** Verifiers may reuse a document for this long (and serve it stale briefly while refetching). */
export const PUBLIC_DOCUMENT_MAX_AGE_SECONDS = 300;
const CACHE_CONTROL = `public, max-age=${PUBLIC_DOCUMENT_MAX_AGE_SECONDS}, stale-while-revalidate=60`;

const COMMON = {
  "Access-Control-Allow-Origin": "*",
  "X-Content-Type-Options": "nosniff",
  Vary: "Accept-Encoding",
} as const;

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(status === 304 ? null : JSON.stringify(body), {
    status,
    headers: { ...COMMON, "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** An uncached JSON answer of a public endpoint (for answers that depend on the request). */
export function publicJson(status: number, body: unknown): Response {
  return json(status, body, { "Cache-Control": "no-store" });
}

/**
 * Reads a JSON request body of at most `maxBytes`, with a message a caller can act on when it is
 * not JSON, too large or not sent as application/json.
 */
export async function readJsonBody(
  req: Request,
  maxBytes: number,
): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string }> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return { ok: false, status: 415, message: "Send the body as Content-Type: application/json." };
  // Counted while read: at most maxBytes are ever buffered (server/http/body-limit.ts).
  const body = await readBodyLimited(req, maxBytes);
  if (!body.ok) return body;
  const text = new TextDecoder().decode(body.bytes);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: "The body is not valid JSON." };
  }
}

/** Unknown (or foreign, or deleted) tenant: one answer, never cached so a new tenant shows at once. */
export function notFound(): Response {
  return json(404, { error: "not_found", error_description: "Tenant not found." }, { "Cache-Control": "no-store" });
}

/**
 * The refusals every public endpoint shares: over the tenant's rate limit → 429 with Retry-After and
 * RateLimit headers; a paused tenant → 423 with a generic message (the reason is for operators).
 * null for any other error.
 */
export function publicRefusal(e: unknown): Response | null {
  if (e instanceof RateLimitedError) {
    return json(429, { error: "rate_limited", error_description: e.message }, { "Cache-Control": "no-store", ...rateLimitHeaders(e.decision) });
  }
  if (e instanceof TenantPausedError) {
    return json(423, { error: "tenant_paused", error_description: PAUSED_PUBLIC_MESSAGE }, { "Cache-Control": "no-store" });
  }
  return null;
}

/**
 * A document serialised once with its ETag (a hash of the JSON), so a cached document costs no
 * JSON.stringify or hashing per request and a conditional request is answered from the cache alone.
 */
export class PreparedDocument {
  readonly json: string;
  readonly etag: string;
  constructor(readonly body: unknown) {
    this.json = JSON.stringify(body);
    this.etag = etagOf(this.json);
  }
}

const etagOf = (json: string) => `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`;

/**
 * Serves `load()`'s document (a PreparedDocument is used as it is) with an ETag; a matching If-None-Match gets 304. Unknown tenants get
 * the 404 above (counted per caller IP), rate-limited and paused tenants publicRefusal's 429/423;
 * anything else is a 500 without details (logged once).
 */
export async function servePublicDocument(req: Request, load: () => Promise<unknown>): Promise<Response> {
  let body: unknown;
  try {
    body = await load();
  } catch (e) {
    if (e instanceof TenantNotFoundError) {
      // Unknown slugs have no tenant budget: counted per caller IP instead (429 when over it).
      try {
        await admitUnknownTenantRequest("public-document", clientIp(req.headers));
      } catch (limited) {
        return publicRefusal(limited) ?? notFound();
      }
      return notFound();
    }
    const refusal = publicRefusal(e);
    if (refusal) return refusal;
    logger.error({ err: e, path: new URL(req.url).pathname }, "public document failed");
    return json(500, { error: "server_error", error_description: "The document could not be produced; try again." }, { "Cache-Control": "no-store" });
  }
  const doc = body instanceof PreparedDocument ? body : new PreparedDocument(body);
  const etag = doc.etag;
  const headers = { "Cache-Control": CACHE_CONTROL, ETag: etag };
  const ifNoneMatch = req.headers.get("if-none-match");
  if (ifNoneMatch && (ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag))) return json(304, null, headers);
  return new Response(doc.json, { status: 200, headers: { ...COMMON, "Content-Type": "application/json; charset=utf-8", ...headers } });
}
