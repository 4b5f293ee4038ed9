// Server-side sessions in the browser: after sign-out the old session cookie is refused (a copied
// cookie stops working), and revoking another browser's session on the Sessions page signs that
// browser out on its next request. Security admins find both in the platform audit stream.
import { expect, test, type Browser } from "@playwright/test";
import { signIn, signOut } from "./helpers";

async function freshPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

test("sign out → replaying the old session cookie in a new browser is refused", async ({ browser, baseURL }) => {
  const a = await freshPage(browser, baseURL);
  await signIn(a.page, "owner");
  const cookies = await a.context.cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(true);
  await signOut(a.page);

  const thief = await freshPage(browser, baseURL);
  await thief.context.addCookies(cookies);
  await thief.page.goto("/tenants");
  await expect(thief.page).toHaveURL(/\/signin/);
  const api = await thief.page.request.get("/api/trpc/me.profile");
  expect(api.status()).toBe(401);
  await a.context.close();
  await thief.context.close();
});

test("the Sessions page revokes another browser's session", async ({ browser, baseURL }) => {
  const a = await freshPage(browser, baseURL);
  const b = await freshPage(browser, baseURL);
  await signIn(a.page, "support");
  await signIn(b.page, "support");

  // B's own session id: the row marked "this browser" on B's Sessions page.
  await b.page.goto("/account/sessions");
  const bRow = b.page.locator("tr[data-current]");
  await expect(bRow).toBeVisible();
  const bRowTestId = await bRow.getAttribute("data-testid");
  expect(bRowTestId).toMatch(/^session-/);

  await a.page.getByTestId("sessions-link").click();
  await expect(a.page.getByRole("heading", { name: "Sessions", exact: true })).toBeVisible();
  const row = a.page.getByTestId(bRowTestId!);
  await expect(row.getByText("active")).toBeVisible();
  await expect(row.getByTestId("current-session")).toHaveCount(0);
  await expect(a.page.locator("tr[data-current]").getByTestId("current-session")).toBeVisible();
  await row.getByTestId("revoke-session").click();
  await a.page.getByRole("dialog").getByRole("button", { name: "Revoke session" }).click();
  await expect(a.page.getByTestId("sessions-done")).toHaveText("The session was revoked.");
  await expect(row.getByText(/ended: revoked/)).toBeVisible();

  // B is signed out on its next request; A is not.
  await b.page.goto("/tenants");
  await expect(b.page).toHaveURL(/\/signin/);
  await a.page.goto("/tenants");
  await expect(a.page).toHaveURL(/\/tenants$/);
  await a.context.close();
  await b.context.close();
});

test("security admins see sign-ins and revocations in the platform audit stream", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/platform-audit");
  await expect(page.getByRole("heading", { name: "Platform audit stream" })).toBeVisible();
  await page.getByTestId("audit-filter-action").fill("session.revoked");
  await page.getByTestId("audit-filter-apply").click();
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  for (const a of await rows.locator("td:nth-child(3)").allInnerTexts()) expect(a).toMatch(/^session\.revoked/);
  await page.getByTestId("audit-filter-action").fill("signin.succeeded");
  await page.getByTestId("audit-filter-actor").fill("support@credo.local");
  await page.getByTestId("audit-filter-apply").click();
  await expect(rows.first()).toContainText("signin.succeeded");
  await page.getByTestId("platform-audit-verify").click();
  await expect(page.getByTestId("platform-audit-verify-result")).toContainText("Intact");
});
