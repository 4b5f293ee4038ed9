// Policies: an owner overrides a field, sees "overridden here", resets it to inherited, and sees
// the per-field diff between versions; a save based on a stale version is refused with a clear
// message and a reload. Support has no access; security admins edit the global defaults.
//
// Other specs share the database: this one only touches password.minLength and
// bruteForce.attempts of acme, and cleans up a leftover override from a retried run first.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "./helpers";

function field(page: Page, path: string): Locator {
  return page.locator(`[data-testid="policy-field"][data-field="${path}"]`);
}

async function saveWith(page: Page, comment: string) {
  await page.getByLabel("Comment", { exact: true }).fill(comment);
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-change-count")).toHaveText("No unsaved changes.");
}

async function versionInForce(page: Page): Promise<number> {
  const text = (await page.getByTestId("policy-version-in-force").textContent()) ?? "";
  return Number(/Version (\d+) is in force/.exec(text)?.[1] ?? 0);
}

async function ensureInherited(page: Page, path: string) {
  const f = field(page, path);
  if ((await f.getAttribute("data-overridden")) === "true") {
    await f.getByTestId("policy-reset").click();
    await saveWith(page, "e2e: clean up a leftover override");
    await expect(f).toHaveAttribute("data-overridden", "false");
  }
}

test("an owner overrides a policy, sees it overridden, resets it to inherited and sees the diff", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme");
  await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Policies" }).click();
  await expect(page).toHaveURL(/\/t\/acme\/policies$/);
  await expect(page.getByRole("heading", { level: 1, name: "Policies" })).toBeVisible();

  const minLength = field(page, "password.minLength");
  await expect(minLength).toBeVisible();
  await ensureInherited(page, "password.minLength");
  await expect(minLength.getByTestId("policy-source")).toHaveText(/^(default|inherited from global)$/);
  const inheritedSource = (await minLength.getByTestId("policy-source").textContent())!;
  const inheritedValue = (await minLength.getByTestId("policy-effective").textContent())!;

  // Override: out-of-bounds values are flagged before saving and block the save.
  await minLength.getByTestId("policy-override").click();
  const input = minLength.getByLabel("Minimum length");
  await input.fill("0");
  await expect(minLength.getByTestId("policy-field-error")).toHaveText("must be between 8 and 128 (got 0)");
  await page.getByLabel("Comment", { exact: true }).fill("e2e: longer passwords");
  await expect(page.getByTestId("policy-save")).toBeDisabled();
  await input.fill("17");
  await expect(minLength.getByTestId("policy-field-error")).toHaveCount(0);
  await expect(minLength.getByTestId("policy-pending")).toHaveText("Unsaved: overridden with 17 characters");
  await saveWith(page, "e2e: longer passwords");
  await expect(minLength.getByTestId("policy-source")).toHaveText("overridden here");
  await expect(minLength.getByTestId("policy-effective")).toHaveText("17 characters");
  const overriddenVersion = await versionInForce(page);
  expect(overriddenVersion).toBeGreaterThan(0);

  // Reset to inherited: a new version without the override.
  await minLength.getByTestId("policy-reset").click();
  await expect(minLength.getByTestId("policy-pending")).toContainText("Unsaved: reset to inherited");
  await saveWith(page, "e2e: back to inherited");
  await expect(minLength.getByTestId("policy-source")).toHaveText(inheritedSource);
  await expect(minLength.getByTestId("policy-effective")).toHaveText(inheritedValue);
  await expect(minLength).toHaveAttribute("data-overridden", "false");
  expect(await versionInForce(page)).toBe(overriddenVersion + 1);

  // The history names author and comment; the newest version's changes against its predecessor.
  const newest = page.getByTestId("policy-version").first();
  await expect(newest).toHaveAttribute("data-version", String(overriddenVersion + 1));
  await expect(newest).toContainText("owner@credo.local");
  await expect(newest).toContainText("e2e: back to inherited");
  await newest.getByTestId("policy-version-changes").click();
  const diff = page.getByTestId("policy-diff");
  await expect(diff.getByTestId("policy-diff-title")).toHaveText(`Version ${overriddenVersion} → version ${overriddenVersion + 1}`);
  const row = diff.locator('[data-field="password.minLength"]');
  await expect(row).toContainText("reset to inherited");
  await expect(row.getByTestId("policy-diff-before")).toHaveText("17 characters");
  await expect(row.getByTestId("policy-diff-after")).toHaveText("inherited");

  // Any two versions: the override's predecessor against the override.
  await page.getByLabel("Compare version").selectOption({ label: String(overriddenVersion - 1 || "nothing (before version 1)") });
  await page.getByLabel("with version").selectOption({ label: String(overriddenVersion) });
  await page.getByTestId("policy-compare").click();
  await expect(diff.getByTestId("policy-diff-title")).toContainText(`version ${overriddenVersion}`);
  await expect(diff.locator('[data-field="password.minLength"]')).toContainText("overridden");
  await expect(diff.locator('[data-field="password.minLength"]').getByTestId("policy-diff-after")).toHaveText("17 characters");

  // Every save is in the audit trail.
  await page.goto("/t/acme/audit");
  await expect(page.getByText("policy.saved").first()).toBeVisible();
});

