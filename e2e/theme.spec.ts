// The UI kit's page-wide pieces: the dark theme follows the system and the header toggle overrides
// it, next-themes' inline script runs under the nonce CSP (no violation), the skip link jumps to the
// content, and an action's result arrives as a toast.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("dark theme follows the system, the toggle overrides it, and the CSP reports nothing", async ({ page }) => {
  const cspErrors: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) cspErrors.push(m.text());
  });
  await page.emulateMedia({ colorScheme: "dark" });
  await signIn(page, "owner");
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);

  await page.getByTestId("theme-toggle").click();
  await page.getByRole("option", { name: "Light theme" }).click();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  // The choice outlives a reload (no flash back to the system's dark).
  await page.reload();
  await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);

  await page.getByTestId("theme-toggle").click();
  await page.getByRole("option", { name: "System theme" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  expect(cspErrors).toEqual([]);
});

test("the skip link is the first tab stop and moves focus to the content", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("saving the account name shows a toast; a blank name is refused beside the field", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/account");
  const name = page.getByLabel("Name", { exact: true });
  await name.fill(" ");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("account-name-error")).toHaveText("Enter your name.");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await name.fill("Olga Owner (e2e)");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId("name-saved")).toContainText("Name saved.");
  await expect(page.getByTestId("account-name-error")).toHaveCount(0);
  // Back to the seeded name, for the other specs.
  await name.fill("Olga Owner");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(name).toHaveValue("Olga Owner");
  await expect(page.getByRole("button", { name: "Save name" })).toBeDisabled();
});
