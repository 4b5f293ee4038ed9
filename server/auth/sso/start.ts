// The start of an SSO sign-in (the "Sign in with …" button): Auth.js reads the provider's discovery
// document and answers with the authorization URL — or, when the provider fails, with
// "/signin?error=Configuration". A failed start is audited (signin.failed, provider_error) and a
// timeout or unreachable provider gets its own message.
import { AuthError } from "next-auth";
import type { RequestMeta } from "../../audit/record";
import { SSO_ERROR } from "./errors";
import { recordSsoProviderError } from "./outcome";
import { runSsoRequest } from "./request-context";

/** Runs Auth.js's sign-in start (returning the URL to go to) and returns where to send the browser. */
export async function startSsoSignIn(meta: RequestMeta | null, start: () => Promise<string>): Promise<string> {
  const { result: url, context } = await runSsoRequest(meta, async () => {
    try {
      return await start();
    } catch (error) {
      // Auth.js rethrows its own errors to server actions instead of answering with a redirect.
      if (error instanceof AuthError) return `/signin?error=${error.type}`;
      throw error;
    }
  });
  const target = new URL(url, "http://relative.invalid");
  const authError = target.pathname.endsWith("/signin") ? target.searchParams.get("error") : null;
  if (!authError && !context.failure) return url;
  await recordSsoProviderError(meta, {
    error: authError ?? "Configuration",
    ...(context.failure ? { call: context.failure.call, failure: context.failure.kind } : {}),
  });
  if (!context.failure) return url;
  target.searchParams.set("error", context.failure.kind === "timeout" ? SSO_ERROR.timeout : SSO_ERROR.unavailable);
  return target.origin === "http://relative.invalid" ? `${target.pathname}${target.search}` : target.toString();
}
