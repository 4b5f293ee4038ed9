// GET /api/t/<tenant>/exports/<export id>[?part=manifest]: download an audit export or its signed
// manifest. Through the tenant door (server/http/tenant-route.ts): audit.export required, rate
// limited like the procedures; expiring, audited (server/audit/export/download.ts).
import { withTenantRoute } from "@/server/http/tenant-route";
import { EXPORT_NOT_FOUND_MESSAGE, serveExportDownload } from "@/server/audit/export/download";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("audit.export", serveExportDownload, {
  route: "/api/t/[tenant]/exports/[exportId]",
  notFoundMessage: EXPORT_NOT_FOUND_MESSAGE,
  whilePendingDeletion: true,
});
