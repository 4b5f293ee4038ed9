// OAuth clients: an owner registers a confidential web client, pasting several redirect URIs and
// seeing each refusal explained live (fragment, http, userinfo) before fixing them; the secret is
// shown once and copied; rotating it with an overlap leaves two valid secrets. The public
// authorize-check then answers for the new client: a registered URI is allowed, an unregistered
// URI and an unknown client_id get the same refusal; disabling and deleting the client stop it.
// Support has no Clients page.
//
// The database is shared across runs and tests: clients are found by a unique name, and the URIs
// are on a host unique to the run (a redirect URI belongs to one tenant).
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const SECRET_PATTERN = /^cs_[A-Za-z0-9_-]{43}$/;

async function authorizeCheck(request: APIRequestContext, clientId: string, redirectUri: string) {
  const res = await request.post("/api/public/authorize-check", { data: { client_id: clientId, redirect_uri: redirectUri } });
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  return (await res.json()) as { allowed: boolean; reason: string; issuer?: string; pkce_required?: boolean };
}

function checkLine(field: Locator, line: number): Locator {
  return field.locator(`[data-testid="uri-check-line"][data-line="${line}"]`);
}

/** Regulated mode off (a previous run may have left it on), checking the wording of its dialog. */
async function ensureRegulatedModeOff(page: Page) {
  const badge = page.getByTestId("regulated-mode-badge");
  await expect(badge).toBeVisible();
  const dialog = page.getByRole("dialog");
  if ((await badge.getAttribute("data-on")) === "true") {
    await page.getByTestId("regulated-mode-toggle").click();
    await dialog.getByRole("button", { name: "Turn off" }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(badge).toHaveText("Regulated mode: off");
  // Turning it on says what it does; cancelled here.
  await page.getByTestId("regulated-mode-toggle").click();
  await expect(dialog).toContainText(
    "Regulated mode: https-only redirect URIs, no localhost, no private-use schemes, PKCE required for every client. Existing clients that break these rules stop matching at authorization until fixed.",
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(badge).toHaveText("Regulated mode: off");
}

test("an owner registers a web client with live URI checks, rotates its secret, and the authorize-check follows", async ({ page, context, request }) => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const host = `app-${run}.example.com`;
  const name = `e2e web ${run}`;
  const callback = `https://${host}/callback`;
  const second = `https://${host}/auth/return?tab=1`;

  await signIn(page, "owner");
  await page.goto("/t/acme");
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Clients" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/clients$/);
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  // The seeded clients are listed.
  await expect(page.getByTestId("client-row").filter({ hasText: "Acme Corporation web portal" })).toBeVisible();

  await ensureRegulatedModeOff(page);

  // Register: a web client (confidential) by default, with the type's default grants.
  await page.getByTestId("client-register").click();
  const form = page.locator("form").filter({ has: page.getByTestId("client-create") });
  await expect(page.getByTestId("client-type-select")).toHaveValue("web");
  await expect(form.getByRole("checkbox", { name: /^Authorization code/ })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: /^Refresh token/ })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: /^Client credentials/ })).not.toBeChecked();
  await expect(page.getByTestId("allowed-origins-input")).toHaveCount(0);

  // The type sets what is offered: machine-to-machine has only client credentials and no URIs…
  await page.getByTestId("client-type-select").selectOption("m2m");
  await expect(form.getByRole("checkbox", { name: /^Client credentials/ })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: /^Authorization code/ })).toHaveCount(0);
  await expect(page.getByTestId("redirect-uris-input")).toHaveCount(0);
  // …a single-page app has allowed origins, checked as typed.
  await page.getByTestId("client-type-select").selectOption("spa");
  await page.getByTestId("allowed-origins-input").fill(`https://${host}/path`);
  await expect(checkLine(page.getByTestId("allowed-origins-checks"), 1)).toHaveAttribute("data-ok", "false");
  await expect(checkLine(page.getByTestId("allowed-origins-checks"), 1)).toContainText("write the exact origin");
  await page.getByTestId("allowed-origins-input").fill("");
  await page.getByTestId("client-type-select").selectOption("web");
  await expect(form.getByRole("checkbox", { name: /^Client credentials/ })).not.toBeChecked();

  await page.getByTestId("client-name-input").fill(name);

  // A bulk paste: each refusal is explained live, line by line; saving is blocked.
  const redirects = page.getByTestId("redirect-uris-input");
  const checks = page.getByTestId("redirect-uris-checks");
  await redirects.fill([`https://${host}/cb#frag`, `http://${host}/cb`, "", `https://${host}@evil.com/cb`, callback, callback].join("\n"));
  await expect(checks.getByTestId("uri-check-line")).toHaveCount(5);
  await expect(checkLine(checks, 1)).toHaveAttribute("data-ok", "false");
  await expect(checkLine(checks, 1)).toContainText("Fragments (#…) are not allowed");
  await expect(checkLine(checks, 2)).toHaveAttribute("data-ok", "false");
  await expect(checkLine(checks, 2)).toContainText("“http:” redirect URIs are only allowed for native apps");
  await expect(checkLine(checks, 4)).toHaveAttribute("data-ok", "false");
  await expect(checkLine(checks, 4)).toContainText("User information (“…@”) is not allowed");
  await expect(checkLine(checks, 5)).toHaveAttribute("data-ok", "true");
  await expect(checkLine(checks, 6)).toHaveAttribute("data-ok", "false");
  await expect(checkLine(checks, 6)).toContainText("Duplicate of line 5");
  await expect(checks.getByTestId("uri-check-duplicates")).toContainText(callback);
  await expect(checks.getByTestId("uri-check-summary")).toContainText("4 of 5 redirect URIs need fixing.");
  await expect(redirects).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("client-create")).toBeDisabled();

  // Fixed: all lines pass (an IP-address URI passes with a warning, then is removed).
  await redirects.fill([callback, second, "https://203.0.113.7/cb"].join("\n"));
  await expect(checks.locator('[data-testid="uri-check-line"][data-ok="true"]')).toHaveCount(3);
  await expect(checkLine(checks, 3).getByTestId("uri-check-warning")).toContainText("IP address");
  await redirects.fill([callback, second].join("\n"));
  await expect(checks.getByTestId("uri-check-line")).toHaveCount(2);
  await expect(checks.locator('[data-testid="uri-check-line"][data-ok="true"]')).toHaveCount(2);
  await expect(checks.getByTestId("uri-check-summary")).toHaveText("2 redirect URIs, all valid.");
  await page.getByTestId("post-logout-uris-input").fill(`https://${host}/`);
  await expect(checkLine(page.getByTestId("post-logout-uris-checks"), 1)).toHaveAttribute("data-ok", "true");

  // The server's own refusals are shown too (here: grant rules, which the form leaves to the server).
  await form.getByRole("checkbox", { name: /^Authorization code/ }).uncheck();
  await expect(page.getByTestId("grant-hint")).toContainText("also choose the authorization code grant");
  await page.getByTestId("client-create").click();
  await expect(page.getByTestId("form-error")).toContainText("refresh_token needs authorization_code");
  await form.getByRole("checkbox", { name: /^Authorization code/ }).check();

  // Registered: the secret is shown once, with the client ID.
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByTestId("client-create").click();
  const shown = page.getByRole("dialog", { name: "Copy your client secret" });
  await expect(shown).toBeVisible();
  await expect(shown).toContainText("This is the only time the secret is shown.");
  await expect(shown).toContainText(name);
  const clientId = await shown.getByTestId("client-id-value").inputValue();
  expect(clientId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  const secret = await shown.getByTestId("client-secret-value").inputValue();
  expect(secret).toMatch(SECRET_PATTERN);
  await shown.getByTestId("client-secret-copy").click();
  await expect(shown.getByTestId("client-secret-copy-status")).toHaveText("Copied to the clipboard.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  // Escape does not lose it; only Done closes it.
  await page.keyboard.press("Escape");
  await expect(shown).toBeVisible();
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // Listed: name, type, client_id, two redirect URIs, enabled, PKCE, one secret by its hint.
  const row = page.locator(`[data-testid="client-row"][data-client-id="${clientId}"]`);
  await expect(row).toContainText(name);
  await expect(row.getByTestId("client-type")).toHaveText("Web application (confidential)");
  await expect(row.getByTestId("client-id")).toHaveText(clientId);
  await expect(row.getByTestId("client-redirect-count")).toHaveText("2");
  await expect(row.getByTestId("client-status")).toHaveText("Enabled");
  await expect(row.getByTestId("client-pkce")).toHaveText("PKCE optional");
  await expect(row.getByTestId("client-secret-hint")).toHaveCount(1);
  await expect(row.getByTestId("client-secret-hint")).toContainText(`…${secret.slice(-4)}`);

  // The authorize-check knows it at once.
  const allowed = await authorizeCheck(request, clientId, callback);
  expect(allowed).toMatchObject({ allowed: true, reason: "registered", pkce_required: false });
  expect(allowed.issuer).toContain("acme");
  expect((await authorizeCheck(request, clientId, second)).allowed).toBe(true);
  const unregistered = await authorizeCheck(request, clientId, `https://${host}/elsewhere`);
  expect(unregistered.allowed).toBe(false);
  expect(unregistered.reason).toBeTruthy();
  // Not even a trailing-slash variant: exact matching.
  expect((await authorizeCheck(request, clientId, `${callback}/`)).allowed).toBe(false);
  // An unknown client_id gets exactly the same answer: no oracle for client ids.
  expect(await authorizeCheck(request, `unknown${run}`.padEnd(32, "x"), callback)).toEqual(unregistered);

  // The client's page.
  await row.getByTestId("client-link").click();
  await expect(page).toHaveURL(/\/t\/acme\/clients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("client-secret")).toHaveCount(1);

  // Rotate with an overlap: the dialog explains it, the new secret is shown once.
  await page.getByTestId("client-rotate-secret").click();
  const rotate = page.getByRole("dialog", { name: "Rotate the client secret?" });
  await expect(rotate.getByRole("radio", { name: "24 hours", exact: true })).toBeChecked();
  await expect(rotate.getByTestId("rotate-explanation")).toHaveText(
    "The current secret keeps working for 24 hours so you can roll out the new one; after that only the new secret works.",
  );
  await rotate.getByRole("radio", { name: /^No overlap/ }).check();
  await expect(rotate.getByTestId("rotate-explanation")).toContainText("stops working at once");
  await rotate.getByRole("radio", { name: "1 hour", exact: true }).check();
  await expect(rotate.getByTestId("rotate-explanation")).toContainText("keeps working for 1 hour so you can roll out the new one");
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(rotate).toBeHidden();

  const rotated = page.getByRole("dialog", { name: "Copy the new client secret" });
  await expect(rotated).toBeVisible();
  await expect(rotated).toContainText("The previous secret keeps working until");
  await expect(rotated.getByTestId("client-id-value")).toHaveValue(clientId);
  const newSecret = await rotated.getByTestId("client-secret-value").inputValue();
  expect(newSecret).toMatch(SECRET_PATTERN);
  expect(newSecret).not.toBe(secret);
  await rotated.getByRole("button", { name: "Done" }).click();
  await expect(rotated).toHaveCount(0);

  // Two valid secrets: the new one, and the old one until its overlap ends.
  const secrets = page.getByTestId("client-secret");
  await expect(secrets).toHaveCount(2);
  await expect(secrets.nth(0)).toContainText(`…${newSecret.slice(-4)}`);
  await expect(secrets.nth(0)).not.toContainText("valid until");
  await expect(secrets.nth(1)).toContainText(`…${secret.slice(-4)}`);
  await expect(secrets.nth(1)).toContainText("valid until");
  expect(await page.content()).not.toContain(newSecret);

  // Edit: the same live checks; a bad line blocks saving, then the fixed list is saved.
  const edit = page.getByTestId("client-edit-form");
  await edit.getByTestId("redirect-uris-input").fill([callback, "https://*.example.com/cb"].join("\n"));
  await expect(checkLine(edit.getByTestId("redirect-uris-checks"), 2)).toHaveAttribute("data-ok", "false");
  await expect(checkLine(edit.getByTestId("redirect-uris-checks"), 2)).toContainText("ildcard");
  await expect(edit.getByTestId("client-save")).toBeDisabled();
  await edit.getByTestId("redirect-uris-input").fill(callback);
  await expect(edit.getByTestId("redirect-uris-checks").getByTestId("uri-check-line")).toHaveCount(1);
  await expect(checkLine(edit.getByTestId("redirect-uris-checks"), 1)).toHaveAttribute("data-ok", "true");
  await edit.getByTestId("client-save").click();
  await expect(page.getByTestId("client-saved")).toBeVisible();
  expect((await authorizeCheck(request, clientId, second)).allowed).toBe(false);
  expect((await authorizeCheck(request, clientId, callback)).allowed).toBe(true);

  // The list shows both secrets too.
  await page.getByRole("link", { name: "← All clients" }).click();
  await expect(row.getByTestId("client-secret-hint")).toHaveCount(2);
  await expect(row.getByTestId("client-redirect-count")).toHaveText("1");
  await row.getByTestId("client-link").click();

  // Disable (confirmed): the authorize-check refuses it; enable again: allowed.
  await page.getByTestId("client-toggle-enabled").click();
  const disable = page.getByRole("dialog", { name: "Disable client?" });
  await expect(disable).toContainText("cannot start new logins");
  await disable.getByRole("button", { name: "Disable client" }).click();
  await expect(disable).toBeHidden();
  await expect(page.getByTestId("client-status")).toHaveText("Disabled");
  expect(await authorizeCheck(request, clientId, callback)).toEqual(unregistered);
  await page.getByTestId("client-toggle-enabled").click();
  await expect(page.getByTestId("client-status")).toHaveText("Enabled");
  expect((await authorizeCheck(request, clientId, callback)).allowed).toBe(true);

  // Delete (confirmed, naming the client): its client_id and redirect URIs are released, logins stop.
  await page.getByTestId("client-delete").click();
  const del = page.getByRole("dialog", { name: "Delete client?" });
  await expect(del).toContainText(name);
  await expect(del).toContainText(clientId);
  await expect(del).toContainText("redirect URIs are released, and logins with it stop at once");
  await del.getByRole("button", { name: "Delete client" }).click();
  await expect(page.getByTestId("client-deleted")).toContainText(name);
  expect(await authorizeCheck(request, clientId, callback)).toEqual(unregistered);
  await page.getByRole("link", { name: "Back to the clients" }).click();
  await expect(page.locator(`[data-testid="client-row"][data-client-id="${clientId}"]`)).toHaveCount(0);
});

