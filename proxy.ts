// Next 16 proxy (formerly middleware), pages only: a fresh nonce per request and the page
// Content-Security-Policy built around it (server/http/security-headers.ts). Next reads the nonce
// back from the request's CSP header and stamps its inline scripts with it. API routes and static
// files are excluded: they get static headers (next.config.mjs), and the proxy would otherwise
// buffer request bodies before the routes' own size limits.
import { NextResponse, type NextRequest } from "next/server";
import { formTargets, pageCsp, publicOriginIsHttps } from "@/server/http/security-headers";
import { REQUEST_PATH_HEADER } from "@/app/_lib/request-path-header";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, {
    dev: process.env.NODE_ENV === "development",
    https: request.nextUrl.protocol === "https:" || publicOriginIsHttps(),
    formTargets: formTargets(),
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  // The page's own path for layouts, which Next does not tell them: the tenant layout sends a
  // signed-out operator to sign in with THIS page as the way back (app/_lib/request-path.ts).
  // Always set here, so a client-sent header of that name never gets through.
  const search = new URLSearchParams(request.nextUrl.search);
  search.delete("_rsc"); // the router's cache-buster on client navigations, not part of the page
  const query = search.toString();
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + (query ? `?${query}` : ""));
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
