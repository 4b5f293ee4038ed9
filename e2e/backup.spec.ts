// Backup & restore in the browser: a security admin downloads a demo tenant's backup, uploads it into
// a fresh (empty) tenant — the dry run lists the conflicts (its client ids and signing keys belong
// to the demo tenant) — then uploads an edited copy (fresh client ids and URIs, no keys), confirms,
// and finds the clients restored. Both pages pass axe (no serious or critical violations).
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, signIn } from "./helpers";

async function upload(page: Page, name: string, doc: unknown) {
  await page.getByLabel("Backup file (JSON)").setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(doc)) });
}

test("download a backup, dry-run it into an empty tenant (conflicts listed), import an edited copy", async ({ page }) => {
  test.setTimeout(90_000);
  const stamp = Date.now().toString(36);
  const slug = `restored-${stamp}`;
  await signIn(page, "admin");
  const created = await page.request.post("/api/trpc/platform.tenants.create", { data: { json: { slug, name: `Restored ${stamp}` } } });
  expect(created.status(), await created.text()).toBe(200);

  // Download acme's backup.
  await page.goto("/t/acme/backup");
  await expect(page.getByRole("heading", { level: 1, name: "Backup & restore" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Backup & restore" })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page);
  const downloading = page.waitForEvent("download");
  await page.getByTestId("backup-download").click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe("acme-backup.json");
  const doc = JSON.parse(await readFile((await file.path())!, "utf8")) as {
    format: string;
    clients: { clientId: string; name: string; type: string; redirectUris: string[]; postLogoutRedirectUris: string[]; allowedOrigins: string[] }[];
    signingKeys: unknown[];
  };
  expect(doc.format).toBe("credo.tenant-backup.v1");
  expect(doc.clients.length).toBeGreaterThan(0);
  expect(JSON.stringify(doc)).not.toMatch(/secretHash|privateKeyJwe/);

  // A security admin may include the private keys, encrypted to a recipient public key (here: this installation's).
  await page.getByRole("button", { name: "Use this installation's key" }).click();
  await expect(page.getByTestId("recipient-jwk")).toHaveValue(/"crv":"X25519"/);
  const withKeys = page.waitForEvent("download");
  await page.getByTestId("backup-download-keys").click();
  const keysFile = await withKeys;
  expect(keysFile.suggestedFilename()).toBe("acme-backup-with-keys.json");
  const keysDoc = JSON.parse(await readFile((await keysFile.path())!, "utf8")) as { privateKeys: { alg: string }; signingKeys: { state: string; privateKeyJwe?: string }[] };
  expect(keysDoc.privateKeys.alg).toBe("ECDH-ES+A256KW");
  const live = keysDoc.signingKeys.filter((k) => k.state !== "revoked");
  expect(live.length).toBeGreaterThan(0);
  for (const k of live) expect(k.privateKeyJwe).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(JSON.stringify(keysDoc)).not.toMatch(/"d":/);

  // As is, into the fresh tenant: the dry run lists the conflicts and nothing is offered to import.
  await page.goto(`/t/${slug}/backup`);
  await upload(page, "acme-backup.json", doc);
  await expect(page.getByTestId("dry-run-conflicts")).toBeVisible();
  const conflicts = page.getByTestId("conflicts");
  await expect(conflicts.locator('[data-kind="client_id"]')).toHaveCount(doc.clients.length);
  await expect(conflicts.locator('[data-kind="kid"]')).toHaveCount(doc.signingKeys.length);
  await expect(page.getByTestId("backup-import")).toHaveCount(0);
  await expectAccessible(page);

  // Edited: fresh client ids and URIs, without the demo tenant's keys → no conflicts → confirm → imported.
  // Without its members too: importing them would make the demo operators members of this tenant,
  // and later specs on the same database count the tenants the owner sees.
  const edited = {
    ...doc,
    members: [],
    signingKeys: [],
    clients: doc.clients.map((c, i) => {
      const origin = `https://c${i}-${stamp}.example.org`;
      const fresh = (uris: string[], path: string) => uris.map((u) => (u.startsWith("http://127.0.0.1") ? u : `${origin}${path}`));
      return {
        ...c,
        clientId: `restored-${stamp}-${i}`,
        redirectUris: fresh(c.redirectUris, "/callback"),
        postLogoutRedirectUris: fresh(c.postLogoutRedirectUris, "/signed-out"),
        allowedOrigins: c.allowedOrigins.map(() => origin),
      };
    }),
  };
  await upload(page, "edited.json", edited);
  await expect(page.getByTestId("dry-run-ok")).toContainText(`${doc.clients.length} OAuth client`);
  await page.getByTestId("backup-import").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`restored-${stamp}-0`);
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(page.getByTestId("import-done")).toBeVisible();

  // The clients are there, under their restored ids; importing again is refused (no longer empty).
  await page.goto(`/t/${slug}/clients`);
  await expect(page.getByText(`restored-${stamp}-0`)).toBeVisible();
  await page.goto(`/t/${slug}/backup`);
  await upload(page, "edited.json", edited);
  await expect(page.getByTestId("conflicts").locator('[data-kind="target"]').first()).toBeVisible();
});
