// GET /api/t/<tenant>/exports/<export id>[?part=manifest]: download an audit export or its signed
// manifest. Tenant-authorized (server/tenancy/context.ts via server/audit/export/download.ts),
// audit.export required, expiring, audited.
import { auth } from "@/server/auth/auth";
import { handleExportDownload } from "@/server/audit/export/download";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

export const GET = observedRoute("/api/t/[tenant]/exports/[exportId]", async (req: Request, { params }: { params: Promise<{ tenant: string; exportId: string }> }) => {
  const { tenant, exportId } = await params;
  return handleExportDownload(req, tenant, exportId, auth);
});
