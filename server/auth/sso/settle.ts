// After Auth.js has answered an SSO request (the sign-in start or the provider's callback): a
// failure it reported as a generic "?error=…" redirect — a provider that timed out or could not be
// reached, an error answer, failed state/PKCE checks — is audited (signin.failed, reason
// provider_error, naming the failed call), and a timeout or unreachable provider gets its own message.
// Outcomes our signIn callback already audited pass through unchanged.
import type { RequestMeta } from "../../audit/record";
import { SSO_ERROR } from "../../isomorphic/auth/sso-errors";
import { recordSsoProviderError } from "./outcome";
import type { SsoRequestContext } from "./request-context";

const BASE = "http://relative.invalid";

/** Where the browser goes instead of `location`, or `location` itself. */
export async function settleSsoRequest(location: string | null, context: SsoRequestContext, meta: RequestMeta | null): Promise<string | null> {
  if (context.outcomeRecorded || !location) return location;
  const target = new URL(location, BASE);
  const authError = target.pathname.endsWith("/signin") ? target.searchParams.get("error") : null;
  if (!authError && !context.failure) return location;

  await recordSsoProviderError(meta, {
    error: authError ?? "Configuration",
    ...(context.failure ? { call: context.failure.call, failure: context.failure.kind, endpoint: context.failure.endpoint } : {}),
  });
  if (!context.failure) return location;
  const message = context.failure.kind === "timeout" ? SSO_ERROR.timeout : SSO_ERROR.unavailable;
  // Back to the sign-in page of the origin Auth.js answered for (relative when it answered relative).
  const signin = new URL(`/signin?error=${message}`, target.origin === BASE ? BASE : target.origin);
  return signin.origin === BASE ? `${signin.pathname}${signin.search}` : signin.toString();
}
