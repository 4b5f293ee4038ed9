// Defect: the API-key Revoke button was off-screen at 1440×900 (the table was wider than its box,
// with no visible scrollbar). No row action may ever be clipped: at 1280, 1440 and 390 px the first
// row's action is inside the viewport and is the element actually hit there, without scrolling
// sideways — for API keys, clients, members and signing keys.
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const WIDTHS = [1280, 1440, 390];

/** Scrolls the page vertically only (never sideways) so `selector`'s first match is in view. */
async function expectActionInViewport(page: Page, selector: string) {
  const action = page.locator(selector).first();
  await expect(action).toBeAttached();
  const hit = await action.evaluate((el) => {
    window.scrollTo(window.scrollX, window.scrollY + el.getBoundingClientRect().top - window.innerHeight / 2);
    // The first line box: a wrapped inline link's overall centre can fall between its lines.
    const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const top = document.elementFromPoint(x, y);
    return { left: r.left, right: r.right, width: window.innerWidth, hit: top !== null && (top === el || el.contains(top)) };
  });
  expect(hit.left, `${selector} starts inside the viewport`).toBeGreaterThanOrEqual(0);
  expect(hit.right, `${selector} ends inside the viewport (${hit.width}px)`).toBeLessThanOrEqual(hit.width);
  expect(hit.hit, `${selector} is the element under its own centre (not covered)`).toBe(true);
}

test.describe("row actions are never clipped", () => {
  for (const width of WIDTHS) {
    test(`at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await signIn(page, "owner");
      // An active API key (a long name, as real ones are) so the Revoke action exists.
      const created = await page.request.post("/api/trpc/apiKeys.create", {
        data: { json: { tenant: "acme", name: `clip check ${width} ${Date.now().toString(36)} deployment pipeline`, scopes: ["keys.read"], expiresInDays: 1 } },
      });
      expect(created.status()).toBe(200);
      const client = await page.request.post("/api/trpc/clients.create", {
        data: { json: { tenant: "acme", name: `clip check ${width} ${Date.now().toString(36)}`, type: "m2m" } },
      });
      expect(client.status()).toBe(200);

      await page.goto("/t/acme/api-keys");
      await expectActionInViewport(page, '[data-testid="api-key-row"][data-status="active"] [data-testid="api-key-revoke"]');

      await page.goto("/t/acme/clients");
      await expectActionInViewport(page, '[data-testid="client-row"] [data-testid="client-link"]');
      await expectActionInViewport(page, '[data-testid="client-row"] [data-testid="client-row-delete"]');

      await page.goto("/t/acme/members");
      await expectActionInViewport(page, '[data-testid="member-row"] td:last-child button');

      await page.goto("/t/acme/keys");
      await expectActionInViewport(page, '[data-testid="key-row"] td:last-child');
    });
  }
});
