// GET /{tenant}/.well-known/jwks.json (rewritten here by next.config.mjs: the App Router does not
// route dot-folders). Public: the tenant comes from the path, keys are public members only.
import { servePublicDocument } from "@/server/http/public-json";
import { preparedTenantJwks } from "@/server/signing-keys/public-documents";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

export const GET = observedRoute("/api/public/tenants/[tenant]/jwks", async (req: Request, { params }: { params: Promise<{ tenant: string }> }) => {
  const { tenant } = await params;
  return servePublicDocument(req, () => preparedTenantJwks(tenant));
});
