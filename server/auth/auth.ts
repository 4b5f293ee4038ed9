// Auth.js (next-auth v5): e-mail + password (argon2id) and, when configured, OIDC single sign-on.
// Sessions are JWTs holding only the user id: which tenants and roles that user has is re-read from
// the database on every request (server/tenancy/context.ts), so membership changes, suspension and
// support-grant expiry take effect at once. There is deliberately no "current tenant" in the session.
import NextAuth, { CredentialsSignin, customFetch, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env, oidcConfigured } from "../env";
import { authenticate } from "./credentials";
import { clientIp } from "../http/request-meta";
import { ssoProviderConfig, ssoSignInCallback, ssoSignInFor } from "./sso/callbacks";
import { idpFetch } from "./sso/idp-fetch";
import { endOperatorSession, startOperatorSession, type SignInMeta } from "./sign-in-events";
import { logger } from "../observability/logger";
import { decodeSession, encodeSession, SESSION_MAX_AGE_SECONDS } from "./session-jwt";

/** The sign-in request's address and browser, for the session row and the platform audit stream. */
async function currentRequestMeta(): Promise<SignInMeta> {
  try {
    const { headers } = await import("next/headers");
    const h = await headers();
    return { ip: clientIp(h), userAgent: h.get("user-agent")?.slice(0, 512) ?? null };
  } catch {
    return { ip: null, userAgent: null }; // outside a request (tests)
  }
}

class ThrottledSignIn extends CredentialsSignin {
  override code = "throttled";
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    id: "credentials",
    name: "E-mail and password",
    credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, request) {
      const ip = clientIp(request.headers);
      const userAgent = request.headers.get("user-agent")?.slice(0, 512) ?? null;
      const result = await authenticate(credentials, ip ?? "unknown", userAgent);
      if (result.ok) return { ...result.user, sid: await startOperatorSession(result.user, "password", { ip, userAgent }) };
      if (result.reason === "throttled") throw new ThrottledSignIn();
      return null; // → CredentialsSignin: one message for unknown user and wrong password
    },
  }),
];

if (oidcConfigured()) {
  const sso = ssoProviderConfig();
  providers.push({
    id: "oidc",
    name: env.AUTH_OIDC_NAME,
    type: "oidc",
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    checks: ["pkce", "state", "nonce"],
    // Every call to the provider is bounded in time and names itself when it fails (sso/idp-fetch.ts).
    [customFetch]: idpFetch,
  });
}

export const authConfig: NextAuthConfig = {
  trustHost: true,
  // The cookie may live a week; the server-side session (idle timeout, absolute lifetime from the
  // global "operators" policy, revocation) decides on every request whether it is still good.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Auth.js's own JWE, without redoing it for a cookie already read or a session's cookie made a
  // moment ago (session-jwt.ts).
  jwt: { encode: encodeSession, decode: decodeSession },
  pages: { signIn: "/signin", error: "/signin" },
  providers,
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      // SSO never creates console users; the decision and its audit event: sso/callbacks.ts.
      return ssoSignInCallback(account, profile);
    },
    async jwt({ token, user, account }) {
      if (account?.provider === "oidc") {
        const decided = ssoSignInFor(account);
        if (decided) {
          token.uid = decided.uid;
          token.sid = decided.sid;
        }
      } else if (user?.id) {
        token.uid = user.id;
        token.sid = (user as { sid?: string }).sid;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      if (typeof token.sid === "string") session.sid = token.sid;
      return session;
    },
  },
  events: {
    // Sign-out ends the server-side session: the copied cookie is refused on the next request.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      await endOperatorSession(typeof token?.uid === "string" ? token.uid : null, typeof token?.sid === "string" ? token.sid : null, await currentRequestMeta());
    },
  },
  logger: {
    error(error) {
      // A wrong password is not a server error (and its stack trace would only be noise).
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      logger.error({ err: error }, "auth error");
    },
    warn() {},
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