test("a public client has no secret and must use PKCE", async ({ page, request }) => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const name = `e2e native ${run}`;
  await signIn(page, "owner");
  await page.goto("/t/acme/clients");
  await ensureRegulatedModeOff(page);
  await page.getByTestId("client-register").click();
  await page.getByTestId("client-name-input").fill(name);
  await page.getByTestId("client-type-select").selectOption("native");
  await page.getByTestId("redirect-uris-input").fill(`http://127.0.0.1/cb\ncom.example.e2e${run}:/callback`);
  const checks = page.getByTestId("redirect-uris-checks");
  await expect(checks.locator('[data-testid="uri-check-line"][data-ok="true"]')).toHaveCount(2);
  await page.getByTestId("client-create").click();
  await expect(page.getByTestId("client-created")).toContainText("public client: it has no secret and must use PKCE");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const row = page.getByTestId("client-row").filter({ hasText: name });
  await expect(row.getByTestId("client-pkce")).toHaveText("PKCE required");
  const clientId = await row.getAttribute("data-client-id");
  // Loopback redirect URIs of native apps match any port (RFC 8252 §7.3).
  const res = await authorizeCheck(request, clientId!, "http://127.0.0.1:51234/cb");
  expect(res).toMatchObject({ allowed: true, pkce_required: true });

  await row.getByTestId("client-link").click();
  await expect(page.getByTestId("client-rotate-secret")).toHaveCount(0);
  await page.getByTestId("client-delete").click();
  await page.getByRole("dialog", { name: "Delete client?" }).getByRole("button", { name: "Delete client" }).click();
  await expect(page.getByTestId("client-deleted")).toBeVisible();
});

test("support does not get the Clients page", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/t/acme");
  await expect(page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Clients" })).toHaveCount(0);
  await page.goto("/t/acme/clients");
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("client-row")).toHaveCount(0);
  await expect(page.getByTestId("client-register")).toHaveCount(0);
  // The API says the same, with the support user's own session.
  const res = await page.request.get(`/api/trpc/clients.list?input=${encodeURIComponent(JSON.stringify({ json: { tenant: "acme" } }))}`);
  expect(res.status()).toBe(403);
});
