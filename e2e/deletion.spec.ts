// Tenant deletion: an owner requests the deletion of a tenant in the danger zone (counts, slug typed
// exactly, reason), sees the pending state (console closed, public JWKS gone), and cancels; after a
// second request a security admin shortens the grace to zero and watches the purge run to its end
// (step, rows deleted, retries) with a signed receipt to download.
//
// A fresh tenant per run (owned by the demo owner), so the demo tenants other specs use stay intact.
import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut, USERS } from "./helpers";
import { acceptTenantInvitation, createTenantInvitingOwner } from "./owner-invitation";

async function requestDeletion(page: Page, slug: string, reason: string) {
  await page.goto(`/t/${slug}/delete`);
  await expect(page.getByTestId("deletion-counts")).toBeVisible();
  await expect(page.getByTestId("count-signing_keys")).toHaveText("1");
  await expect(page.getByTestId("grace-days")).toHaveText("30 days");
  const submit = page.getByTestId("request-deletion");
  await page.getByLabel(/Type the tenant's slug/).fill(slug.toUpperCase());
  await page.getByLabel("Reason").fill(reason);
  await expect(submit).toBeDisabled();
  await page.getByLabel(/Type the tenant's slug/).fill(slug);
  await submit.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("console, API keys and public endpoints are closed");
  await dialog.getByRole("button", { name: "Schedule the deletion" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(page.getByTestId("pending-deletion")).toBeVisible();
}

test("an owner requests a tenant's deletion, sees it pending, cancels; a security admin watches the purge", async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const slug = `doomed-${Date.now().toString(36)}`;
  await signIn(page, "admin");
  await createTenantInvitingOwner(page, slug, `Doomed ${slug}`, USERS.owner.email);
  await signOut(page);

  // The demo owner accepts the owner invitation, then requests the deletion.
  await signIn(page, "owner");
  await acceptTenantInvitation(page, browser, testInfo, USERS.owner.email, `Doomed ${slug}`);
  await expect((await page.request.get(`/${slug}/.well-known/jwks.json`)).status()).toBe(200);
  await requestDeletion(page, slug, "Customer is leaving");
  await expect(page.getByTestId("pending-deletion-banner")).toBeVisible();
  await expect(page.getByTestId("deletion-reason")).toHaveText("Customer is leaving");
  await expect(page.getByTestId("deletion-status")).toHaveText("pending");
  // The console is closed: every section shows the pending state; the public JWKS is gone.
  await expect(page.getByRole("link", { name: "Clients" })).toHaveCount(0);
  await page.goto(`/t/${slug}/clients`);
  await expect(page.getByTestId("pending-deletion")).toBeVisible();
  await expect(page.getByTestId("clients-table")).toHaveCount(0);
  expect((await page.request.get(`/${slug}/.well-known/jwks.json`)).status()).toBe(404);

  // Cancel: everything back.
  await page.getByTestId("cancel-deletion").click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel the deletion" }).click();
  await expect(page.getByTestId("pending-deletion")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Clients" })).toBeVisible();
  expect((await page.request.get(`/${slug}/.well-known/jwks.json`)).status()).toBe(200);
  await page.waitForLoadState("networkidle");

  // Requested again; the security admin shortens the grace and watches the purge.
  await requestDeletion(page, slug, "Customer is leaving, for real");
  await signOut(page);
  await signIn(page, "admin");
  await page.getByTestId("deletions-link").click();
  await expect(page).toHaveURL(/\/deletions$/);
  const card = page.getByTestId(`deletion-${slug}`);
  await expect(page.getByTestId(`deletion-status-${slug}`)).toHaveText("pending");
  await expect(card.getByTestId("purge-step")).toHaveText("Waiting for the grace period to end");
  const shorten = page.getByTestId(`shorten-${slug}`);
  await shorten.getByLabel("Purge now").check();
  await shorten.getByLabel(/Type the tenant's slug/).fill(slug);
  await shorten.getByLabel("Reason (audited)").fill("Customer asked for immediate deletion");
  await shorten.getByRole("button", { name: "Purge now…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Purge now" }).click();
  // The worker picks the purge up at once; progress ends in "Completed" with the rows deleted.
  await expect(page.getByTestId(`deletion-status-${slug}`)).toHaveText("completed", { timeout: 60_000 });
  await expect(card.getByTestId("purge-step")).toHaveText("Completed");
  await expect(card.getByTestId("purge-retries")).toHaveText("0");
  await expect(card.getByTestId("purge-deleted")).toContainText("Signing keys");
  await expect(card.getByTestId("purge-deleted")).toContainText("Audit events");
  const download = page.waitForEvent("download");
  await page.getByTestId(`receipt-${slug}`).click();
  expect((await download).suggestedFilename()).toBe(`deletion-receipt-${slug}.json`);

  // The tombstone opens for nobody.
  await page.goto(`/t/${slug}`);
  await expect(page.getByText(/not found/i).first()).toBeVisible();
});
