// The Auth.js side of SSO: the signIn callback decides (outcome.ts), the jwt callback of the same
// sign-in picks up the console user it decided on.
import type { Account, Profile } from "next-auth";
import { env } from "../../env";
import type { SsoProviderConfig } from "./claims";
import { decideSsoSignIn } from "./outcome";
import { currentSsoRequest } from "./request-context";
import { SSO_ERROR } from "./errors";

export function ssoProviderConfig(): SsoProviderConfig {
  if (!env.AUTH_OIDC_ISSUER || !env.AUTH_OIDC_CLIENT_ID || !env.AUTH_OIDC_CLIENT_SECRET) throw new Error("SSO is not configured");
  return { issuer: env.AUTH_OIDC_ISSUER, clientId: env.AUTH_OIDC_CLIENT_ID, clientSecret: env.AUTH_OIDC_CLIENT_SECRET };
}

// Auth.js hands the same `account` object to signIn and then to jwt within one callback request.
const decidedUser = new WeakMap<object, string>();

/** The signIn callback's answer for an SSO sign-in: true, or where to send the refused person. */
export async function ssoSignInCallback(account: Account, profile: Profile | undefined): Promise<boolean | string> {
  const decision = await decideSsoSignIn(
    ssoProviderConfig(),
    (profile ?? {}) as Record<string, unknown>,
    account.access_token,
    currentSsoRequest()?.meta ?? null,
  );
  if (decision.ok) {
    decidedUser.set(account, decision.user.id);
    return true;
  }
  if (decision.reason === "unverified_email") return `/signin?error=${SSO_ERROR.unverifiedEmail}`;
  if (decision.reason === "provider_error") {
    return `/signin?error=${decision.failure?.kind === "timeout" ? SSO_ERROR.timeout : SSO_ERROR.unavailable}`;
  }
  // Unknown and suspended users get the same answer.
  return false;
}

export function ssoUserIdFor(account: Account): string | null {
  return decidedUser.get(account) ?? null;
}
