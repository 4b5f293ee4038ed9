import { expect, type Page } from "@playwright/test";

export const USERS = {
  admin: { email: "admin@credo.local", password: "ChangeMe-Admin-1" },
  owner: { email: "owner@credo.local", password: "ChangeMe-Owner-1" },
  support: { email: "support@credo.local", password: "ChangeMe-Support-1" },
} as const;

export async function signIn(page: Page, who: keyof typeof USERS) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(USERS[who].email);
  await page.getByLabel("Password").fill(USERS[who].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tenants$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** The tenant slugs linked from the tenant list page. */
export async function listedTenantSlugs(page: Page): Promise<string[]> {
  // The list renders after its data arrives: wait for the first link before reading them all.
  await page.locator('main a[href^="/t/"]').first().waitFor();
  const hrefs = await page.locator('main a[href^="/t/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(hrefs.map((h) => h.split("/")[2]!))].sort();
}
