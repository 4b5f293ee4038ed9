// Wraps the Auth.js route handler for the provider's callback (/api/auth/callback/oidc). Auth.js
// turns every failure before our signIn callback — a provider that times out on the token call, an
// error answer, failed state/PKCE checks — into "?error=Configuration". Here that outcome is audited
// (signin.failed, reason provider_error) and a timeout or unreachable provider gets its own message.
import { requestMetaFrom } from "../../http/request-meta";
import { SSO_ERROR } from "./errors";
import { recordSsoProviderError } from "./outcome";
import { runSsoRequest } from "./request-context";

const CALLBACK_PATH = /\/callback\/oidc\/?$/;

export function withSsoOutcome<R extends Request>(handler: (req: R) => Promise<Response>): (req: R) => Promise<Response> {
  return async (req) => {
    if (!CALLBACK_PATH.test(new URL(req.url).pathname)) return handler(req);
    const meta = requestMetaFrom(req.headers);
    const { result: response, context } = await runSsoRequest(meta, () => handler(req));
    if (context.outcomeRecorded) return response;

    const location = response.headers.get("location");
    const target = location ? new URL(location, req.url) : null;
    const authError = target?.searchParams.get("error");
    if (!target || !authError) return response;

    await recordSsoProviderError(meta, {
      error: authError,
      ...(context.failure ? { call: context.failure.call, failure: context.failure.kind } : {}),
    });
    if (!context.failure) return response;
    target.searchParams.set("error", context.failure.kind === "timeout" ? SSO_ERROR.timeout : SSO_ERROR.unavailable);
    const headers = new Headers();
    for (const [name, value] of response.headers) if (name !== "set-cookie") headers.set(name, value);
    for (const cookie of response.headers.getSetCookie()) headers.append("set-cookie", cookie);
    headers.set("location", target.toString());
    return new Response(null, { status: response.status, headers });
  };
}
