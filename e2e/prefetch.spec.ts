// Server prefetch: a list page's first HTML response already holds its rows. The server builds the
// list input from the page's search params with the same function the browser's table uses, so the
// prefetched query has the key the table asks for; a mismatch would render the loading skeleton.
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

async function html(page: import("@playwright/test").Page, path: string): Promise<string> {
  const res = await page.request.get(path);
  expect(res.status()).toBe(200);
  return res.text();
}

/** The server-rendered markup, without the flight data scripts (which carry the dehydrated cache either way). */
function markup(body: string): string {
  return body.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
}

test("list pages render their first page on the server, with the table's URL state", async ({ page }) => {
  await signIn(page, "owner");

  // Clients, searched (the search is part of the query key): the seeded client is in the HTML.
  const clients = markup(await html(page, "/t/acme/clients?q=Acme%20Corporation%20web%20portal"));
  expect(clients).toContain('data-testid="client-row"');
  expect(clients).toContain("Acme Corporation web portal");
  expect(clients).not.toContain('data-testid="query-loading"');

  // Sorted and searched members.
  const members = markup(await html(page, "/t/acme/members?q=owner%40credo.local&sort=role&dir=asc"));
  expect(members).toContain('data-testid="member-row"');
  expect(members).toContain("owner@credo.local");
  expect(members).not.toContain('data-testid="query-loading"');

  // API keys (rows or the empty state, never the skeleton) and signing keys.
  const keys = markup(await html(page, "/t/acme/api-keys?sort=name&dir=desc"));
  expect(keys).toMatch(/data-testid="(api-key-row|api-keys-empty)"/);
  expect(keys).not.toContain('data-testid="query-loading"');
  const signing = markup(await html(page, "/t/acme/keys"));
  expect(signing).toContain('data-testid="key-row"');
  expect(signing).not.toContain('data-testid="query-loading"');
});
