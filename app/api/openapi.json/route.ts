// GET /api/openapi.json: the admin API's OpenAPI 3.1 document (server/api/rest.ts). Public: it
// describes the API, no tenant data.
import { openApiDocument } from "@/server/api/rest";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

export const GET = observedRoute("/api/openapi.json", () => Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }));
