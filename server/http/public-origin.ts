// The console's one public origin, from AUTH_URL (which Auth.js reads as well, so its OIDC
// redirect_uri and callback handling agree with ours). Absolute URLs — the OIDC redirect_uri,
// links in e-mails, the WebAuthn relying party — are derived from it and never from the request's
// Host header, which a client chooses and which differs between 127.0.0.1, localhost and a proxy.
import { env } from "../env";

/** Where `next start` listens when no public origin is configured (dev and tests only). */
function devFallback(): string {
  return `http://localhost:${process.env.PORT ?? "3000"}`;
}

export class PublicOriginMissing extends Error {
  constructor() {
    super("AUTH_URL is not set: the console's public origin (e.g. https://console.example.com) is required to build absolute URLs in production.");
    this.name = "PublicOriginMissing";
  }
}

/** The configured public origin, or null when AUTH_URL is unset. */
export function configuredPublicOrigin(): string | null {
  return env.AUTH_URL ? new URL(env.AUTH_URL).origin : null;
}

/**
 * The console's public origin without a trailing slash, e.g. "https://console.example.com".
 * Production without AUTH_URL throws (a link to the wrong host is worse than no link); in dev and
 * tests it falls back to http://localhost:$PORT.
 */
export function publicOrigin(): string {
  const configured = configuredPublicOrigin();
  if (configured) return configured;
  if (env.NODE_ENV === "production") throw new PublicOriginMissing();
  return devFallback();
}

/** An absolute URL on the console for a path such as "/invitations/accept?token=…". */
export function absoluteUrl(pathAndQuery: string): string {
  if (!pathAndQuery.startsWith("/") || pathAndQuery.startsWith("//")) throw new Error("absoluteUrl takes a path starting with a single /");
  return `${publicOrigin()}${pathAndQuery}`;
}

/** The WebAuthn relying-party id: the public origin's host name (no port). */
export function publicHostname(): string {
  return new URL(publicOrigin()).hostname;
}
