// Single sign-on through a real OpenID Provider (panva's oidc-provider, spec-conforming: e-mail only
// in userinfo) at a public origin that is not localhost (http://console.test:<port>, AUTH_URL). One
// IdP account per outcome; each outcome must be in the platform audit stream.
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { DEMO_ADMIN_TOTP_SECRET, verifyWithTotp } from "./helpers";
import { SSO_DATABASE_URL, SSO_PUBLIC_ORIGIN, startSsoServer } from "./sso-server";

let stopServer: () => Promise<void> = async () => undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  stopServer = await startSsoServer();
});

test.afterAll(async () => {
  await stopServer();
});

/** The newest platform audit event about this e-mail address. */
async function lastSignInEvent(email: string) {
  const client = new pg.Client({ connectionString: SSO_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ action: string; outcome: string; details: Record<string, unknown>; actor_label: string | null }>(
      `SELECT action, outcome, details, actor_label FROM platform_audit_events
        WHERE action LIKE 'signin.%' AND (details->>'email' = $1 OR actor_label = $1)
        ORDER BY seq DESC LIMIT 1`,
      [email],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

async function signInAtIdp(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Credo IdP" }).click();
  // The provider's own login form (development interactions: any password).
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test("a verified operator signs in through the provider at a non-localhost origin (e-mail from userinfo)", async ({ page }) => {
  await signInAtIdp(page, "verified");
  // SSO is the first factor only: the security admin still answers their own second factor.
  await verifyWithTotp(page, DEMO_ADMIN_TOTP_SECRET);
  await expect(page).toHaveURL(`${SSO_PUBLIC_ORIGIN}/tenants`);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const event = await lastSignInEvent("admin@credo.local");
  expect(event).toMatchObject({ action: "signin.succeeded", outcome: "success" });
  expect(event!.details).toMatchObject({ method: "sso", claims: "userinfo" });
  // A server-side session like any other, marked as single sign-on.
  await page.goto("/account/sessions");
  const current = page.locator("tr[data-current]");
  await expect(current.getByTestId("current-session")).toBeVisible();
  await expect(current).toContainText("single sign-on");
});

for (const [login, email, detail] of [
  ["unverified", "owner@credo.local", "email_verified_not_true"],
  ["claim-missing", "support@credo.local", "email_verified_missing"],
] as const) {
  test(`${login}: an e-mail the provider has not verified is refused with a message`, async ({ page }) => {
    await signInAtIdp(page, login);
    await expect(page).toHaveURL(/\/signin\?error=SsoUnverifiedEmail$/);
    await expect(page.getByTestId("signin-error")).toContainText("has not confirmed your e-mail address");
    const event = await lastSignInEvent(email);
    expect(event).toMatchObject({ action: "signin.failed", outcome: "failure" });
    expect(event!.details).toMatchObject({ method: "sso", reason: "unverified_email", detail });
  });
}

for (const [login, email, reason] of [
  ["unknown", "nobody@credo.local", "unknown_user"],
  ["suspended", "suspended@credo.local", "suspended"],
] as const) {
  test(`${login}: SSO never creates or revives users — refused with one message for both`, async ({ page }) => {
    await signInAtIdp(page, login);
    await expect(page).toHaveURL(/\/signin\?error=AccessDenied$/);
    await expect(page.getByTestId("signin-error")).toContainText("This account may not sign in to the console.");
    const event = await lastSignInEvent(email);
    expect(event).toMatchObject({ action: "signin.failed", outcome: "failure" });
    expect(event!.details).toMatchObject({ method: "sso", reason });
  });
}

test("the security admin, signed in through SSO, finds every SSO outcome in the platform audit stream, chain intact", async ({ page }) => {
  await signInAtIdp(page, "verified");
  // SSO is the first factor only: the security admin still answers their own second factor.
  await verifyWithTotp(page, DEMO_ADMIN_TOTP_SECRET);
  await expect(page).toHaveURL(`${SSO_PUBLIC_ORIGIN}/tenants`);
  await page.goto("/platform-audit");
  await expect(page.getByRole("heading", { name: "Platform audit stream" })).toBeVisible();
  await page.getByTestId("audit-filter-action").fill("signin.failed");
  await page.getByTestId("audit-filter-apply").click();
  const rows = page.getByTestId("audit-row");
  // The previous page stays on screen (then skeleton rows) until the filtered one arrives: poll for it.
  const wanted = ["owner@credo.local", "support@credo.local", "nobody@credo.local", "suspended@credo.local"];
  await expect
    .poll(async () => {
      const actors = await rows.locator("td:nth-child(2)").allInnerTexts();
      return wanted.filter((email) => !actors.includes(email));
    })
    .toEqual([]);
  await page.getByTestId("platform-audit-verify").click();
  await expect(page.getByTestId("platform-audit-verify-result")).toContainText("Intact");
});
