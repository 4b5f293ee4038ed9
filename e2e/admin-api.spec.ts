// The HTTP admin API against the production server (README "HTTP admin API"): an owner creates an
// API key in the console, then a script (no cookies) reads the OpenAPI document, lists clients and
// reads the effective policy over REST; another tenant's path answers like a missing tenant, and the
// console's own session cookie is not accepted there. (Every README call is run by
// server/api/rest.test.ts.)
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a script uses an API key on /api/v1; the OpenAPI document describes it; cookies are not enough", async ({ page, playwright, baseURL }) => {
  await signIn(page, "owner");
  await page.goto("/t/acme/api-keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(`e2e rest ${Date.now().toString(36)}`);
  const scopes = page.getByRole("group", { name: "Scopes" });
  await scopes.getByRole("checkbox", { name: /^clients\.read/ }).check();
  await scopes.getByRole("checkbox", { name: /^policies\.read/ }).check();
  await page.getByTestId("api-key-create").click();
  const dialog = page.getByRole("dialog", { name: "Copy your API key" });
  const key = await dialog.getByTestId("new-api-key-value").inputValue();

  const api = await playwright.request.newContext({ baseURL });
  try {
    const doc = await api.get("/api/openapi.json");
    expect(doc.status()).toBe(200);
    const spec = (await doc.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.servers[0]!.url).toBe("/api/v1");
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/t/{tenant}/clients", "/t/{tenant}/policies/effective", "/t/{tenant}/keys/next"]));

    const auth = { authorization: `Bearer ${key}` };
    const list = await api.get("/api/v1/t/acme/clients?limit=5&sort=name", { headers: auth });
    expect(list.status(), await list.text()).toBe(200);
    expect(list.headers()["ratelimit-limit"]).toMatch(/^\d+$/);
    const page1 = (await list.json()) as { items: { clientId: string }[] };
    expect(page1.items.length).toBeGreaterThan(0);

    const policy = await api.get("/api/v1/t/acme/policies/effective", { headers: auth });
    expect(policy.status()).toBe(200);
    expect(await policy.json()).toMatchObject({ tenant: "acme", workspace: null });

    const foreign = await api.get("/api/v1/t/globex/clients", { headers: auth });
    const missing = await api.get("/api/v1/t/no-such-tenant-e2e/clients", { headers: auth });
    expect(foreign.status()).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());

    expect((await api.get("/api/v1/t/acme/clients")).status()).toBe(401);
    expect((await api.get("/api/v1/t/acme/clients", { headers: { authorization: `Bearer ${key}x` } })).status()).toBe(401);
    const scopeMissing = await api.post("/api/v1/t/acme/keys/next", { headers: auth, data: { alg: "ES256" } });
    expect(scopeMissing.status()).toBe(403);
  } finally {
    await api.dispose();
  }
  // The signed-in browser's cookie does not open the admin API.
  expect((await page.request.get("/api/v1/t/acme/clients")).status()).toBe(401);
});
