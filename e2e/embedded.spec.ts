// The embedded mode: the app started with no DATABASE_URL runs on PGlite, migrated and seeded.
import { expect, test } from "@playwright/test";
import { listedTenantSlugs, signIn } from "./helpers";

test("with no DATABASE_URL the console runs on embedded PostgreSQL and signs in", async ({ page }) => {
  await signIn(page, "owner");
  expect(await listedTenantSlugs(page)).toEqual(["acme", "globex"]);
  await page.goto("/t/acme");
  await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
  const foreign = await page.goto("/t/initech");
  expect(foreign?.status()).toBe(404);
});
