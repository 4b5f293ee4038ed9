// Security headers. Pages get a nonce-based Content-Security-Policy from proxy.ts (Next puts the
// nonce on its own inline scripts when it finds it in the request's CSP header); API answers and
// everything else get the static headers from next.config.mjs; HSTS comes from our HTTP server
// (server/http/node-server.ts) because it must be on every response, static files included.
import { env } from "../env";

/**
 * The page policy. 'strict-dynamic' lets the nonce'd Next bootstrap load its chunks; styles allow
 * inline because React renders style attributes (no script can run from a style attribute).
 * Dev adds 'unsafe-eval' (React's dev tooling) and websockets (hot reload).
 */
export function pageCsp(nonce: string, opts: { dev: boolean; https: boolean; formTargets?: readonly string[] }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    // Sign-in with SSO posts a form whose answer redirects to the identity provider.
    `form-action 'self'${opts.formTargets?.length ? ` ${opts.formTargets.join(" ")}` : ""}`,
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** For answers that are not pages (JSON, files): nothing may load or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const HSTS = "max-age=63072000; includeSubDomains";

/** The SSO identity provider's origin, when SSO is configured (sign-in forms redirect there). */
export function formTargets(): string[] {
  try {
    return env.AUTH_OIDC_ISSUER ? [new URL(env.AUTH_OIDC_ISSUER).origin] : [];
  } catch {
    return [];
  }
}

/** HSTS is sent when the console is reached over https: TLS here, or a public origin that is https. */
export function publicOriginIsHttps(): boolean {
  // AUTH_URL is Auth.js's own variable (read from the environment by Auth.js too).
  const first = (env.ALLOWED_ORIGINS ?? "").split(",")[0]?.trim() || process.env.AUTH_URL || "";
  return first.startsWith("https://");
}
