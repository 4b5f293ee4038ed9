// tRPC over HTTP (browser sessions and API keys): server/api/http.ts decides who is calling; the
// tenant comes later, from each tenant procedure's `tenant` input (the URL path segment).
import { handleTrpcRequest } from "@/server/api/http";
import { auth } from "@/server/auth/auth";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

// One log line per HTTP request (status, duration); each procedure in it logs and counts its own,
// with its tenant (server/api/trpc.ts), so the tenant series are counted there only.
const handler = observedRoute("/api/trpc", (req: Request) => handleTrpcRequest(req, auth), { tenantMetrics: false });

export { handler as GET, handler as POST };
