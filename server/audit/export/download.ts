// GET /api/t/<tenant>/exports/<export id>            the export file (.jsonl.gz / .csv.gz)
// GET /api/t/<tenant>/exports/<export id>?part=manifest  its signed manifest (JSON)
//
// Tenant-authorized like a tenant procedure: the principal (Authorization: Bearer <API key>, else the
// session) and the PATH's tenant go through server/tenancy/context.ts; the role (or key scopes) must
// include audit.export; the export is read in that tenant's transaction (application filter + RLS).
// An unknown tenant, another tenant, an expired support grant, and another tenant's export id all get
// the same 404. A link stops working when its export expires (410). Every download is audited
// (audit.export_downloaded). The file is streamed from disk, never buffered.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { authenticateApiKey } from "../../api-keys/authenticate";
import { inTenant } from "../../db/doors";
import { requestMetaFrom } from "../../http/request-meta";
import { loadOperator, NotSignedInError, resolveApiKeyTenantContext, resolveTenantContext, TenantNotFoundError, type TenantContext } from "../../tenancy/context";
import { recordAudit, type AuditActor } from "../record";
import { exportFilePath } from "./files";
import { downloadableExport } from "./service";

type Session = { user?: { id?: string | null } | null; sid?: string | null } | null;

const TENANT_HEADERS = ["x-tenant-id", "x-tenant", "x-org-id"] as const;

function answer(status: number, error: string, message: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error, message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...extra },
  });
}

const notFound = () => answer(404, "not_found", "Export not found.");

async function principalContext(req: Request, slug: string, getSession: () => Promise<Session>): Promise<{ tenant: TenantContext; actor: AuditActor } | Response> {
  const authorization = req.headers.get("authorization");
  try {
    if (authorization !== null) {
      const key = await authenticateApiKey(authorization);
      if (!key) return answer(401, "unauthorized", "Invalid API key.", { "WWW-Authenticate": 'Bearer realm="credo", error="invalid_token"' });
      const tenant = await resolveApiKeyTenantContext(key, slug);
      if (tenant.pause) return answer(423, "tenant_paused", "This tenant is paused.");
      return { tenant, actor: { type: "api_key", id: key.publicId, label: key.name } };
    }
    const session = await getSession();
    const operator = await loadOperator(session?.user?.id, session?.sid);
    const tenant = await resolveTenantContext(operator, slug);
    return { tenant, actor: { type: "user", id: operator.id, label: operator.email } };
  } catch (e) {
    if (e instanceof NotSignedInError) return answer(401, "unauthorized", e.message);
    if (e instanceof TenantNotFoundError) return notFound();
    throw e;
  }
}

export async function handleExportDownload(req: Request, slug: string, exportId: string, getSession: () => Promise<Session>): Promise<Response> {
  if (TENANT_HEADERS.some((h) => req.headers.has(h))) return answer(400, "bad_request", "The tenant comes from the URL path; tenant headers are not accepted.");
  const resolved = await principalContext(req, slug, getSession);
  if (resolved instanceof Response) return resolved;
  const { tenant, actor } = resolved;
  if (!tenant.permissions.has("audit.export")) return answer(403, "forbidden", "Exporting the audit trail is not part of your role in this tenant.");

  const part = new URL(req.url).searchParams.get("part") === "manifest" ? "manifest" : "file";
  const meta = requestMetaFrom(req.headers);
  const found = await inTenant(tenant.tenantId, async (scope) => {
    const e = await downloadableExport(scope, exportId);
    if (e === null || e === "expired") return e;
    let size = 0;
    if (part === "file") {
      try {
        size = (await stat(exportFilePath(tenant.tenantId, e.id, e.format))).size;
      } catch {
        // The row says done but the file is gone (expired on another instance, lost disk).
        return "expired" as const;
      }
    }
    await recordAudit(scope, actor, meta, { action: "audit.export_downloaded", targetType: "audit_export", targetId: e.id, after: { part } });
    return { ...e, size };
  });
  if (found === null) return notFound();
  if (found === "expired") return answer(410, "expired", "This export has expired or its file is gone; request a new one.");

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
  const file = exportFilePath(tenant.tenantId, found.id, found.format);
  const size = found.size;
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      ...headers,
      "Content-Type": "application/gzip",
      "Content-Length": String(size),
      "Content-Disposition": `attachment; filename="${found.manifest.fileName}"`,
    },
  });
}
