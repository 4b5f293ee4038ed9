// Auth.js's own endpoints (sign-in, sign-out, session, CSRF token). Their POSTs carry Auth.js's
// double-submit CSRF token, so the console's Origin check (server/http/origin-check.ts) is not
// repeated here; their bodies are bounded like every other route's.
import { NextRequest } from "next/server";
import { handlers } from "@/server/auth/auth";
import { withSsoOutcome } from "@/server/auth/sso/route";
import { AUTH_BODY_LIMIT, readBodyLimited } from "@/server/http/body-limit";
import { observedRoute } from "@/server/observability/request";

const ROUTE = "/api/auth/[...nextauth]";
export const GET = observedRoute(ROUTE, withSsoOutcome(handlers.GET));
const postWithSso = withSsoOutcome(handlers.POST);

export const POST = observedRoute(ROUTE, async (req: Request) => {
  const body = await readBodyLimited(req, AUTH_BODY_LIMIT);
  if (!body.ok) return Response.json({ error: body.message }, { status: 413, headers: { "Cache-Control": "no-store" } });
  return postWithSso(new NextRequest(req.url, { method: "POST", headers: req.headers, body: body.bytes }));
});
