// Support staff export a tenant's audit trail: filter, export CSV (a background job), follow its
// progress, download the file and its signed manifest; the CSV has the documented header and only
// the tenant's own events.
import { gunzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { signIn } from "./helpers";

const HEADER = "tenant_id,seq,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,outcome,before,after,ip,user_agent,request_id,prev_hash,hash";

test("support filters the audit trail, exports it as CSV and downloads it", async ({ page }) => {
  await signIn(page, "support");
  await page.goto("/t/acme/audit");
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  await expect(page.getByTestId("audit-retention-days")).toHaveText("365 days");
  await expect(page.getByTestId("audit-retention-last-run")).toBeVisible();
  // Support may export but not record checkpoints.
  await expect(page.getByTestId("audit-checkpoint")).toHaveCount(0);

  await page.getByTestId("audit-filter-action").fill("member.");
  await page.getByTestId("audit-filter-apply").click();
  // The previous page stays on screen until the filtered one arrives: wait for it.
  await expect
    .poll(async () => {
      const actions = await page.getByTestId("audit-row").locator("td:nth-child(3)").allInnerTexts();
      return actions.length > 0 && actions.every((a) => /^member\./.test(a));
    })
    .toBe(true);
  const shown = await page.getByTestId("audit-row").count();

  await page.getByTestId("export-format").selectOption("csv");
  await page.getByTestId("export-request").click();
  await expect(page.getByTestId("export-notice")).toContainText("Export requested");
  const row = page.getByTestId("export-row").first();
  await expect(row).toContainText("action member.");
  await expect(row).toHaveAttribute("data-status", "done", { timeout: 30_000 });

  const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("export-download").click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-acme-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv\.gz$/);
  const csv = gunzipSync(await readFile((await download.path())!)).toString("utf8");
  expect(csv.split("\r\n")[0]).toBe(HEADER);
  const records = parse(csv, { columns: true }) as Record<string, string>[];
  expect(records.length).toBeGreaterThanOrEqual(shown);
  for (const r of records) expect(r.action).toMatch(/^member\./);

  const [manifestDownload] = await Promise.all([page.waitForEvent("download"), row.getByTestId("export-manifest").click()]);
  const manifest = JSON.parse(await readFile((await manifestDownload.path())!, "utf8")) as {
    tenant: { id: string; slug: string };
    count: string;
    format: string;
    signature: string;
    filters: { actionPrefix?: string };
  };
  expect(manifest.tenant.slug).toBe("acme");
  expect(manifest.format).toBe("csv");
  expect(manifest.filters.actionPrefix).toBe("member.");
  expect(Number(manifest.count)).toBe(records.length);
  expect(manifest.signature).toMatch(/^[\w-]+\.\.[\w-]+$/);
  // Every row is acme's.
  for (const r of records) expect(r.tenant_id).toBe(manifest.tenant.id);

  // Another tenant's download path is a 404 for support (no grant there), like a missing export.
  const id = new URL(await row.getByTestId("export-download").getAttribute("href") ?? "", "http://x").pathname.split("/").pop()!;
  const foreign = await page.request.get(`/api/t/globex/exports/${id}`);
  expect(foreign.status()).toBe(404);

  // The export itself is in the trail (audit the audit).
  await page.getByTestId("audit-filter-action").fill("audit.export");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page.getByTestId("audit-row").filter({ hasText: "audit.exported" }).first()).toBeVisible();
});
