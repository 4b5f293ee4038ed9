// POST /api/public/authorize-check {"client_id", "redirect_uri"} → 200 {"allowed", "reason", …}.
// Public (the platform's authorization endpoint calls it); the tenant comes from the client only.
// 429 over the rate limit (the client's tenant's, or per IP for unknown clients), 423 for a paused tenant.
// No Origin check (server/http/origin-check.ts): it is meant to be called from anywhere, reads no
// cookie and changes nothing but rate-limit counters. Its body is bounded (413 past PUBLIC_BODY_LIMIT).
import { authorizeCheckInput } from "@/server/isomorphic/clients/inputs";
import { authorizeCheck } from "@/server/clients/authorize-check";
import { readJsonBody, publicJson, publicRefusal } from "@/server/http/public-json";
import { clientIp } from "@/server/http/request-meta";
import { PUBLIC_BODY_LIMIT } from "@/server/http/body-limit";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

export const POST = observedRoute("/api/public/authorize-check", async (req: Request) => {
  const body = await readJsonBody(req, PUBLIC_BODY_LIMIT);
  if (!body.ok) return publicJson(body.status, { error: "invalid_request", error_description: body.message });
  const parsed = authorizeCheckInput.safeParse(body.value);
  if (!parsed.success) {
    return publicJson(400, { error: "invalid_request", error_description: parsed.error.issues[0]?.message ?? "Send {\"client_id\", \"redirect_uri\"}." });
  }
  try {
    return publicJson(200, await authorizeCheck(parsed.data.client_id, parsed.data.redirect_uri, clientIp(req.headers)));
  } catch (e) {
    const refusal = publicRefusal(e);
    if (refusal) return refusal;
    throw e;
  }
});
