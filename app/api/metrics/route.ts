// GET /api/metrics: Prometheus metrics for a scraper with METRICS_TOKEN (server/observability/metrics-endpoint.ts).
import { handleMetricsRequest } from "@/server/observability/metrics-endpoint";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  return handleMetricsRequest(req);
}
