// Issue 12 through the production server (both stores): every page carries a nonce-based CSP and
// works under it (no CSP violations), a forged X-Forwarded-For buys no extra sign-in guesses, and
// cross-site, oversized and over-batched requests are refused.
import { expect, test, type Page } from "@playwright/test";
import { listedTenantSlugs, signIn } from "./helpers";

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (/Content Security Policy/i.test(e.message)) violations.push(e.message);
  });
  return violations;
}

async function expectCsp(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  const csp = (await res!.allHeaders())["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp, path).toContain("frame-ancestors 'none'");
  expect(csp, path).toContain("object-src 'none'");
  expect((await res!.allHeaders())["x-content-type-options"], path).toBe("nosniff");
}

test("every main page carries the CSP and works under it (sign-in, tenant pages, platform pages)", async ({ page }) => {
  const violations = watchCsp(page);
  await expectCsp(page, "/signin");
  await signIn(page, "admin");
  const [slug] = await listedTenantSlugs(page);
  for (const path of ["/tenants", "/audit", "/policies", "/deletions"]) await expectCsp(page, path);
  await page.context().clearCookies();
  await signIn(page, "owner");
  const [ownSlug] = await listedTenantSlugs(page);
  const tenant = ownSlug ?? slug!;
  for (const sub of ["", "/members", "/api-keys", "/clients", "/keys", "/audit", "/policies", "/rate-limits"]) {
    await expectCsp(page, `/t/${tenant}${sub}`);
    await expect(page.locator("main")).toBeVisible();
  }
  // The tenant page is interactive (hydrated React under the nonce policy).
  await page.goto(`/t/${tenant}/api-keys`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

test("API answers carry a deny-all CSP", async ({ request }) => {
  const res = await request.get("/api/public/platform-keys");
  expect(res.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});

test("six wrong passwords with X-Forwarded-For A, then another try with B: still throttled", async ({ page }) => {
  // An e-mail no one has: the throttle answers the same for unknown accounts, and no real user is locked.
  const email = `xff-${Date.now()}@example.test`;
  const attempt = async (forwardedFor: string, password: string) => {
    await page.setExtraHTTPHeaders({ "X-Forwarded-For": forwardedFor });
    await page.goto("/signin");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  for (let i = 0; i < 6; i++) {
    await attempt("198.51.100.7", `wrong-${i}`);
    await expect(page.getByText(/Invalid e-mail or password|Too many failed attempts/)).toBeVisible();
  }
  await attempt("198.51.100.8", "another-guess");
  await expect(page.getByText("Too many failed attempts. Try again in a few minutes.")).toBeVisible();
});

test("cross-origin POST to a tRPC mutation with the session cookie → 403; oversized batch and body refused", async ({ page, baseURL }) => {
  await signIn(page, "owner");
  const [slug] = await listedTenantSlugs(page);
  const body = JSON.stringify({ json: { tenant: slug, name: "csrf", scopes: ["audit.read"], expiresInDays: 30 } });
  const evil = await page.request.post("/api/trpc/apiKeys.create", { headers: { "content-type": "application/json", origin: "https://evil.example" }, data: body });
  expect(evil.status()).toBe(403);
  expect(await evil.text()).toContain("Cross-site request refused");
  const fetchMetadata = await page.request.post("/api/trpc/apiKeys.create", { headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" }, data: body });
  expect(fetchMetadata.status()).toBe(403);

  const paths = Array.from({ length: 60 }, () => "apiKeys.list").join(",");
  const input = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i, { json: { tenant: slug } }]));
  const batch = await page.request.get(`/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(batch.status()).toBe(413);

  const big = await page.request.post("/api/trpc/apiKeys.create", {
    headers: { "content-type": "application/json", origin: baseURL! },
    data: `{"json":{"name":"${"x".repeat(8 * 1024 * 1024)}"}}`,
  });
  expect(big.status()).toBe(413);
  expect(await big.text()).toContain("larger than 256 KB");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
