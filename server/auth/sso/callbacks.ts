// The Auth.js side of SSO: the signIn callback decides (outcome.ts) and creates the server-side
// session; the jwt callback of the same sign-in puts that user and session into the token.
import type { Account, Profile } from "next-auth";
import { env } from "../../env";
import type { SsoProviderConfig } from "./claims";
import { decideSsoSignIn } from "./outcome";
import { currentSsoRequest } from "./request-context";
import { SSO_ERROR } from "../../isomorphic/auth/sso-errors";

export function ssoProviderConfig(): SsoProviderConfig {
  if (!env.AUTH_OIDC_ISSUER || !env.AUTH_OIDC_CLIENT_ID || !env.AUTH_OIDC_CLIENT_SECRET) throw new Error("SSO is not configured");
  return { issuer: env.AUTH_OIDC_ISSUER, clientId: env.AUTH_OIDC_CLIENT_ID, clientSecret: env.AUTH_OIDC_CLIENT_SECRET };
}

// Auth.js hands the same `account` object to signIn and then to jwt within one callback request.
const decided = new WeakMap<object, { uid: string; sid: string }>();

/** The signIn callback's answer for an SSO sign-in: true, or where to send the refused person. */
export async function ssoSignInCallback(account: Account, profile: Profile | undefined): Promise<boolean | string> {
  const decision = await decideSsoSignIn(
    ssoProviderConfig(),
    (profile ?? {}) as Record<string, unknown>,
    account.access_token,
    currentSsoRequest()?.meta ?? null,
  );
  if (decision.ok) {
    decided.set(account, { uid: decision.user.id, sid: decision.sessionId });
    return true;
  }
  if (decision.reason === "unverified_email") return `/signin?error=${SSO_ERROR.unverifiedEmail}`;
  if (decision.reason === "provider_error") {
    const code = !decision.failure ? SSO_ERROR.providerError : decision.failure.kind === "timeout" ? SSO_ERROR.timeout : SSO_ERROR.unavailable;
    return `/signin?error=${code}`;
  }
  // Unknown and suspended users get the same answer.
  return false;
}

/** The console user and session the signIn callback decided on for this account, or null. */
export function ssoSignInFor(account: Account): { uid: string; sid: string } | null {
  return decided.get(account) ?? null;
}
