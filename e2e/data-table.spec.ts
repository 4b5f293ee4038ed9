// The shared DataTable on real lists: server-side search and cursor paging (more clients than a
// page), sorting, column visibility, state in the URL surviving a reload, bulk revoke of API keys
// and bulk delete of clients (confirmed, naming what is lost), and a search in one tenant never
// showing another tenant's rows.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const run = Date.now().toString(36);

async function trpcPost(page: Page, path: string, input: unknown) {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
}

const rows = (page: Page) => page.getByTestId("client-row");

test("clients: server-side search, cursor pages, sort and columns live in the URL and survive a reload", async ({ page }) => {
  await signIn(page, "owner");
  const word = `dt${run}`;
  for (let i = 0; i < 30; i++) await trpcPost(page, "clients.create", { tenant: "acme", name: `${word} app ${String(i).padStart(2, "0")}`, type: "m2m" });

  await page.goto("/t/acme/clients");
  await page.getByRole("searchbox", { name: /Search clients/ }).fill(word);
  await expect(page).toHaveURL(new RegExp(`q=${word}`));
  await expect(rows(page)).toHaveCount(25);

  // Sort by name, ascending then descending (the header says which).
  await page.getByTestId("sort-name").click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await expect(rows(page).first()).toContainText(`${word} app 00`);
  await expect(page.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "ascending");

  // The next page comes from the server by cursor.
  await page.getByTestId("table-next").click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows(page)).toHaveCount(5);
  await expect(rows(page).first()).toContainText(`${word} app 25`);
  await expect(page.getByTestId("table-next")).toBeDisabled();

  // A column hidden from the menu.
  await page.getByTestId("table-columns").click();
  await page.getByRole("menuitemcheckbox", { name: "Type" }).click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/hide=type/);
  await expect(page.getByRole("columnheader", { name: "Type" })).toHaveCount(0);

  // Reload: same search, sort, page and columns.
  await page.reload();
  await expect(page.getByRole("searchbox", { name: /Search clients/ })).toHaveValue(word);
  await expect(rows(page)).toHaveCount(5);
  await expect(rows(page).first()).toContainText(`${word} app 25`);
  await expect(page.getByRole("columnheader", { name: "Type" })).toHaveCount(0);

  await page.getByTestId("table-previous").click();
  await expect(rows(page)).toHaveCount(25);
  await expect(rows(page).first()).toContainText(`${word} app 00`);

  await page.getByTestId("sort-name").click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  await expect(rows(page).first()).toContainText(`${word} app 29`);
  await expect(page).not.toHaveURL(/after=/);
});

test("clients: delete selected, after a confirmation naming each one", async ({ page }) => {
  await signIn(page, "owner");
  const word = `bulkdel${run}`;
  for (const n of ["one", "two", "three"]) await trpcPost(page, "clients.create", { tenant: "acme", name: `${word} ${n}`, type: "m2m" });
  await page.goto(`/t/acme/clients?q=${word}&sort=name&dir=asc`);
  await expect(rows(page)).toHaveCount(3);
  await page.getByRole("checkbox", { name: `Select ${word} one` }).click();
  await page.getByRole("checkbox", { name: `Select ${word} two` }).click();
  await expect(page.getByTestId("bulk-count")).toHaveText("2 selected");
  await page.getByTestId("bulk-delete").click();
  const dialog = page.getByRole("dialog", { name: "Delete 2 clients?" });
  await expect(dialog.getByTestId("bulk-delete-names")).toContainText(`${word} one`);
  await expect(dialog.getByTestId("bulk-delete-names")).toContainText(`${word} two`);
  await dialog.getByRole("button", { name: "Delete 2 clients" }).click();
  await expect(page.getByTestId("client-created")).toContainText("Deleted 2 clients");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(`${word} three`);
});

test("API keys: revoke selected, after a confirmation naming each one", async ({ page }) => {
  await signIn(page, "owner");
  const word = `bulkrev${run}`;
  for (const n of ["alpha", "beta", "gamma"]) await trpcPost(page, "apiKeys.create", { tenant: "acme", name: `${word} ${n}`, scopes: ["keys.read"], expiresInDays: 1 });
  await page.goto(`/t/acme/api-keys?q=${word}`);
  const keyRows = page.getByTestId("api-key-row");
  await expect(keyRows).toHaveCount(3);
  await page.getByRole("checkbox", { name: "Select all rows on this page" }).click();
  await expect(page.getByTestId("bulk-count")).toHaveText("3 selected");
  await page.getByTestId("bulk-revoke").click();
  const dialog = page.getByRole("dialog", { name: "Revoke 3 API keys?" });
  for (const n of ["alpha", "beta", "gamma"]) await expect(dialog.getByTestId("bulk-revoke-names")).toContainText(`${word} ${n}`);
  await dialog.getByRole("button", { name: "Revoke 3 keys" }).click();
  await expect(page.getByTestId("revoke-success")).toContainText("3 keys");
  await expect(page.locator('[data-testid="api-key-row"][data-status="revoked"]')).toHaveCount(3);
  // Revoked keys cannot be selected again.
  await expect(page.getByRole("checkbox", { name: /^Select bulkrev/ })).toHaveCount(0);
});

test("searching in one tenant never shows another tenant's rows", async ({ page }) => {
  await signIn(page, "owner"); // owner of acme and globex
  const word = `iso${run}`;
  await trpcPost(page, "clients.create", { tenant: "globex", name: `${word} globex only`, type: "m2m" });
  await trpcPost(page, "apiKeys.create", { tenant: "globex", name: `${word} globex key`, scopes: ["keys.read"], expiresInDays: 1 });
  await page.goto(`/t/acme/clients?q=${word}`);
  await expect(page.getByTestId("table-empty")).toContainText(`Nothing matches “${word}”`);
  await expect(rows(page)).toHaveCount(0);
  await page.goto(`/t/acme/api-keys?q=${word}`);
  await expect(page.getByTestId("table-empty")).toBeVisible();
  await page.goto(`/t/globex/clients?q=${word}`);
  await expect(rows(page)).toHaveCount(1);
});
