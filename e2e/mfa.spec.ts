// Second factors: a security admin without one is sent to enrolment before anything else; TOTP
// enrolment (QR + key, recovery codes shown once) → sign out → sign in with a code; a passkey added
// and used to sign in with Chromium's virtual authenticator (CDP WebAuthn); step-up asked before a
// tenant deletion once the last verification is older than the policy's window.
//
// Runs as the seeded newadmin@credo.local (no factor at first), serially: each test builds on the last.
import { expect, test, type Page } from "@playwright/test";
import { signOut, totpCode, totpKey, USERS, verifyWithTotp } from "./helpers";

test.describe.configure({ mode: "serial" });

let secret = "";

async function passwordStep(page: Page, base = "") {
  await page.goto(`${base}/signin`);
  await page.getByLabel("E-mail").fill(USERS.newadmin.email);
  await page.getByLabel("Password").fill(USERS.newadmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function trpc(page: Page, path: string, input?: unknown) {
  const res = input === undefined ? await page.request.get(`/api/trpc/${path}`) : await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).result.data.json;
}

test("a security admin without a second factor enrols TOTP first, then signs in with a code", async ({ page }) => {
  await passwordStep(page);
  await expect(page).toHaveURL(/\/account\/security\/enrol/);
  await expect(page.getByRole("heading", { name: "Set up a second factor" })).toBeVisible();
  // Nothing else opens before enrolment.
  await page.goto("/tenants");
  await expect(page).toHaveURL(/\/account\/security\/enrol/);

  await page.getByTestId("start-totp").click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByLabel("Code from the app").fill(await totpCode(totpKey(page, secret), secret));
  await page.getByRole("button", { name: "Confirm" }).click();

  const dialog = page.getByTestId("recovery-codes-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByTestId("recovery-codes-done").click();
  await expect(page).toHaveURL(/\/tenants$/);

  await signOut(page);
  await passwordStep(page);
  await verifyWithTotp(page, secret);
  await expect(page).toHaveURL(/\/tenants$/);
  await page.goto("/account/security");
  await expect(page.getByTestId("factor-row")).toHaveCount(1);
  // The secret is never shown again.
  await expect(page.getByText(secret)).toHaveCount(0);
});

test("a passkey is added and signs in (Chromium virtual authenticator)", async ({ page, baseURL }) => {
  // A WebAuthn RP ID must be a domain name: use localhost for this server.
  const base = baseURL!.replace("127.0.0.1", "localhost");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  await passwordStep(page, base);
  await verifyWithTotp(page, secret);
  await page.goto(`${base}/account/security`);
  await page.getByLabel("Passkey name").fill("Test laptop");
  await page.getByTestId("add-passkey").click();
  await expect(page.getByTestId("factor-row").filter({ hasText: "Test laptop" })).toBeVisible();
  await expect(page.getByTestId("factor-row")).toHaveCount(2);

  await signOut(page);
  await passwordStep(page, base);
  await expect(page).toHaveURL(/\/signin\/verify/);
  await page.getByTestId("use-passkey").click();
  await expect(page).toHaveURL(/\/tenants$/);
  await page.goto(`${base}/account/security`);
  await expect(page.getByTestId("factor-row").filter({ hasText: "Test laptop" })).not.toContainText("not used yet");
});

test("requesting a tenant deletion asks for step-up once the last verification is too old", async ({ page }) => {
  test.setTimeout(180_000);
  await passwordStep(page);
  await verifyWithTotp(page, secret);
  const slug = `mfa-${Date.now().toString(36)}`;
  await trpc(page, "platform.tenants.create", { slug, name: `Step-up ${slug}` });

  // The shortest step-up window the global policy allows (1 minute), restored afterwards.
  const state = await trpc(page, "platform.policies.state");
  const saved = await trpc(page, "platform.policies.save", {
    document: { ...state.overrides, operators: { ...(state.overrides.operators ?? {}), stepUpMinutes: 1 } },
    expectedVersion: state.latest?.version ?? 0,
    comment: "e2e: short step-up window",
  });
  try {
    await page.waitForTimeout(62_000);
    await page.goto(`/t/${slug}/delete`);
    await page.getByLabel(/Type the tenant's slug/).fill(slug);
    await page.getByLabel("Reason").fill("Step-up check");
    await page.getByTestId("request-deletion").click();
    await page.getByRole("dialog").getByRole("button", { name: "Schedule the deletion" }).click();

    const stepUp = page.getByTestId("step-up-dialog");
    await expect(stepUp).toBeVisible();
    await expect(stepUp.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
    await stepUp.getByLabel("Authenticator code").fill(await totpCode(totpKey(page, secret), secret));
    await stepUp.getByRole("button", { name: "Confirm" }).click();
    await expect(stepUp).toBeHidden();
    // The refused request was sent again after the step-up and went through.
    await expect(page.getByTestId("pending-deletion")).toBeVisible();
  } finally {
    await trpc(page, "platform.policies.resetField", { section: "operators", field: "stepUpMinutes", expectedVersion: saved.latest.version });
  }
});
