// Request metadata for audit events: request id, client IP, user agent. Taken from headers set by
// the server in front (Next sets x-forwarded-for from the socket); never used for authorization.
import type { RequestMeta } from "../audit/record";

export function clientIp(headers: Headers): string | null {
  const fwd = headers.get("x-forwarded-for");
  const first = fwd?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : headers.get("x-real-ip")?.slice(0, 64) ?? null;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestMetaFrom(headers: Headers): RequestMeta {
  const given = headers.get("x-request-id");
  return {
    requestId: given && REQUEST_ID.test(given) ? given : crypto.randomUUID(),
    ip: clientIp(headers),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    host: headers.get("x-forwarded-host")?.split(",")[0]?.trim().slice(0, 255) ?? headers.get("host")?.slice(0, 255) ?? null,
    proto: headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? null,
  };
}
