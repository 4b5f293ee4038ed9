// Issue 12, in the browser: removing a member offers to revoke the API keys they created (on by
// default) and the API-keys page flags keys whose creator has no access any more; regulated mode can
// be turned on by an owner but only a security admin turns it off, with a reason.
//
// Fresh tenants per run (created by the security admin; the demo owner is invited as owner and
// accepts), so the demo tenants other specs use stay as they are.
import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut, USERS } from "./helpers";
import { acceptTenantInvitation } from "./owner-invitation";

async function trpcPost(page: Page, procedure: string, input: unknown) {
  const res = await page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  return { status: res.status(), body: (await res.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string } } } };
}

async function freshTenant(page: Page, prefix: string): Promise<string> {
  const slug = `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const res = await trpcPost(page, "platform.tenants.create", { slug, name: `E2E ${slug}`, ownerEmail: USERS.owner.email });
  expect(res.status).toBe(200);
  return slug;
}

test("removing a member revokes the API keys they created (the default), and the list says their creator is gone", async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, "admin");
  const slug = await freshTenant(page, "leave");
  // The demo support user is invited as a second owner of this tenant, accepts, then creates a key there.
  expect((await trpcPost(page, "invitations.create", { tenant: slug, email: USERS.support.email, role: "owner" })).status).toBe(200);
  await signOut(page);

  await signIn(page, "support");
  await acceptTenantInvitation(page, browser, testInfo, USERS.support.email, `E2E ${slug}`);
  const keyName = `leaver key ${Date.now().toString(36)}`;
  expect((await trpcPost(page, "apiKeys.create", { tenant: slug, name: keyName, scopes: ["keys.read"], expiresInDays: 30 })).status).toBe(200);
  await signOut(page);

  await signIn(page, "owner");
  await acceptTenantInvitation(page, browser, testInfo, USERS.owner.email, `E2E ${slug}`);
  await page.goto(`/t/${slug}/members`);
  await page.getByRole("button", { name: `Remove ${USERS.support.email}` }).click();
  const dialog = page.getByRole("dialog", { name: "Remove member?" });
  await expect(dialog).toContainText(`${USERS.support.email} will lose access`);
  const revoke = dialog.getByRole("checkbox", { name: /Also revoke the API key they created/ });
  await expect(revoke).toBeChecked();
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("member-row").filter({ hasText: USERS.support.email })).toHaveCount(0);

  await page.goto(`/t/${slug}/api-keys`);
  const row = page.getByTestId("api-key-row").filter({ hasText: keyName });
  await expect(row.getByTestId("api-key-status")).toHaveText("revoked");
  await expect(row.getByTestId("api-key-creator-gone")).toHaveText("Creator no longer has access");
});

test("an owner turns regulated mode on but cannot turn it off; a security admin can, with a reason", async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, "admin");
  const slug = await freshTenant(page, "reg");
  await signOut(page);

  await signIn(page, "owner");
  await acceptTenantInvitation(page, browser, testInfo, USERS.owner.email, `E2E ${slug}`);
  await page.goto(`/t/${slug}/clients`);
  const badge = page.getByTestId("regulated-mode-badge");
  await expect(badge).toHaveText("Regulated mode: off");
  await page.getByTestId("regulated-mode-toggle").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Turn on" }).click();
  await expect(dialog).toBeHidden();
  await expect(badge).toHaveText("Regulated mode: on");
  // No way to turn it off for an owner: the page says who can, and the server refuses anyway.
  await expect(page.getByTestId("regulated-mode-toggle")).toHaveCount(0);
  await expect(page.getByTestId("regulated-mode-off-note")).toHaveText("Only a platform security admin can turn regulated mode off.");
  const refused = await trpcPost(page, "policies.setRegulatedMode", { tenant: slug, regulatedMode: false, reason: "owner tries" });
  expect(refused.status).toBe(403);
  expect(refused.body.error?.json.message).toMatch(/Only a security admin can turn regulated mode off/);
  await page.reload();
  await expect(badge).toHaveText("Regulated mode: on");
  await signOut(page);

  await signIn(page, "admin");
  await page.goto(`/t/${slug}/clients`);
  await expect(badge).toHaveText("Regulated mode: on");
  await page.getByTestId("regulated-mode-toggle").click();
  await dialog.getByRole("button", { name: "Turn off" }).click();
  await expect(dialog.getByTestId("form-error")).toContainText("Say why regulated mode is turned off");
  await dialog.getByTestId("regulated-mode-reason").fill("Pilot ended; no regulated data");
  await dialog.getByRole("button", { name: "Turn off" }).click();
  await expect(dialog).toBeHidden();
  await expect(badge).toHaveText("Regulated mode: off");
});
