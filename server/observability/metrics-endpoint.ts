// GET /api/metrics (app/api/metrics/route.ts): the Prometheus exposition, for a scraper holding
// METRICS_TOKEN (Authorization: Bearer <token>, compared in constant time).
//   METRICS_TOKEN unset → 404 (the endpoint does not exist: nothing is exposed by accident)
//   no or wrong token   → 401 with WWW-Authenticate
// Before each scrape the per-tenant top-K set is recomputed (server/observability/metrics.ts); a
// candidate's regulated mode is read from its effective policy through the tenant door.
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { readInTenant } from "../db/doors";
import { effectiveTenantValues } from "../policies/resolve";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { metrics, scrape, setRegulatedLookup } from "./metrics";

const NO_STORE = { "Cache-Control": "no-store" };

/** Constant-time: both sides hashed to fixed length first, so neither length nor prefix leaks. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** Whether a tenant is in regulated mode (never given a label of its own). */
export async function tenantIsRegulated(tenantId: string): Promise<boolean> {
  return readInTenant(tenantIdFromDatabase(tenantId), async (scope) => (await effectiveTenantValues(scope)).regulated.enabled);
}

export async function handleMetricsRequest(req: Request, token: string | undefined = env.METRICS_TOKEN): Promise<Response> {
  if (!token) return new Response("Not found.\n", { status: 404, headers: { "Content-Type": "text/plain", ...NO_STORE } });
  const header = req.headers.get("authorization") ?? "";
  const presented = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? "";
  if (!presented || !tokenMatches(presented, token)) {
    return new Response("Send the metrics token as: Authorization: Bearer <METRICS_TOKEN>.\n", {
      status: 401,
      headers: { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="credo-metrics"', ...NO_STORE },
    });
  }
  if (!metrics().lookup) setRegulatedLookup(tenantIsRegulated);
  const { body, contentType } = await scrape();
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, ...NO_STORE } });
}
