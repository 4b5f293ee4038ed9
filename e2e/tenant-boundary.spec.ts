// Sign in as each role, see exactly the allowed tenants, a foreign tenant URL shows the not-found
// page (the same as a missing one), sign out.
import { expect, test } from "@playwright/test";
import { listedTenantSlugs, signIn, signOut, USERS } from "./helpers";
import { mailedLink } from "./mail";

test("security admin sees every tenant and can open any", async ({ page }) => {
  await signIn(page, "admin");
  expect(await listedTenantSlugs(page)).toEqual(expect.arrayContaining(["acme", "globex", "initech"]));
  await page.goto("/t/initech");
  await expect(page.getByRole("heading", { level: 1, name: "Initech" })).toBeVisible();
  await expect(page.getByTestId("role-badge")).toHaveText(/Security admin/);
  await signOut(page);
});

test("owner sees exactly their tenants; a foreign tenant is not found, like a missing one", async ({ page }) => {
  await signIn(page, "owner");
  // Of the seeded tenants exactly acme and globex (other specs invite the demo owner into fresh
  // tenants of their own, which then rightly appear too).
  const seeded = ["acme", "globex", "initech"];
  expect((await listedTenantSlugs(page)).filter((s) => seeded.includes(s))).toEqual(["acme", "globex"]);
  await page.goto("/t/acme");
  await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
  await expect(page.getByTestId("role-badge")).toHaveText(/Owner/);

  const foreign = await page.goto("/t/initech");
  expect(foreign?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  const foreignText = await page.locator("main").innerText();

  const missing = await page.goto("/t/no-such-tenant");
  expect(missing?.status()).toBe(404);
  expect(await page.locator("main").innerText()).toBe(foreignText);
  await page.goto("/tenants");
  await signOut(page);
});

test("support sees only the granted tenant, read-only", async ({ page }) => {
  await signIn(page, "support");
  expect(await listedTenantSlugs(page)).toEqual(["acme"]);
  await page.goto("/t/acme");
  await expect(page.getByTestId("role-badge")).toHaveText(/Support/);
  await page.goto("/t/acme/audit");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  const globex = await page.goto("/t/globex");
  expect(globex?.status()).toBe(404);
  await page.goto("/tenants");
  await signOut(page);
});

test("signed out, a tenant page sends you to sign-in; a wrong password gives one neutral message", async ({ page }) => {
  await page.goto("/t/acme");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("E-mail").fill(USERS.owner.email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toHaveText("Invalid e-mail or password.");
  await page.getByLabel("E-mail").fill("nobody@credo.local");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toHaveText("Invalid e-mail or password.");
});

test("a security admin creates a tenant, which opens at once", async ({ page }) => {
  await signIn(page, "admin");
  const slug = `e2e-${Date.now().toString(36)}`;
  await page.getByLabel("Slug").fill("Bad Slug");
  await page.getByLabel("Name", { exact: true }).fill("Bad");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByTestId("new-slug-error")).toContainText(/lowercase letters/);
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name", { exact: true }).fill("E2E Tenant");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "E2E Tenant" })).toBeVisible();
});

test("an owner invites support, the invitee accepts after signing in, the owner revokes; all audited", async ({ page, browser }, testInfo) => {
  await signIn(page, "owner");
  await page.goto("/t/globex/members");
  await page.getByLabel("E-mail", { exact: true }).fill(USERS.support.email);
  await page.getByLabel("Role").selectOption("support");
  await page.getByLabel(/Days/).fill("2");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("form-success")).toContainText(USERS.support.email);

  // An existing account signs in first, then accepts.
  const link = await mailedLink(browser, testInfo, USERS.support.email, "invite");
  const supportCtx = await browser.newContext();
  const s = await supportCtx.newPage();
  await s.goto(link);
  await s.getByRole("link", { name: "Sign in to accept" }).click();
  await s.getByLabel("E-mail").fill(USERS.support.email);
  await s.getByLabel("Password").fill(USERS.support.password);
  await s.getByRole("button", { name: "Sign in" }).click();
  await expect(s).toHaveURL(new RegExp(link.replace(/[/]/g, "\\/") + "$"));
  await s.getByRole("button", { name: "Accept invitation" }).click();
  await expect(s).toHaveURL(/\/t\/globex$/);
  await supportCtx.close();

  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(USERS.support.email) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog").getByRole("button", { name: /Remove/ }).click();
  await expect(row).toHaveCount(0);
  await page.goto("/t/globex/audit");
  await expect(page.getByText("member.invited").first()).toBeVisible();
  await expect(page.getByText("member.joined").first()).toBeVisible();
  await expect(page.getByText("member.support_revoked").first()).toBeVisible();
});
