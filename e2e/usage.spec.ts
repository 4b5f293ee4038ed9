// The usage page (README "Per-tenant usage"): after some console and public requests, the owner of
// globex sees them counted by surface, the audit trail's counts, and — after asking for a refresh —
// a storage snapshot taken by the background job. Support is refused the page. Passes axe.
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

const TENANT = "globex";

const count = async (page: Page, surface: string) =>
  Number((await page.getByTestId("usage-surface").and(page.locator(`[data-surface="${surface}"]`)).getByTestId("usage-day").getByTestId("usage-requests-count").innerText()).replaceAll(",", ""));

test("the owner sees requests by surface, audit counts and a storage snapshot", async ({ page, request }) => {
  await signIn(page, "owner");
  // Some public traffic of the tenant (counted at admission) and console traffic (page loads).
  for (let i = 0; i < 5; i++) {
    const res = await request.get(`/api/public/tenants/${TENANT}/jwks`);
    expect(res.status()).toBe(200);
  }
  await page.goto(`/t/${TENANT}/members`);
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
  await expect(page.getByTestId("usage-requests")).toBeVisible();
  expect(await count(page, "public")).toBeGreaterThanOrEqual(5);
  expect(await count(page, "trpc")).toBeGreaterThan(0);
  await expect(page.getByTestId("usage-audit-events-month")).toHaveText(/^[1-9][\d,]*$/);
  await expectAccessible(page);

  // More public requests show up on the next read (this instance's counts are included before the flush).
  const before = await count(page, "public");
  for (let i = 0; i < 3; i++) await request.get(`/api/public/tenants/${TENANT}/jwks`);
  await page.getByTestId("usage-reload").click();
  await expect.poll(() => count(page, "public")).toBeGreaterThanOrEqual(before + 3);

  // Storage: a refresh is queued as a job; the snapshot appears once the worker ran it. A second
  // refresh within 10 minutes is refused (a retried run may already be inside that window).
  await page.getByTestId("usage-refresh-storage").click();
  await expect(page.getByText(/Storage refresh queued|less than 10 minutes/)).toBeVisible();
  await expect(async () => {
    await page.getByTestId("usage-reload").click();
    await expect(page.getByTestId("usage-storage-summary")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("usage-storage-row").and(page.locator('[data-table="memberships"]'))).toBeVisible();
  await page.getByTestId("usage-refresh-storage").click();
  await expect(page.getByText(/less than 10 minutes/)).toBeVisible();
  await expectAccessible(page);
});

test("support is refused the usage page and has no nav entry", async ({ page }) => {
  await signIn(page, "support");
  await page.goto(`/t/acme/usage`);
  await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
  await expect(page.getByTestId("usage-requests")).toHaveCount(0);
  await expect(page.getByText(/does not include access to usage/)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Usage" })).toHaveCount(0);
});
