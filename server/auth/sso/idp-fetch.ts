// Every HTTP call to the identity provider goes through idpFetch (Auth.js passes it to oauth4webapi
// as `customFetch`). Node's fetch would wait 300 s for the headers of a provider that accepts the
// connection and never answers; here each call — headers AND body — gets AUTH_OIDC_TIMEOUT_SECONDS,
// and a failure is logged naming the call and remembered for the request (request-context.ts), so the
// person signing in gets a message that says what happened instead of "Configuration".
import { env } from "../../env";
import type { IdpCall, IdpCallFailure } from "./idp-call";
import { currentSsoRequest } from "./request-context";
import { logger, scrubText } from "../../observability/logger";


export class IdpCallError extends Error {
  constructor(readonly failure: IdpCallFailure) {
    super(
      failure.kind === "timeout"
        ? `identity provider ${failure.call} call timed out (${failure.endpoint})`
        : `identity provider ${failure.call} call failed (${failure.endpoint})`,
    );
    this.name = "IdpCallError";
  }
}

/** Which OpenID call this is, from the shapes oauth4webapi gives each request. */
export function classifyIdpCall(url: string, init: RequestInit): IdpCall {
  const headers = new Headers(init.headers);
  if (new URL(url).pathname.includes("/.well-known/")) return "discovery";
  if ((init.method ?? "GET").toUpperCase() === "POST" && !/^(bearer|dpop) /i.test(headers.get("authorization") ?? "")) return "token";
  if (/^(bearer|dpop) /i.test(headers.get("authorization") ?? "")) return "userinfo";
  if ((headers.get("accept") ?? "").includes("jwk-set")) return "jwks";
  return "other";
}

export function idpTimeoutMs(): number {
  return env.AUTH_OIDC_TIMEOUT_SECONDS * 1000;
}

function endpointOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/** fetch for identity-provider calls: bounded in time, failures logged and classified. */
export function idpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  return idpFetchWithin(idpTimeoutMs(), input, init);
}

export async function idpFetchWithin(timeoutMs: number, input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = input instanceof Request ? input.url : input.toString();
  const call = classifyIdpCall(url, init);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  try {
    const response = await fetch(input, { ...init, signal });
    // Read the body within the same deadline: a provider may send headers and then stall.
    const body = await response.arrayBuffer();
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } catch (error) {
    const failure: IdpCallFailure = { call, kind: timeout.aborted ? "timeout" : "unreachable", endpoint: endpointOf(url) };
    logger.error(
      {
        call,
        endpoint: failure.endpoint,
        ...(failure.kind === "timeout" ? { timeoutMs } : { error: scrubText(error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)) }),
      },
      failure.kind === "timeout" ? "identity provider call timed out" : "identity provider call failed",
    );
    const request = currentSsoRequest();
    if (request && !request.failure) request.failure = failure;
    throw new IdpCallError(failure);
  }
}
