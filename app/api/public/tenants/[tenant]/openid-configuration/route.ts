// GET /{tenant}/.well-known/openid-configuration (rewritten here by next.config.mjs). Public: the
// issuer is the tenant's namespace (ADR-003), never derived from the request's Host header.
import { servePublicDocument } from "@/server/http/public-json";
import { preparedTenantDiscovery } from "@/server/signing-keys/public-documents";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

export const GET = observedRoute("/api/public/tenants/[tenant]/openid-configuration", async (req: Request, { params }: { params: Promise<{ tenant: string }> }) => {
  const { tenant } = await params;
  return servePublicDocument(req, () => preparedTenantDiscovery(tenant));
});
