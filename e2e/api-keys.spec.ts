// API keys: an owner creates a key (shown once, then gone from the page), calls the console's API
// with it over plain HTTP (no cookies) — its own tenant only, never through a tenant header — sees
// it marked as used, revokes it, and the very next call is refused. "Never" expiry is warned
// about. Support may not manage API keys.
//
// The database is shared across runs and tests: keys are found by their unique name / public id.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signIn } from "./helpers";

const KEY_PATTERN = /^tc_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/;

/** GET a tRPC query the way an API client does: superjson-encoded input in the query string. */
function trpcGet(api: APIRequestContext, procedure: string, input: unknown, headers: Record<string, string>) {
  const encoded = encodeURIComponent(JSON.stringify({ json: input }));
  return api.get(`/api/trpc/${procedure}?input=${encoded}`, { headers });
}

test("an owner creates an API key, uses it over HTTP for its own tenant only, and revokes it", async ({ page, playwright, baseURL }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme");
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();

  // Human-only permissions are never offered as scopes.
  const scopes = page.getByRole("group", { name: "Scopes" });
  await expect(scopes.getByRole("checkbox", { name: /^keys\.read — View signing keys/ })).toBeVisible();
  await expect(scopes.getByRole("checkbox", { name: /^apikeys\.manage/ })).toHaveCount(0);
  await expect(scopes.getByRole("checkbox", { name: /^members\.manage/ })).toHaveCount(0);

  // Expiry defaults to 90 days; "Never" is warned about.
  const expiry = page.getByLabel("Expires after");
  await expect(expiry).toHaveValue("90");
  await expect(page.getByTestId("never-warning")).toHaveCount(0);
  await expiry.selectOption({ label: "Never" });
  await expect(page.getByTestId("never-warning")).toBeVisible();
  await expect(page.getByTestId("never-warning")).toContainText(/valid until .*revoke/i);
  await expiry.selectOption({ label: "30 days" });
  await expect(page.getByTestId("never-warning")).toHaveCount(0);

  // The validation message (the procedure's own schema) is shown beside the scopes.
  const name = `e2e key ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByTestId("api-key-create").click();
  await expect(page.getByTestId("api-key-scopes-error")).toContainText("Choose at least one scope.");

  await scopes.getByRole("checkbox", { name: /^keys\.read/ }).check();
  await page.getByTestId("api-key-create").click();

  // Shown once, in a modal.
  const dialog = page.getByRole("dialog", { name: "Copy your API key" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("This is the only time the key is shown. Store it in your secret manager now.");
  const value = await dialog.getByTestId("new-api-key-value").inputValue();
  expect(value).toMatch(KEY_PATTERN);
  const publicId = value.slice(3, 15);
  await expect(dialog.getByTestId("new-api-key-usage")).toContainText("Authorization: Bearer");
  await expect(dialog.getByTestId("new-api-key-usage")).toContainText("%22tenant%22%3A%22acme%22");
  await dialog.getByTestId("new-api-key-copy").click();
  await expect(dialog.getByTestId("new-api-key-copy-status")).not.toBeEmpty();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toHaveCount(0);

  // Gone from the page for good; the list shows only the prefix.
  const row = page.locator(`[data-testid="api-key-row"][data-public-id="${publicId}"]`);
  await expect(row).toHaveAttribute("data-status", "active");
  expect(await page.content()).not.toContain(value);
  expect(await page.content()).not.toContain(value.slice(16));
  await expect(row).toContainText(name);
  await expect(row).toContainText(`tc_${publicId}_…`);
  await expect(row).toContainText("keys.read");
  await expect(row.getByTestId("api-key-last-used")).toHaveText("Never used");

  // An API client: no cookies, only the bearer key.
  const api = await playwright.request.newContext({ baseURL });
  try {
    const auth = { Authorization: `Bearer ${value}` };
    const own = await trpcGet(api, "keys.list", { tenant: "acme" }, auth);
    expect(own.status()).toBe(200);
    const body = (await own.json()) as { result: { data: { json: { keys: unknown[] } } } };
    expect(Array.isArray(body.result.data.json.keys)).toBe(true);
    expect(body.result.data.json.keys.length).toBeGreaterThan(0);

    // Another tenant — even one the key's creator owns — does not exist for this key.
    expect((await trpcGet(api, "keys.list", { tenant: "globex" }, auth)).status()).toBe(404);
    // The tenant never comes from a header.
    expect((await trpcGet(api, "keys.list", { tenant: "acme" }, { ...auth, "X-Tenant-ID": "acme" })).status()).toBe(400);
    // Only its scopes: a key cannot manage API keys.
    expect((await trpcGet(api, "apiKeys.list", { tenant: "acme" }, auth)).status()).toBe(403);

    // The row now shows when it was last used.
    await page.reload();
    await expect(row.getByTestId("api-key-last-used")).not.toHaveText("Never used");
    await expect(row.getByTestId("api-key-last-used").locator("time")).toBeVisible();

    // Revoke it in the console: the very next request is refused.
    await row.getByTestId("api-key-revoke").click();
    const confirm = page.getByRole("dialog", { name: "Revoke API key?" });
    await expect(confirm).toContainText("Requests with this key are refused from the very next request. Anything using it will stop working.");
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId("revoke-success")).toContainText(name);
    await expect(row).toHaveAttribute("data-status", "revoked");
    await expect(row.getByTestId("api-key-revoke")).toHaveCount(0);

    const after = await trpcGet(api, "keys.list", { tenant: "acme" }, auth);
    expect(after.status()).toBe(401);
    expect(await after.text()).not.toContain(value);
  } finally {
    await api.dispose();
  }
});

test("support cannot manage API keys", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/t/acme");
  await expect(page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "API keys" })).toHaveCount(0);
  await page.goto("/t/acme/api-keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("api-key-create")).toHaveCount(0);
  // The API says the same, with the support user's own session.
  const res = await page.request.get(`/api/trpc/apiKeys.list?input=${encodeURIComponent(JSON.stringify({ json: { tenant: "acme" } }))}`);
  expect(res.status()).toBe(403);
});
