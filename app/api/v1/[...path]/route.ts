// The HTTP admin API (REST over the tenant procedures, API keys only): server/api/rest.ts.
import { handleRestRequest } from "@/server/api/rest";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

// The procedures inside log and count themselves with their tenant (server/api/trpc.ts), as for tRPC.
const handler = observedRoute("/api/v1", (req: Request) => handleRestRequest(req), { tenantMetrics: false });

export { handler as GET, handler as POST };
