// Issue 14's operations endpoints through the production server (both stores): health and readiness
// answer without a session (never redirected to /signin), readiness names its checks, and the
// metrics endpoint does not exist without METRICS_TOKEN (the e2e servers set none).
import { expect, test } from "@playwright/test";

test("health, readiness and metrics endpoints without a session", async ({ request }) => {
  const health = await request.get("/api/health", { maxRedirects: 0 });
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok" });

  const ready = await request.get("/api/ready", { maxRedirects: 0 });
  expect(ready.status()).toBe(200);
  const body = (await ready.json()) as { status: string; checks: { database: string; redis: string }; failed: string[] };
  expect(body.status).toBe("ready");
  expect(body.checks.database).toBe("ok");
  expect(["ok", "not_configured"]).toContain(body.checks.redis);
  expect(body.failed).toEqual([]);

  const metrics = await request.get("/api/metrics", { maxRedirects: 0, headers: { authorization: "Bearer anything-at-all-0123456789" } });
  expect(metrics.status()).toBe(404);
});
