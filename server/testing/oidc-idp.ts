// A real OpenID Provider for tests: panva's oidc-provider (certified), in-process, with its
// development login form (any password; the login names the account) and consent granted
// automatically. Used by the SSO integration tests and the SSO e2e server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

/** Claims an account releases for the "email" scope; values are passed through as given (e.g. "false"). */
export interface TestIdpAccount {
  email?: string;
  email_verified?: unknown;
  name?: string;
}

export interface TestIdpOptions {
  /** 0 = any free port. */
  port?: number;
  host?: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  accounts: Record<string, TestIdpAccount>;
  /**
   * true (the provider's default, as the spec intends for the code flow): scope-requested claims
   * such as email and email_verified are only in userinfo, not in the ID token.
   */
  conformIdTokenClaims?: boolean;
}

export interface TestIdp {
  issuer: string;
  stop(): Promise<void>;
}

export async function startTestIdp(opts: TestIdpOptions): Promise<TestIdp> {
  const host = opts.host ?? "127.0.0.1";
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: opts.conformIdTokenClaims ?? true,
    pkce: { required: () => true },
    cookies: { keys: ["test-idp-cookie-key-not-a-secret"] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Grant: 600, Session: 600 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      const account = opts.accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const claims: Record<string, unknown> = { sub };
          if (account.email !== undefined) claims.email = account.email;
          if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
          if (account.name !== undefined) claims.name = account.name;
          return claims as { sub: string };
        },
      };
    },
    // Skip the consent screen: every login grants the scopes the console asks for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };

  const provider = new Provider(issuer, configuration);
  // The provider's mismatch messages ("redirect_uri mismatch", …) help when a test fails.
  provider.on("server_error", (_ctx, err) => console.error(`test IdP server_error: ${err.message}`));
  provider.on("grant.error", (_ctx, err) => console.error(`test IdP grant.error: ${err.message} ${(err as { error_description?: string }).error_description ?? ""}`));
  server.on("request", provider.callback());

  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
