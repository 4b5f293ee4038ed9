import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { generate } from "otplib";

export const USERS = {
  admin: { email: "admin@credo.local", password: "ChangeMe-Admin-1" },
  owner: { email: "owner@credo.local", password: "ChangeMe-Owner-1" },
  support: { email: "support@credo.local", password: "ChangeMe-Support-1" },
  /** A security admin without a second factor (seeded so): enrolment comes first. */
  newadmin: { email: "newadmin@credo.local", password: "ChangeMe-Newadmin-1" },
} as const;

/** The demo admin's authenticator secret, published as demo-only (server/cli/demo-data.ts, README). */
export const DEMO_ADMIN_TOTP_SECRET = "DEMOADMINTOTPSECRETDEVONLY234567";

// A TOTP code is accepted once (the server remembers the last time step per factor): remember the
// step used per server and secret, and take a later one next time.
const lastStep = new Map<string, number>();

/** Answers the second step (/signin/verify) with the current TOTP code of `secret`. */
export async function verifyWithTotp(page: Page, secret: string) {
  await expect(page).toHaveURL(/\/signin\/verify/);
  const key = totpKey(page, secret);
  for (let attempt = 0; attempt < 4; attempt++) {
    const step = await nextTotpStep(key);
    await page.getByLabel("Authenticator code").fill(await generate({ secret, epoch: step * 30 }));
    await page.getByRole("button", { name: "Verify" }).click();
    const outcome = await Promise.race([
      page.waitForURL((u) => !u.pathname.startsWith("/signin/verify"), { timeout: 15_000 }).then(() => "ok" as const, () => "timeout" as const),
      page.getByTestId("second-factor-error").waitFor({ timeout: 15_000 }).then(() => "refused" as const, () => "timeout" as const),
    ]);
    if (outcome === "ok") return;
  }
  throw new Error("the second step was refused four times");
}

/** One server (by port: localhost and 127.0.0.1 are the same server) and one secret. */
export function totpKey(page: Page, secret: string): string {
  return `${new URL(page.url()).port}|${secret}`;
}

/** A TOTP step the server accepts now (current ±1) and later than any used before with this key. */
export async function nextTotpStep(key: string): Promise<number> {
  const current = Math.floor(Date.now() / 30_000);
  const step = Math.max(current, (lastStep.get(key) ?? 0) + 1);
  if (step > current + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 500));
  lastStep.set(key, step);
  return step;
}

export async function totpCode(key: string, secret: string): Promise<string> {
  return generate({ secret, epoch: (await nextTotpStep(key)) * 30 });
}

export async function signIn(page: Page, who: keyof typeof USERS) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(USERS[who].email);
  await page.getByLabel("Password").fill(USERS[who].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Security admins have a second factor (the demo admin's is seeded): the second step comes next.
  if (who === "admin") await verifyWithTotp(page, DEMO_ADMIN_TOTP_SECRET);
  await expect(page).toHaveURL(/\/tenants$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** The tenant slugs linked from the tenant list page. */
export async function listedTenantSlugs(page: Page): Promise<string[]> {
  // The list renders after its data arrives: wait for the first link before reading them all.
  await page.locator('main a[href^="/t/"]').first().waitFor();
  const hrefs = await page.locator('main a[href^="/t/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(hrefs.map((h) => h.split("/")[2]!))].sort();
}

/**
 * axe finds no serious or critical violation on the page as it is. Toasts (sonner) fade in and out:
 * text mid-fade is half-transparent, and axe would measure its contrast at that moment, so the
 * check waits until every toast on screen is fully opaque (or gone).
 */
export async function expectAccessible(page: Page) {
  await expect
    .poll(() => page.locator("[data-sonner-toast]").evaluateAll((toasts) => toasts.every((t) => getComputedStyle(t).opacity === "1")))
    .toBe(true);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}
