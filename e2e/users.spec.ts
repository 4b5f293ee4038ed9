// The security admins' Users page: invite someone to the console, they accept; suspend them with a
// reason (their open session ends at once), reactivate. Non-admins are refused.
import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./helpers";
import { mailedLink } from "./mail";
import { acceptTenantInvitation, createTenantInvitingOwner } from "./owner-invitation";

const PASSWORD = "seven quiet otters paddle upstream";

test("a security admin invites to the console, then suspends and reactivates the new account", async ({ page, browser }, testInfo) => {
  const email = `console-${Date.now()}@example.test`;
  await signIn(page, "admin");
  await page.getByTestId("users-link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-sent")).toContainText(email);
  await expect(page.getByTestId("invitation-row").filter({ hasText: email })).toBeVisible();

  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(await mailedLink(browser, testInfo, email, "invite"));
  await p.getByLabel("Your name").fill("Connie Console");
  await p.getByLabel("New password", { exact: true }).fill(PASSWORD);
  await p.getByLabel("Repeat the new password").fill(PASSWORD);
  await p.getByRole("button", { name: "Create account and accept" }).click();
  await expect(p).toHaveURL(/\/tenants$/);

  await page.reload();
  await expect(page.getByTestId("invitation-row").filter({ hasText: email })).toHaveCount(0);
  await page.getByLabel("Search by e-mail or name").fill(email);
  await page.getByLabel("Search by e-mail or name").press("Enter");
  const row = page.getByTestId("user-row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Connie Console");
  await row.getByRole("button", { name: `Suspend ${email}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("signed out everywhere");
  await dialog.getByLabel(/Reason/).fill("e2e: account review");
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByTestId("action-done")).toContainText(email);
  await expect(row).toContainText("suspended");

  // The suspended person's open session is over.
  await p.goto("/tenants");
  await expect(p).toHaveURL(/\/signin/);
  await ctx.close();

  await row.getByRole("button", { name: `Reactivate ${email}` }).click();
  await page.getByRole("dialog").getByLabel(/Reason/).fill("e2e: review done");
  await page.getByRole("dialog").getByRole("button", { name: "Reactivate" }).click();
  await expect(row).toContainText("active");
});

test("the Users page shows second factors and sessions; suspending revokes the user's API keys in their tenants", async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const email = USERS.support.email;
  const slug = `keys-${stamp}`;
  await signIn(page, "admin");
  // The demo support user, invited as first owner of a fresh tenant, accepts and creates an API key there.
  await createTenantInvitingOwner(page, slug, `Keys ${slug}`, email);
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await signIn(p, "support");
  await acceptTenantInvitation(p, browser, testInfo, email, `Keys ${slug}`);
  const created = await p.request.post("/api/trpc/apiKeys.create", { data: { json: { tenant: slug, name: "kim's key", scopes: ["keys.read"], expiresInDays: 30 } } });
  expect(created.status()).toBe(200);

  await page.goto("/users");
  const search = async (who: string) => {
    await page.getByLabel("Search by e-mail or name").fill(who);
    await page.getByLabel("Search by e-mail or name").press("Enter");
    const row = page.getByTestId("user-row").filter({ has: page.getByText(who, { exact: true }) });
    await expect(row).toHaveCount(1);
    return row;
  };
  // The demo admin has an authenticator app; the new person has no second factor.
  await expect((await search(USERS.admin.email)).getByTestId("second-factor")).toHaveText("TOTP");
  await page.getByRole("button", { name: `Second factors of ${USERS.admin.email}`, exact: true }).click();
  const factors = page.getByTestId("user-factors");
  await expect(factors.getByTestId("factor-row")).toHaveCount(1);
  await factors.getByRole("button", { name: /Remove Authenticator app/ }).click();
  const removeDialog = page.getByRole("dialog", { name: `Remove this second factor of ${USERS.admin.email}?` });
  await expect(removeDialog).toContainText(`every session of ${USERS.admin.email} ends`);
  await expect(removeDialog).toContainText("last second factor");
  await removeDialog.getByRole("button", { name: "Cancel" }).click();

  const row = await search(email);
  await expect(row.getByTestId("second-factor")).toHaveText("None");
  await row.getByRole("button", { name: `Sessions of ${email}`, exact: true }).click();
  await expect(page.getByTestId("user-sessions")).toContainText(`Sessions of ${email}`);
  await expect(page.getByTestId("user-sessions").getByRole("button", { name: /Revoke/ }).first()).toBeEnabled();

  await row.getByRole("button", { name: `Suspend ${email}` }).click();
  const dialog = page.getByRole("dialog", { name: "Suspend account?" });
  const revoke = dialog.getByRole("checkbox", { name: new RegExp(`Also revoke the .*API keys? ${email} created \\(.*Keys ${slug}: 1`) });
  await expect(revoke).toBeChecked();
  await dialog.getByLabel(/Reason/).fill("e2e: left the company");
  await dialog.getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByTestId("action-done")).toContainText(email);
  await expect(row).toContainText("suspended");
  await p.goto(`/t/${slug}`);
  await expect(p).toHaveURL(/\/signin/);
  await ctx.close();

  await page.goto(`/t/${slug}/api-keys`);
  await expect(page.getByTestId("api-key-row").filter({ hasText: "kim's key" })).toHaveAttribute("data-status", "revoked");

  // The demo support user is needed by other specs: reactivate.
  await page.goto("/users");
  const again = await search(email);
  await again.getByRole("button", { name: `Reactivate ${email}` }).click();
  await page.getByRole("dialog").getByLabel(/Reason/).fill("e2e: review done");
  await page.getByRole("dialog").getByRole("button", { name: "Reactivate" }).click();
  await expect(again).toContainText("active");
});

test("owners cannot use the Users page", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/users");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});
