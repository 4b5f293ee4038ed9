// Cross-site request refusal for state-changing requests that carry the session cookie.
// A browser sends `Origin` on every POST/PUT/PATCH/DELETE (and `Sec-Fetch-Site` on every request), so
// a page on another site cannot make the victim's browser change something here: its Origin is not
// one of ours. A request with neither header does not come from a browser — nothing ambient (the
// cookie) rides along unless its sender holds it, so it is let through; so are requests carrying
// `Authorization` (API keys), which no other site can make a browser attach.
//
// Our origins: ALLOWED_ORIGINS (comma-separated), plus AUTH_URL's origin (Auth.js's own public URL);
// with neither set, the request's own Host (a cross-site page cannot choose the Host its victim's
// browser sends to us).
import { env } from "../env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const CROSS_SITE_MESSAGE =
  "Cross-site request refused: this console only accepts changes sent from its own pages. If you call it from a script, use an API key (Authorization: Bearer …).";

function configuredOrigins(): Set<string> {
  const out = new Set<string>();
  // AUTH_URL is Auth.js's variable (it reads process.env itself); here only its origin matters.
  for (const raw of [...(env.ALLOWED_ORIGINS ?? "").split(","), process.env.AUTH_URL ?? ""]) {
    const v = raw.trim();
    if (!v) continue;
    try {
      out.add(new URL(v).origin);
    } catch {
      throw new Error(`ALLOWED_ORIGINS / AUTH_URL: "${v}" is not a URL (e.g. https://console.example.com)`);
    }
  }
  return out;
}

let cached: Set<string> | null = null;
/** The configured origins (empty = fall back to the request's own Host). */
export function allowedOrigins(): ReadonlySet<string> {
  return (cached ??= configuredOrigins());
}

function sameHost(origin: string, headers: Headers): boolean {
  const host = headers.get("host");
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** True when the request may proceed (not state-changing, not from a browser, or from our own origin). */
export function originAllowed(req: Request, allowed: ReadonlySet<string> = allowedOrigins()): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return true;
  if (req.headers.has("authorization")) return true;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    if (origin === "null") return false;
    return allowed.size > 0 ? allowed.has(origin) : sameHost(origin, req.headers);
  }
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none";
  return true;
}
