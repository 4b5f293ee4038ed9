// Invitations end to end: an owner invites from the members page, the e-mail arrives (over SMTP on
// the PostgreSQL project, in the dev outbox on the embedded one), the invitee accepts in a fresh
// browser, is signed in and sees the tenant. Password reset by e-mail signs out other browsers.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";
import { mailedLink } from "./mail";

const PASSWORD = "violet lanterns drift over harbors";

test("owner invites a new person; they accept in a fresh browser and land in the tenant", async ({ page, browser }, testInfo) => {
  const email = `invitee-${Date.now()}@example.test`;
  await signIn(page, "owner");
  await page.goto("/t/globex/members");
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Role").selectOption("support");
  await page.getByLabel(/Days/).fill("3");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("form-success")).toContainText(email);
  await expect(page.getByTestId("invitation-row").filter({ hasText: email })).toBeVisible();

  const link = await mailedLink(browser, testInfo, email, "invite");
  const invitee = await browser.newContext();
  const p = await invitee.newPage();
  await p.goto(link);
  await expect(p.getByRole("heading", { level: 1, name: "You are invited" })).toBeVisible();
  await expect(p.getByText(/Globex/).first()).toBeVisible();
  await p.getByLabel("Your name").fill("Ivy Invitee");
  await p.getByLabel("New password", { exact: true }).fill(PASSWORD);
  await p.getByLabel("Repeat the new password").fill(PASSWORD);
  await p.getByRole("button", { name: "Create account and accept" }).click();
  await expect(p).toHaveURL(/\/t\/globex$/);
  await expect(p.getByRole("heading", { level: 1 })).toContainText("Globex");
  await expect(p.getByTestId("role-badge")).toHaveText(/Support/);

  // The link is used up.
  await p.goto(link);
  await expect(p.getByTestId("invitation-invalid")).toBeVisible();
  await invitee.close();

  // The owner now sees the member, and no longer the pending invitation.
  await page.reload();
  await expect(page.getByTestId("member-row").filter({ hasText: email })).toBeVisible();
  await expect(page.getByTestId("invitation-row").filter({ hasText: email })).toHaveCount(0);
  await page.goto("/t/globex/audit");
  await expect(page.getByText("member.joined").first()).toBeVisible();
});

test("a password reset by e-mail signs out another browser", async ({ page, browser }, testInfo) => {
  // A fresh account (through an invitation by the owner), signed in in a second browser.
  const email = `reset-${Date.now()}@example.test`;
  await signIn(page, "owner");
  await page.goto("/t/acme/members");
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Role").selectOption("owner");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("form-success")).toContainText(email);
  const other = await browser.newContext();
  const o = await other.newPage();
  await o.goto(await mailedLink(browser, testInfo, email, "invite"));
  await o.getByLabel("Your name").fill("Rita Reset");
  await o.getByLabel("New password", { exact: true }).fill(PASSWORD);
  await o.getByLabel("Repeat the new password").fill(PASSWORD);
  await o.getByRole("button", { name: "Create account and accept" }).click();
  await expect(o).toHaveURL(/\/t\/acme$/);

  // Reset from a third, signed-out browser.
  const third = await browser.newContext();
  const r = await third.newPage();
  await r.goto("/signin");
  await r.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an "E-mail" field too: wait for the reset page before filling it.
  await expect(r.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  await r.getByLabel("E-mail").fill(email);
  await r.getByRole("button", { name: "Send reset link" }).click();
  await expect(r.getByTestId("form-success")).toContainText("If an account uses this address");
  await r.goto(await mailedLink(browser, testInfo, email, "reset-password"));
  const NEW = "copper kettles whistle at dawn";
  await r.getByLabel("New password", { exact: true }).fill(NEW);
  await r.getByLabel("Repeat the new password").fill(NEW);
  await r.getByRole("button", { name: "Set new password" }).click();
  await expect(r.getByTestId("form-success")).toBeVisible();

  // The second browser's session is over on its next request.
  await o.goto("/t/acme");
  await expect(o).toHaveURL(/\/signin/);
  await other.close();

  await r.getByRole("link", { name: "Sign in" }).click();
  await r.getByLabel("E-mail").fill(email);
  await r.getByLabel("Password").fill(NEW);
  await r.getByRole("button", { name: "Sign in" }).click();
  await expect(r).toHaveURL(/\/tenants$/);
  await third.close();
});
