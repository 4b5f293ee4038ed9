// The SSO e2e setup shared by the server script (server/cli/e2e-sso-server.ts) and the spec
// (e2e/sso.spec.ts): the test IdP's accounts — one per outcome — and the console users behind them.
// The IdP is spec-conforming (conformIdTokenClaims), so every sign-in reads e-mail from userinfo.
import type { TestIdpAccount } from "./oidc-idp";

export const SSO_E2E_CLIENT = { clientId: "credo-console-e2e", clientSecret: "e2e-client-secret-not-for-production" };

/** Login at the IdP → what the IdP says about that person. */
export const SSO_E2E_ACCOUNTS: Record<string, TestIdpAccount> = {
  verified: { email: "admin@credo.local", email_verified: true, name: "Ada Admin" },
  unverified: { email: "owner@credo.local", email_verified: false },
  "claim-missing": { email: "support@credo.local" },
  unknown: { email: "nobody@credo.local", email_verified: true },
  suspended: { email: "suspended@credo.local", email_verified: true },
};

/** Console users the seeded demo data lacks: a suspended operator. */
export async function seedSsoE2eUsers(): Promise<void> {
  const { onPlatform } = await import("../db/doors");
  const { createUser, findUserByEmail, setUserStatus } = await import("../accounts/platform-users-repository");
  await onPlatform(async (db) => {
    const existing = await findUserByEmail(db, "suspended@credo.local");
    const user = existing ?? (await createUser(db, { email: "suspended@credo.local", name: "Suspended Operator", passwordHash: null }));
    await setUserStatus(db, user.id, "suspended");
  });
}
