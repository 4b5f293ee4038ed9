// The security admins' Users page: invite someone to the console, they accept; suspend them with a
// reason (their open session ends at once), reactivate. Non-admins are refused.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";
import { mailedLink } from "./mail";

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
  await page.getByRole("button", { name: "Search" }).click();
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

test("owners cannot use the Users page", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/users");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});
