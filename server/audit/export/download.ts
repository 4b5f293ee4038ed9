// GET /api/t/<tenant>/exports/<export id>            the export file (.jsonl.gz / .csv.gz)
// GET /api/t/<tenant>/exports/<export id>?part=manifest  its signed manifest (JSON)
//
// A tenant route (server/http/tenant-route.ts): the principal (Authorization: Bearer <API key>, else
// the session), the PATH's tenant, the role (or key scopes) holding audit.export, pause and rate
// limit are the tenant door's; the export is read in that tenant's transaction (application filter
// + RLS). An unknown tenant, another tenant, an expired support grant, and another tenant's export id
// all get the same 404. Still open while the tenant is pending deletion (exports are the way to take
// the trail along). A link stops working when its export expires (410). Every download is audited
// (audit.export_downloaded). The file is streamed from disk, never buffered.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { TenantRouteContext } from "../../http/tenant-route";
import { exportFilePath } from "./files";
import { downloadableExport } from "./service";

export const EXPORT_NOT_FOUND_MESSAGE = "Export not found.";

export async function serveExportDownload({ req, params, tenant, scope, audit, notFound }: TenantRouteContext<{ tenant: string; exportId: string }>): Promise<Response> {
  const part = new URL(req.url).searchParams.get("part") === "manifest" ? "manifest" : "file";
  const found = await downloadableExport(scope, params.exportId);
  if (found === null) return notFound();
  if (found === "expired") return expired();
  let size = 0;
  if (part === "file") {
    try {
      size = (await stat(exportFilePath(tenant.tenantId, found.id, found.format))).size;
    } catch {
      // The row says done but the file is gone (expired on another instance, lost disk).
      return expired();
    }
  }
  await audit.record({ action: "audit.export_downloaded", targetType: "audit_export", targetId: found.id, after: { part } });

  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };
  if (part === "manifest") {
    return new Response(`${JSON.stringify(found.manifest, null, 2)}\n`, {
      headers: {
        ...headers,
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${found.manifest.fileName.replace(/\.gz$/, "")}.manifest.json"`,
      },
    });
  }
  // Streamed after the transaction commits: the audit event is recorded, the file is on disk.
  const body = Readable.toWeb(createReadStream(exportFilePath(tenant.tenantId, found.id, found.format))) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      ...headers,
      "Content-Type": "application/gzip",
      "Content-Length": String(size),
      "Content-Disposition": `attachment; filename="${found.manifest.fileName}"`,
    },
  });
}

function expired(): Response {
  return new Response(JSON.stringify({ error: "expired", message: "This export has expired or its file is gone; request a new one." }), {
    status: 410,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}
