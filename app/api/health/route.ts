// GET /api/health: liveness — 200 while the process serves requests; no database (server/observability/health.ts).
import { healthResponse } from "@/server/observability/health";

export const dynamic = "force-dynamic";

export function GET() {
  return healthResponse();
}
