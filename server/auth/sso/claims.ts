// Which e-mail address an SSO sign-in proves. A spec-conforming provider puts scope-requested claims
// (email, email_verified) in userinfo, not in the ID token, for the code flow — so when the ID token
// lacks them, userinfo is read (its `sub` must match the ID token's). Only `email_verified === true`
// counts: a missing claim, false, or the string "false" is refused.
import * as o from "oauth4webapi";
import { idpFetch } from "./idp-fetch";

export interface SsoProviderConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export type SsoEmailResult =
  | { ok: true; email: string; source: "id_token" | "userinfo" }
  | { ok: false; reason: "unverified_email"; email: string | null; detail: "email_missing" | "email_verified_missing" | "email_verified_not_true"; source: "id_token" | "userinfo" };

function carriesEmailClaims(claims: Record<string, unknown>): boolean {
  return typeof claims.email === "string" && claims.email !== "" && "email_verified" in claims;
}

function judge(claims: Record<string, unknown>, source: "id_token" | "userinfo"): SsoEmailResult {
  const email = typeof claims.email === "string" && claims.email.trim() !== "" ? claims.email.trim().toLowerCase() : null;
  if (!email) return { ok: false, reason: "unverified_email", email: null, detail: "email_missing", source };
  if (!("email_verified" in claims) || claims.email_verified === undefined || claims.email_verified === null) {
    return { ok: false, reason: "unverified_email", email, detail: "email_verified_missing", source };
  }
  if (claims.email_verified !== true) return { ok: false, reason: "unverified_email", email, detail: "email_verified_not_true", source };
  return { ok: true, email, source };
}

/** The provider's userinfo claims for this access token; throws IdpCallError when the provider fails to answer. */
export async function fetchUserinfo(provider: SsoProviderConfig, accessToken: string, expectedSub: string): Promise<Record<string, unknown>> {
  const issuer = new URL(provider.issuer);
  const fetchOptions = { [o.customFetch]: idpFetch, [o.allowInsecureRequests]: issuer.protocol === "http:" };
  const as = await o.processDiscoveryResponse(issuer, await o.discoveryRequest(issuer, fetchOptions));
  const client: o.Client = { client_id: provider.clientId };
  const response = await o.userInfoRequest(as, client, accessToken, fetchOptions);
  return (await o.processUserInfoResponse(as, client, expectedSub, response)) as Record<string, unknown>;
}

/**
 * The verified e-mail of the person who signed in. `idTokenClaims` are the validated ID token's
 * claims (Auth.js hands them over as the profile); userinfo is asked only when they lack email or
 * email_verified.
 */
export async function resolveSsoEmail(
  provider: SsoProviderConfig,
  idTokenClaims: Record<string, unknown>,
  accessToken: string | undefined,
): Promise<SsoEmailResult> {
  if (carriesEmailClaims(idTokenClaims) || !accessToken || typeof idTokenClaims.sub !== "string") return judge(idTokenClaims, "id_token");
  const userinfo = await fetchUserinfo(provider, accessToken, idTokenClaims.sub);
  return judge(userinfo, "userinfo");
}
