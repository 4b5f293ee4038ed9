// Signing keys: an owner rotates (stages a next key), promotes and revokes, then rotates-and-revokes
// in an emergency; the tenant's public JWKS follows every step and never shows another tenant's
// keys. Support may not see or change keys, and a foreign tenant's keys page is not found.
//
// The database is shared across runs and tests, so nothing here assumes a fresh key history: a
// staged key left over from an earlier run is promoted first, and rows are found by kid.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "./helpers";

function keyRowInState(page: Page, state: "next" | "current" | "previous" | "revoked"): Locator {
  return page.locator(`[data-testid="key-row"][data-state="${state}"]`);
}

function keyRow(page: Page, kid: string): Locator {
  return page.locator(`[data-testid="key-row"][data-kid="${kid}"]`);
}

async function kidOf(row: Locator): Promise<string> {
  await expect(row).toHaveCount(1);
  const kid = await row.getAttribute("data-kid");
  expect(kid).toBeTruthy();
  return kid!;
}

/** The kids in /{tenant}/.well-known/jwks.json (public, session-less), checking it holds public members only. */
async function jwksKids(page: Page, tenant: string): Promise<string[]> {
  const res = await page.request.get(`/${tenant}/.well-known/jwks.json`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  expect(res.headers()["cache-control"]).toContain("max-age=300");
  const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
  for (const k of body.keys) {
    for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(k).not.toHaveProperty(secret);
  }
  return body.keys.map((k) => String(k.kid));
}

test("an owner rotates, promotes and revokes signing keys; the JWKS follows each step", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme");
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Signing keys" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "Signing keys" })).toBeVisible();
  await expect(keyRowInState(page, "current")).toHaveCount(1);

  const dialog = page.getByRole("dialog");

  // Left over from an earlier run: promote it so that Rotate is available.
  if ((await keyRowInState(page, "next").count()) > 0) {
    await page.getByTestId("keys-promote").click();
    await dialog.getByRole("button", { name: "Promote", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(keyRowInState(page, "next")).toHaveCount(0);
  }

  // The issuer box links this console's JWKS, in a new tab.
  const jwksLink = page.getByTestId("jwks-link");
  await expect(jwksLink).toHaveAttribute("href", "/acme/.well-known/jwks.json");
  await expect(jwksLink).toHaveAttribute("target", "_blank");
  await expect(page.getByTestId("jwks-uri")).toContainText("/.well-known/jwks.json");

  const oldKid = await kidOf(keyRowInState(page, "current"));
  await expect(keyRow(page, oldKid).getByTestId("key-kid")).toHaveAttribute("title", oldKid);
  expect(await jwksKids(page, "acme")).toContain(oldKid);
  await expect(page.getByTestId("keys-promote")).toBeDisabled();

  // Rotate: stage an RS256 next key. It is published at once but signs nothing yet.
  await page.getByTestId("keys-rotate").click();
  await expect(dialog).toContainText("signs nothing until promoted");
  await expect(dialog).toContainText("promoted automatically after 24 hours");
  await expect(dialog.getByLabel("RSA key size")).toHaveCount(0);
  await dialog.getByLabel("Algorithm").selectOption("RS256");
  await dialog.getByLabel("RSA key size").selectOption("2048");
  await dialog.getByRole("button", { name: "Stage key" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("keys-success")).toContainText("staged as next");

  const nextRow = keyRowInState(page, "next");
  const newKid = await kidOf(nextRow);
  expect(newKid).not.toBe(oldKid);
  await expect(nextRow.getByTestId("key-alg")).toHaveText("RS256");
  await expect(nextRow.getByTestId("key-auto-promote")).toContainText("Auto-promotes at");
  await expect(keyRowInState(page, "current")).toHaveAttribute("data-kid", oldKid);
  expect(await jwksKids(page, "acme")).toEqual(expect.arrayContaining([oldKid, newKid]));

  // Only one next key at a time: Rotate is disabled and says why.
  await expect(page.getByTestId("keys-rotate")).toBeDisabled();
  await expect(page.getByTestId("keys-rotate-hint")).toContainText("already staged as next");

  // Promote: the new key signs; the old one becomes previous and keeps verifying.
  await page.getByTestId("keys-promote").click();
  await expect(dialog).toContainText(`New tokens are signed with key ${newKid}`);
  await expect(dialog).toContainText(`current key ${oldKid} keep verifying`);
  await dialog.getByRole("button", { name: "Promote", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("keys-success")).toContainText(`Key ${newKid} is now current`);
  await expect(keyRowInState(page, "current")).toHaveAttribute("data-kid", newKid);
  await expect(keyRow(page, oldKid)).toHaveAttribute("data-state", "previous");
  await expect(keyRowInState(page, "next")).toHaveCount(0);
  await expect(page.getByTestId("keys-rotate")).toBeEnabled();
  expect(await jwksKids(page, "acme")).toEqual(expect.arrayContaining([oldKid, newKid]));

  // Revoke the previous key: it leaves the JWKS.
  await keyRow(page, oldKid).getByRole("button", { name: `Revoke key ${oldKid}` }).click();
  await expect(dialog).toContainText("stop verifying as soon as verifiers refresh the JWKS");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("keys-success")).toContainText(`Key ${oldKid} is revoked`);
  await expect(keyRow(page, oldKid)).toHaveAttribute("data-state", "revoked");
  await expect(keyRow(page, oldKid).getByTestId("key-revoke")).toHaveCount(0);
  let kids = await jwksKids(page, "acme");
  expect(kids).not.toContain(oldKid);
  expect(kids).toContain(newKid);

  // Emergency: a fresh current key at once, the current one revoked and unpublished.
  await page.getByTestId("keys-rotate-revoke").click();
  await expect(dialog).toContainText("Emergency");
  await expect(dialog).toContainText("users and services will have to obtain new tokens");
  await dialog.getByLabel("Algorithm").selectOption("ES256");
  await dialog.getByRole("button", { name: "Rotate and revoke" }).click();
  await expect(dialog).toBeHidden();
  await expect(keyRow(page, newKid)).toHaveAttribute("data-state", "revoked");
  const emergencyKid = await kidOf(keyRowInState(page, "current"));
  expect([oldKid, newKid]).not.toContain(emergencyKid);
  await expect(keyRowInState(page, "current").getByTestId("key-alg")).toHaveText("ES256");
  kids = await jwksKids(page, "acme");
  expect(kids).toContain(emergencyKid);
  expect(kids).not.toContain(newKid);

  // Another tenant's JWKS never shows acme's keys.
  const globexKids = await jwksKids(page, "globex");
  expect(globexKids.length).toBeGreaterThan(0);
  for (const kid of [oldKid, newKid, emergencyKid]) expect(globexKids).not.toContain(kid);

  // Every step is in the audit trail.
  await page.goto("/t/acme/audit");
  for (const action of ["signing_key.staged", "signing_key.promoted", "signing_key.revoked", "signing_key.rotated_and_revoked"]) {
    await expect(page.getByText(action).first()).toBeVisible();
  }
});

test("support cannot see or change signing keys; a foreign tenant's keys page is not found", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/t/acme");
  await expect(page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Signing keys" })).toHaveCount(0);

  const res = await page.goto("/t/acme/keys");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Signing keys" })).toBeVisible();
  await expect(page.getByTestId("forbidden")).toContainText("signing keys");
  await expect(page.getByTestId("key-row")).toHaveCount(0);
  await expect(page.getByTestId("keys-rotate")).toHaveCount(0);

  // The server refuses too, not only the page: reading and changing keys is forbidden…
  const list = await page.request.get(`/api/trpc/keys.list?input=${encodeURIComponent(JSON.stringify({ json: { tenant: "acme" } }))}`);
  expect(list.status()).toBe(403);
  const emergency = await page.request.post("/api/trpc/keys.rotateAndRevoke", { data: { json: { tenant: "acme" } } });
  expect(emergency.status()).toBe(403);
  // …and a tenant they have no access to does not exist for them.
  const foreignList = await page.request.get(`/api/trpc/keys.list?input=${encodeURIComponent(JSON.stringify({ json: { tenant: "globex" } }))}`);
  expect(foreignList.status()).toBe(404);

  const globex = await page.goto("/t/globex/keys");
  expect(globex?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
});
