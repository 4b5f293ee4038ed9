// The SSO e2e server: the test IdP (panva's oidc-provider) in this process, then the usual e2e
// console (server/cli/e2e-server.ts: fresh database, migrated, seeded, `next start`) configured for
// SSO at a public origin that is not localhost. Started by e2e/sso.spec.ts.
//   tsx server/cli/e2e-sso-server.ts <console port> <IdP port> <public origin>
import { startTestIdp } from "../testing/oidc-idp";
import { SSO_E2E_ACCOUNTS, SSO_E2E_CLIENT } from "../testing/sso-e2e";

const [consolePort = "3102", idpPort = "3103", publicOrigin = `http://console.test:${consolePort}`] = process.argv.slice(2);

const idp = await startTestIdp({
  port: Number(idpPort),
  ...SSO_E2E_CLIENT,
  redirectUris: [`${publicOrigin}/api/auth/callback/oidc`],
  accounts: SSO_E2E_ACCOUNTS,
  conformIdTokenClaims: true,
});

Object.assign(process.env, {
  AUTH_URL: publicOrigin,
  AUTH_OIDC_ISSUER: idp.issuer,
  AUTH_OIDC_CLIENT_ID: SSO_E2E_CLIENT.clientId,
  AUTH_OIDC_CLIENT_SECRET: SSO_E2E_CLIENT.clientSecret,
  AUTH_OIDC_NAME: "Credo IdP",
  E2E_DATABASE_NAME: `${process.env.E2E_DATABASE_NAME ?? "credo_e2e"}_sso`,
  E2E_SSO_SEED: "1",
});
process.argv[2] = consolePort;
await import("./e2e-server");
