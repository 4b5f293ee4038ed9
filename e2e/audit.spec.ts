// Support staff read a tenant's audit trail: filter it, open an event, verify the hash chain.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("support filters the audit trail, opens an event and verifies the chain", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/t/acme/audit");
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  await expect(page.getByTestId("audit-row").first()).toBeVisible();

  await page.getByTestId("audit-filter-action").fill("member.");
  await page.getByTestId("audit-filter-apply").click();
  const rows = page.getByTestId("audit-row");
  // The previous page stays on screen until the filtered one arrives: wait for it.
  await expect(page).toHaveURL(/action=member\./);
  await expect
    .poll(async () => {
      const actions = await rows.locator("td:nth-child(3)").allInnerTexts();
      return actions.length > 0 && actions.every((a) => /^member\./.test(a));
    })
    .toBe(true);

  await rows.first().getByRole("button", { name: /Details/ }).click();
  await expect(page.getByText("After", { exact: true })).toBeVisible();
  await expect(page.getByText(/Chain:/)).toBeVisible();

  // Free text (with the action prefix still set): found in any case, through the trigram search.
  await page.getByTestId("audit-filter-text").fill("MEMBER");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page).toHaveURL(/q=MEMBER/);
  await expect
    .poll(async () => {
      const actions = await rows.locator("td:nth-child(3)").allInnerTexts();
      return actions.length > 0 && actions.every((a) => /^member\./.test(a));
    })
    .toBe(true);

  await page.getByTestId("audit-filter-text").fill("no-such-action-anywhere");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page.getByTestId("audit-empty")).toHaveText("No events match these filters.");

  await page.getByTestId("audit-verify").click();
  await expect(page.getByTestId("audit-verify-result")).toContainText("Intact");
});

test("the cross-tenant audit trail links each event to its tenant's trail", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Platform audit trail" })).toBeVisible();
  const row = page.getByTestId("platform-audit-row").first();
  await expect(row).toBeVisible();
  // Time, tenant, actor, action, target: the tenant column links to that tenant's own trail.
  const tenant = row.locator("td:nth-child(2) a");
  await expect(tenant).toHaveAttribute("href", /^\/t\/[^/]+\/audit$/);
  await expect(row.locator("td:nth-child(4)")).toHaveText(/^[a-z_]+\.[a-z_.]+/);
});
