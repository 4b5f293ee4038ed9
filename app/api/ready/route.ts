// GET /api/ready: readiness — 200 when the database (and Redis, when REDIS_URL is set) answer; 503
// naming what failed otherwise (server/observability/health.ts).
import { readinessResponse } from "@/server/observability/health";

export const dynamic = "force-dynamic";

export function GET() {
  return readinessResponse();
}
