// Request metadata for audit events: request id, client IP, user agent. The client IP is decided in
// one place (./client-ip.ts): the socket address, or X-Forwarded-For only through TRUSTED_PROXIES.
import type { RequestMeta } from "../audit/record";
import { env } from "../env";
import { parseTrustedProxies, resolveClientIp, stampedPeer, type TrustedProxies } from "./client-ip";
import { currentLogContext } from "../observability/logger";

let trust: TrustedProxies | null = null;

/** The client's address for throttling, rate limits, audit and sessions; null when unknown. */
export function clientIp(headers: Headers): string | null {
  trust ??= parseTrustedProxies(env.TRUSTED_PROXIES);
  return resolveClientIp(stampedPeer(headers), headers.get("x-forwarded-for"), trust);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestMetaFrom(headers: Headers): RequestMeta {
  const given = headers.get("x-request-id");
  return {
    // The route's log context already chose one (server/observability/request.ts): audit and logs agree.
    requestId: given && REQUEST_ID.test(given) ? given : (currentLogContext()?.requestId ?? crypto.randomUUID()),
    ip: clientIp(headers),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    // The Host header only (never X-Forwarded-Host, which any client can send): used for the WebAuthn
    // relying party when no AUTH_URL is configured (server/auth/relying-party.ts).
    host: headers.get("host")?.slice(0, 255) ?? null,
    proto: headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? null,
  };
}
