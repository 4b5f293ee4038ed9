// Drives the authorization code flow against the test IdP (oidc-idp.ts) without a browser — its dev
// login form, cookies and redirects — and exchanges the code as Auth.js does (oauth4webapi, PKCE,
// nonce), giving the validated ID token claims and the access token.
import * as o from "oauth4webapi";
import { idpFetch } from "../auth/sso/idp-fetch";

export interface FlowClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

function absorbCookies(jar: Map<string, string>, response: Response) {
  for (const c of response.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    jar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

export async function signInAtTestIdp(issuerUrl: string, client: FlowClient, login: string) {
  const issuer = new URL(issuerUrl);
  const options = { [o.allowInsecureRequests]: true, [o.customFetch]: idpFetch };
  const as = await o.processDiscoveryResponse(issuer, await o.discoveryRequest(issuer, options));
  const codeVerifier = o.generateRandomCodeVerifier();
  const nonce = o.generateRandomNonce();
  const state = o.generateRandomState();
  const auth = new URL(as.authorization_endpoint!);
  auth.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: "code",
    scope: "openid profile email",
    code_challenge: await o.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    nonce,
    state,
  }).toString();

  const jar = new Map<string, string>();
  let url = auth.toString();
  let submitted = false;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(client.redirectUri)) {
      const params = o.validateAuthResponse(as, { client_id: client.clientId }, new URL(url), state);
      const clientAuth = o.ClientSecretBasic(client.clientSecret);
      const tokenResponse = await o.authorizationCodeGrantRequest(as, { client_id: client.clientId }, clientAuth, params, client.redirectUri, codeVerifier, options);
      const tokens = await o.processAuthorizationCodeResponse(as, { client_id: client.clientId }, tokenResponse, { expectedNonce: nonce, requireIdToken: true });
      return { idTokenClaims: o.getValidatedIdTokenClaims(tokens)! as unknown as Record<string, unknown>, accessToken: tokens.access_token };
    }
    const isInteraction = new URL(url).pathname.startsWith("/interaction/");
    const response =
      isInteraction && !submitted
        ? await fetch(url, {
            method: "POST",
            redirect: "manual",
            headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ prompt: "login", login, password: "any" }),
          })
        : await fetch(url, { redirect: "manual", headers: { cookie: cookieHeader(jar) } });
    if (isInteraction) submitted = true;
    absorbCookies(jar, response);
    const location = response.headers.get("location");
    if (!location) throw new Error(`test IdP stopped at ${url} with ${response.status}: ${(await response.text()).slice(0, 300)}`);
    url = new URL(location, url).toString();
  }
  throw new Error("too many redirects at the test IdP");
}
