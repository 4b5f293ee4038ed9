// Console defects an operator walking the console met (issue 13), each pinned by a test:
// shortening a deletion's grace is confirmed like the deletion (typed slug, no 0 default, "Purge
// now" only as an explicit choice); deleted tenants are tombstones, never links; deep links survive
// sign-in (and the admin's second factor); a paused tenant says so everywhere and an owner's
// buttons are disabled with the reason; red only for destructive actions; no stale messages;
// titles name the tenant; audit filters live in the URL; the switcher keeps the section.
//
// Fresh tenants per run for anything that pauses or deletes, so the demo tenants stay intact.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_ADMIN_TOTP_SECRET, signIn, USERS, verifyWithTotp } from "./helpers";
import { acceptTenantInvitation, createTenantInvitingOwner } from "./owner-invitation";

const HUMAN_TIME = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

async function trpcPost(page: Page, procedure: string, input: unknown) {
  return page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("shortening a deletion's grace is confirmed like the deletion; 0 days only through Purge now; the tombstone is no link", async ({ page }) => {
  test.setTimeout(120_000);
  const slug = `shorten-${Date.now().toString(36)}`;
  await signIn(page, "admin");
  expect((await trpcPost(page, "platform.tenants.create", { slug, name: `Shorten ${slug}` })).status()).toBe(200);
  const requested = await trpcPost(page, "deletion.request", { tenant: slug, confirmSlug: slug, reason: "Customer is leaving" });
  expect(requested.status(), await requested.text()).toBe(200);

  await page.goto("/deletions");
  const form = page.getByTestId(`shorten-${slug}`);
  const days = form.getByLabel("New grace (days)");
  const shortenButton = form.getByRole("button", { name: "Shorten grace…" });
  // No prefilled 0: the field starts empty and nothing can be sent yet.
  await expect(days).toHaveValue("");
  await expect(shortenButton).toBeDisabled();
  await form.getByLabel("Reason (audited)").fill("Customer asked for a shorter grace");
  await days.fill("0");
  await form.getByLabel(/Type the tenant's slug/).fill(slug);
  await expect(shortenButton).toBeDisabled(); // at least 1 day
  await days.fill("5");
  await form.getByLabel(/Type the tenant's slug/).fill(slug.toUpperCase());
  await expect(shortenButton).toBeDisabled(); // the slug typed exactly
  await form.getByLabel(/Type the tenant's slug/).fill(slug);
  await shortenButton.click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("can still be cancelled");
  await dialog.getByRole("button", { name: "Shorten grace" }).click();
  await expect(page.getByTestId(`deletion-${slug}`)).toContainText("(5 days grace)");
  await expect(page.getByTestId(`deletion-status-${slug}`)).toHaveText("pending");

  // The server refuses the same shortcuts: 0 without the explicit choice, a slug not typed.
  expect((await trpcPost(page, "platform.deletions.shortenGrace", { slug, confirmSlug: slug, graceDays: 0, reason: "now" })).status()).toBe(400);
  expect((await trpcPost(page, "platform.deletions.shortenGrace", { slug, confirmSlug: "", graceDays: 2, reason: "sooner" })).status()).toBe(400);

  // Purge now: an explicit choice that names what will be lost, with the slug typed and a confirmation.
  await form.getByLabel("Purge now").check();
  await expect(form.getByLabel("New grace (days)")).toHaveCount(0);
  await expect(form.getByTestId(`purge-now-warning-${slug}`)).toContainText("audit trail");
  await form.getByLabel(/Type the tenant's slug/).fill(slug);
  await form.getByLabel("Reason (audited)").fill("Customer asked for immediate deletion");
  await form.getByRole("button", { name: "Purge now…" }).click();
  await expect(dialog).toContainText("deleted permanently");
  await dialog.getByRole("button", { name: "Purge now" }).click();
  await expect(page.getByTestId(`deletion-status-${slug}`)).toHaveText("completed", { timeout: 60_000 });

  // A completed purge is not shown in red, and its rows read as words, never as identifiers.
  const card = page.getByTestId(`deletion-${slug}`);
  await expect(card.getByRole("progressbar").locator("div")).not.toHaveClass(/red/);
  await expect(card.getByTestId("purge-deleted")).toContainText("Data keys destroyed");
  await expect(card.getByTestId("purge-deleted")).not.toContainText("_");
  await expect(page.getByTestId(`receipt-${slug}`)).toBeVisible();

  // The tombstone is only in the deletions view: not in the tenant list, not in the switcher.
  await page.goto("/tenants");
  await page.getByLabel("Search tenants").fill(slug);
  await expect(page.getByTestId("table-empty")).toBeVisible();
  await expect(page.locator(`main a[href="/t/${slug}"]`)).toHaveCount(0);
  await page.goto("/t/acme");
  await expect(page.getByTestId("tenant-switcher").locator(`option[value="${slug}"]`)).toHaveCount(0);
});

test("signing in from a deep link lands on that page, also after the admin's second factor", async ({ browser }) => {
  const owner = await newPage(browser);
  await owner.goto("/t/acme/keys");
  await expect(owner).toHaveURL(/\/signin\?callbackUrl=%2Ft%2Facme%2Fkeys$/);
  await owner.getByLabel("E-mail").fill(USERS.owner.email);
  await owner.getByLabel("Password").fill(USERS.owner.password);
  await owner.getByRole("button", { name: "Sign in" }).click();
  await expect(owner).toHaveURL(/\/t\/acme\/keys$/);
  await expect(owner.getByRole("heading", { level: 1, name: "Signing keys" })).toBeVisible();
  await owner.context().close();

  const admin = await newPage(browser);
  await admin.goto("/t/acme/audit?action=member.");
  await expect(admin).toHaveURL(/\/signin\?callbackUrl=/);
  await admin.getByLabel("E-mail").fill(USERS.admin.email);
  await admin.getByLabel("Password").fill(USERS.admin.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await verifyWithTotp(admin, DEMO_ADMIN_TOTP_SECRET);
  await expect(admin).toHaveURL(/\/t\/acme\/audit\?action=member\.$/);
  await expect(admin.getByTestId("audit-filter-action")).toHaveValue("member.");
  await admin.context().close();

  // Still only paths on this site.
  const other = await newPage(browser);
  await other.goto("/signin?callbackUrl=%2F%2Fevil.example%2Ft%2Facme");
  await other.getByLabel("E-mail").fill(USERS.owner.email);
  await other.getByLabel("Password").fill(USERS.owner.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(/\/tenants$/);
  await other.context().close();
});

test("a paused tenant says so everywhere; an owner's buttons are disabled with the reason; resuming is not red", async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const slug = `paused-${Date.now().toString(36)}`;
  const name = `Paused ${slug}`;
  await signIn(page, "admin");
  await createTenantInvitingOwner(page, slug, name, USERS.owner.email);

  const owner = await newPage(browser);
  await signIn(owner, "owner");
  await acceptTenantInvitation(owner, browser, testInfo, USERS.owner.email, name);
  // A key and a client, so their rows' actions can be seen disabled too.
  const key = await trpcPost(owner, "apiKeys.create", { tenant: slug, name: "paused key", scopes: ["keys.read"], expiresInDays: 1 });
  expect(key.status(), await key.text()).toBe(200);
  const client = await trpcPost(owner, "clients.create", { tenant: slug, name: "paused app", type: "m2m" });
  expect(client.status(), await client.text()).toBe(200);
  const paused = await trpcPost(page, "platform.tenants.pause", { slug, reason: "INC-42 key leak" });
  expect(paused.status(), await paused.text()).toBe(200);

  // The tenant list and the switcher mark it; the overview's status says paused.
  await owner.goto("/tenants");
  await expect(owner.locator(`main a[href="/t/${slug}"]`)).toContainText("paused");
  await owner.goto(`/t/${slug}`);
  await expect(owner.getByTestId("tenant-status")).toHaveText("paused");
  await expect(owner.getByTestId("tenant-switcher").locator(`option[value="${slug}"]`)).toContainText("paused");
  const banner = owner.getByTestId("paused-banner");
  await expect(banner).toContainText("INC-42 key leak");
  await expect(banner).toContainText(HUMAN_TIME);
  await expect(banner).not.toContainText(ISO_TIME);

  // Buttons that would change it are disabled before anything is confirmed, the reason beside them.
  await owner.goto(`/t/${slug}/keys`);
  const rotate = owner.getByTestId("keys-rotate");
  await expect(rotate).toBeDisabled();
  await expect(rotate).toHaveAttribute("title", /INC-42 key leak/);
  await expect(rotate).toHaveAttribute("title", HUMAN_TIME);
  await expect(owner.getByTestId("keys-rotate-revoke")).toBeDisabled();
  await owner.goto(`/t/${slug}/api-keys`);
  await expect(owner.getByTestId("api-key-create")).toBeDisabled();
  await expect(owner.getByTestId("api-key-revoke")).toBeDisabled();
  await expect(owner.getByTestId("api-key-revoke")).toHaveAttribute("title", /INC-42 key leak/);
  await owner.getByRole("checkbox", { name: "Select paused key" }).click();
  await expect(owner.getByTestId("bulk-revoke")).toBeDisabled();
  await owner.goto(`/t/${slug}/members`);
  await expect(owner.getByRole("button", { name: "Send invitation" })).toBeDisabled();
  await owner.goto(`/t/${slug}/clients`);
  await expect(owner.getByTestId("client-register")).toBeDisabled();
  await expect(owner.getByTestId("client-row-delete")).toBeDisabled();
  await expect(owner.getByTestId("client-row-delete")).toHaveAttribute("title", /INC-42 key leak/);
  await owner.getByRole("checkbox", { name: "Select paused app" }).click();
  await expect(owner.getByTestId("bulk-delete")).toBeDisabled();

  // The security admin can still remediate: staging a key is not a red action; neither is resuming.
  await page.goto(`/t/${slug}/keys`);
  await page.getByTestId("keys-rotate").click();
  const stage = page.getByRole("dialog").getByRole("button", { name: "Stage key" });
  await expect(stage).toBeVisible();
  await expect(stage).not.toHaveClass(/bg-red/);
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await page.goto(`/t/${slug}`);
  await page.getByRole("button", { name: "Resume tenant…" }).click();
  const resume = page.getByRole("dialog").getByRole("button", { name: "Resume", exact: true });
  await expect(resume).not.toHaveClass(/bg-red/);
  await resume.click();
  await expect(page.getByTestId("tenant-status")).toHaveText("active");
  await owner.goto(`/t/${slug}/keys`);
  await expect(owner.getByTestId("keys-rotate")).toBeEnabled();
  await owner.context().close();
});

test("no stale messages: a new attempt clears the old error; the URI checker never shows the old verdict while checking", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme/members");
  const email = page.locator("#invite-email");
  // "a@b" is refused by the procedure's own schema (the form validates with it): the error is beside the field.
  await email.fill("a@b");
  await page.locator("#invite-role").selectOption("support");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-email-error")).toContainText("valid e-mail");
  // A new attempt with another mistake: the old error is gone, only the new one is shown.
  await email.fill("new-member@example.com");
  await page.locator("#invite-days").fill("0");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-days-error")).toContainText("at least 1 day");
  await expect(page.getByTestId("invite-email-error")).toHaveCount(0);
  await expect(page.getByTestId("form-error")).toHaveCount(0);

  // The URI checker: while a changed list is being checked, the previous "all valid" is not shown.
  await page.goto("/t/acme/clients");
  await page.getByTestId("client-register").click();
  const redirects = page.getByTestId("redirect-uris-input");
  const summary = page.getByTestId("redirect-uris-checks").getByTestId("uri-check-summary");
  await redirects.fill("https://app.acme.example/cb");
  await expect(summary).toHaveText("1 redirect URI, valid.");
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/trpc\/[^?]*clients\.checkUris/, async (route) => {
    await held;
    await route.continue();
  });
  await redirects.fill("https://app.acme.example/cb\nhttp://app.acme.example/cb");
  await expect(summary).toHaveText("Checking…");
  await expect(page.getByTestId("redirect-uris-checks")).not.toContainText("valid");
  release();
  await expect(summary).toHaveText("1 of 2 redirect URIs needs fixing.");
});

test("titles name the tenant; audit filters live in the URL with times as 5 Dec 2026; the switcher keeps the section", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme/api-keys");
  await expect(page).toHaveTitle("API keys · acme · Credo Console");

  await page.goto("/t/acme/audit");
  await expect(page).toHaveTitle("Audit · acme · Credo Console");
  await page.getByTestId("audit-filter-action").fill("member.");
  await page.getByTestId("audit-filter-from").fill("2020-01-05 09:30");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page).toHaveURL(/[?&]action=member\.(&|$)/);
  await expect(page).toHaveURL(/[?&]from=2020-01-05T09%3A30/);
  // Shown the console's way, not the browser locale's mm/dd/yyyy.
  await expect(page.getByTestId("audit-filter-from")).toHaveValue("5 Jan 2020, 09:30");
  await page.reload();
  await expect(page.getByTestId("audit-filter-action")).toHaveValue("member.");
  await expect(page.getByTestId("audit-filter-from")).toHaveValue("5 Jan 2020, 09:30");
  await expect(page.getByTestId("audit-row").first()).toContainText("member.");
  // A date that is not one is refused beside its field, and nothing is applied.
  await page.getByTestId("audit-filter-to").fill("31 Feb 2026");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page.getByText("Not a date")).toBeVisible();
  await expect(page).not.toHaveURL(/[?&]to=/);

  await page.goto("/t/acme/keys");
  await page.getByTestId("tenant-switcher").selectOption("globex");
  await expect(page).toHaveURL(/\/t\/globex\/keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "Signing keys" })).toBeVisible();
});