test("a save based on a stale version is refused with who changed it; reload starts from the latest", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme/policies");
  const attempts = field(page, "bruteForce.attempts");
  await expect(attempts).toBeVisible();
  await ensureInherited(page, "bruteForce.attempts");
  const base = await versionInForce(page);

  // Someone else saves meanwhile (same session, through the API).
  const state = await page.request.get(`/api/trpc/policies.state?input=${encodeURIComponent(JSON.stringify({ json: { tenant: "acme" } }))}`);
  const overrides = (await state.json()).result.data.json.overrides as Record<string, Record<string, unknown>>;
  const res = await page.request.post("/api/trpc/policies.save", {
    data: { json: { tenant: "acme", document: { ...overrides, bruteForce: { ...overrides.bruteForce, attempts: 9 } }, expectedVersion: base, comment: "e2e: someone else" } },
  });
  expect(res.status()).toBe(200);

  await attempts.getByTestId("policy-override").click();
  await attempts.getByLabel("Failed attempts").fill("4");
  await page.getByLabel("Comment", { exact: true }).fill("e2e: stale edit");
  await page.getByTestId("policy-save").click();
  const conflict = page.getByTestId("policy-conflict");
  await expect(conflict).toContainText(`This policy was changed by owner@credo.local at`);
  await expect(conflict).toContainText(`(version ${base + 1}); reload and re-apply your change.`);
  await page.getByTestId("policy-reload").click();
  await expect(conflict).toHaveCount(0);
  await expect(attempts.getByTestId("policy-source")).toHaveText("overridden here");
  await expect(attempts.getByTestId("policy-effective")).toHaveText("9 attempts");
  expect(await versionInForce(page)).toBe(base + 1);
  await attempts.getByTestId("policy-reset").click();
  await saveWith(page, "e2e: clean up");
});

test("support cannot open policies; a security admin edits the global defaults", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/t/acme");
  await expect(page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Policies" })).toHaveCount(0);
  await page.goto("/t/acme/policies");
  await expect(page.getByTestId("forbidden")).toContainText("policies");
  await expect(page.getByTestId("policy-field")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  await signIn(page, "admin");
  await page.getByTestId("global-policies-link").click();
  await expect(page).toHaveURL(/\/policies$/);
  await expect(page.getByRole("heading", { level: 1, name: "Global policy defaults" })).toBeVisible();
  await expect(field(page, "keyRotation.autoPromoteAfterHours").getByTestId("policy-effective")).toHaveText("24 hours");
  await expect(field(page, "regulated.enabled").getByTestId("policy-source")).toHaveText(/default|overridden here/);
});
