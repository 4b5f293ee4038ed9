// Accessibility gate: axe (@axe-core/playwright) on every page of the console, each as a role that
// may open it, failing on any serious or critical violation (colour contrast, names, labels…).
//
// Themes are a parameter: each page runs once per entry of THEMES with the browser's colour scheme
// emulated, so a dark theme is checked by adding "dark" here once the console has one.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, type USERS } from "./helpers";

const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

interface PageCase {
  path: string | ((page: Page) => Promise<string>);
  /** Something that shows the page has rendered its data (not a loading state). */
  ready?: string;
}

const PUBLIC_PAGES: PageCase[] = [
  { path: "/signin" },
  { path: "/reset-password" },
  // Links that are not (or no longer) valid still render a page that must be accessible.
  { path: "/reset-password/not-a-valid-token" },
  { path: "/invite/not-a-valid-token" },
];

const ADMIN_PAGES: PageCase[] = [
  { path: "/tenants", ready: 'main a[href^="/t/"]' },
  { path: "/users" },
  { path: "/deletions" },
  { path: "/audit" },
  { path: "/platform-audit" },
  { path: "/policies" },
  { path: "/outbox" },
  { path: "/account" },
  { path: "/account/security" },
  { path: "/account/sessions" },
  { path: "/t/acme" },
  { path: "/t/acme/delete", ready: '[data-testid="deletion-counts"]' },
];

const OWNER_PAGES: PageCase[] = [
  { path: "/tenants", ready: 'main a[href^="/t/"]' },
  { path: "/t/acme" },
  { path: "/t/acme/members" },
  { path: "/t/acme/keys" },
  { path: "/t/acme/api-keys" },
  { path: "/t/acme/clients" },
  {
    // The first client's detail page.
    path: async (page) => {
      await page.goto("/t/acme/clients");
      const link = page.locator('main a[href^="/t/acme/clients/"]').first();
      await link.waitFor();
      return (await link.getAttribute("href"))!;
    },
  },
  { path: "/t/acme/policies" },
  { path: "/t/acme/rate-limits" },
  { path: "/t/acme/audit", ready: '[data-testid="audit-row"]' },
  { path: "/account" },
];

const SUPPORT_PAGES: PageCase[] = [{ path: "/t/acme" }, { path: "/t/acme/audit", ready: '[data-testid="audit-row"]' }];

/** Loads a page, waits until it has settled, and returns axe's serious and critical violations. */
async function violations(page: Page, c: PageCase, theme: Theme) {
  await page.emulateMedia({ colorScheme: theme });
  const path = typeof c.path === "string" ? c.path : await c.path(page);
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  if (c.ready) await page.locator(c.ready).first().waitFor();
  // No loading placeholders left ("Loading …").
  await expect(page.getByText(/^Loading\b/)).toHaveCount(0);
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ path, rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

async function checkAll(page: Page, cases: PageCase[], theme: Theme) {
  const found = [];
  for (const c of cases) found.push(...(await violations(page, c, theme)));
  expect(found, JSON.stringify(found, null, 2)).toEqual([]);
}

for (const theme of THEMES) {
  test.describe(`axe, ${theme} theme`, () => {
    test("public pages", async ({ page }) => {
      await checkAll(page, PUBLIC_PAGES, theme);
    });

    const roles: [keyof typeof USERS, PageCase[]][] = [
      ["admin", ADMIN_PAGES],
      ["owner", OWNER_PAGES],
      ["support", SUPPORT_PAGES],
    ];
    for (const [role, cases] of roles) {
      test(`pages of the ${role}`, async ({ page }) => {
        test.setTimeout(180_000);
        await signIn(page, role);
        await checkAll(page, cases, theme);
      });
    }
  });
}
