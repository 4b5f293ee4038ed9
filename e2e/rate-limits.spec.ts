// Rate limits and tenant pause, on initech (no other spec uses it, so a tiny limit or a pause here
// never disturbs them). A security admin pauses the tenant from its overview page (reason, then a
// confirmation): the shell shows the "Paused" banner, its public endpoints answer 423, and resuming
// restores them. Then a tiny public limit is set through the policies API: the endpoint answers 429
// with Retry-After and RateLimit headers, and the Rate limits page shows the limit and the usage.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signIn } from "./helpers";

const TENANT = "initech";
const NAME = "Initech";

test.describe.configure({ mode: "serial" });

async function query<T>(api: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await api.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function mutate(api: APIRequestContext, path: string, input: unknown): Promise<void> {
  const res = await api.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.status(), await res.text()).toBe(200);
}

interface PolicyStateLite {
  latest: { version: number } | null;
  overrides: Record<string, Record<string, unknown>>;
}

/** Saves initech's `rateLimits.public` override (null removes it). */
async function setPublicLimit(api: APIRequestContext, limit: { requestsPerWindow: number; windowSeconds: number; burst: number } | null, comment: string) {
  const state = await query<PolicyStateLite>(api, "policies.state", { tenant: TENANT });
  const rateLimits: Record<string, unknown> = { ...(state.overrides.rateLimits ?? {}) };
  if (limit) rateLimits.public = limit;
  else delete rateLimits.public;
  const document: Record<string, unknown> = { ...state.overrides };
  if (Object.keys(rateLimits).length) document.rateLimits = rateLimits;
  else delete document.rateLimits;
  await mutate(api, "policies.save", { tenant: TENANT, document, expectedVersion: state.latest?.version ?? 0, comment });
}

test("a security admin pauses a tenant (banner, 423 on its public endpoints) and resumes it", async ({ page, request }) => {
  await signIn(page, "admin");
  await page.goto(`/t/${TENANT}`);
  const control = page.getByTestId("pause-control");
  // A retried run may find it still paused.
  if (await page.getByTestId("paused-banner").isVisible()) {
    await control.getByRole("button", { name: "Resume tenant…" }).click();
    await page.getByRole("dialog", { name: `Resume ${NAME}?` }).getByRole("button", { name: "Resume", exact: true }).click();
    await expect(page.getByTestId("paused-banner")).toHaveCount(0);
  }

  await expect(control.getByRole("button", { name: "Pause tenant…" })).toBeDisabled();
  await control.getByLabel("Reason").fill("e2e: incident drill");
  await control.getByRole("button", { name: "Pause tenant…" }).click();
  const dialog = page.getByRole("dialog", { name: `Pause ${NAME}?` });
  await expect(dialog).toContainText("Reason: e2e: incident drill");
  await dialog.getByRole("button", { name: "Pause", exact: true }).click();

  await expect(page.getByTestId("paused-banner")).toContainText("Paused");
  await expect(page.getByTestId("paused-banner")).toContainText("e2e: incident drill");
  await expect(page.getByText("tenant.paused").first()).toBeVisible();

  const paused = await request.get(`/${TENANT}/.well-known/jwks.json`);
  expect(paused.status()).toBe(423);
  expect(await paused.json()).toEqual({ error: "tenant_paused", error_description: "This tenant is paused." });

  await control.getByRole("button", { name: "Resume tenant…" }).click();
  await page.getByRole("dialog", { name: `Resume ${NAME}?` }).getByRole("button", { name: "Resume", exact: true }).click();
  await expect(page.getByTestId("paused-banner")).toHaveCount(0);
  expect((await request.get(`/${TENANT}/.well-known/jwks.json`)).status()).toBe(200);
});

test("hitting a tenant's public rate limit: 429 with Retry-After and RateLimit headers, usage on the Rate limits page", async ({ page, request }) => {
  await signIn(page, "admin");
  const api = page.request; // the admin's session cookie
  await setPublicLimit(api, { requestsPerWindow: 3, windowSeconds: 60, burst: 0 }, "e2e: tiny public limit");
  try {
    let refused = null;
    for (let i = 0; i < 8 && !refused; i++) {
      const res = await request.get(`/${TENANT}/.well-known/openid-configuration`);
      if (res.status() === 429) refused = res;
      else expect(res.status()).toBe(200);
    }
    expect(refused, "no 429 within 8 requests").not.toBeNull();
    const h = refused!.headers();
    expect(Number(h["retry-after"])).toBeGreaterThanOrEqual(1);
    // At most the window plus one of the sliding guard's sub-windows (server/ratelimit/sliding-guard.ts:
    // it counts 1.1 windows, so a refusal by the guard rather than the fixed window can say 61–66 s).
    expect(Number(h["retry-after"])).toBeLessThanOrEqual(66);
    expect(h["ratelimit-limit"]).toBe("3");
    expect(h["ratelimit-remaining"]).toBe("0");
    expect(Number(h["ratelimit-reset"])).toBeGreaterThan(0);
    expect(await refused!.json()).toMatchObject({ error: "rate_limited" });

    await page.goto(`/t/${TENANT}`);
    await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Rate limits" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${TENANT}/rate-limits$`));
    const row = page.locator('[data-testid="rate-limit-row"][data-surface="public"]');
    await expect(row.getByTestId("rate-limit-limit")).toContainText("3 / 1 min");
    await expect(row.getByTestId("rate-limit-usage")).toContainText("3 used, 0 left");
    await expect(page.getByTestId("edit-limits-link")).toHaveAttribute("href", `/t/${TENANT}/policies`);
  } finally {
    await setPublicLimit(api, null, "e2e: restore the public limit");
  }
  expect((await request.get(`/${TENANT}/.well-known/openid-configuration`)).status()).toBe(200);
});
