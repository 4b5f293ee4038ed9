// The path (and query) of the page being rendered, for layouts: Next gives layouts only their own
// params, so a layout that sends a signed-out operator to sign in would lose the page they asked
// for (/t/acme/keys → /t/acme). proxy.ts passes the path in a request header it always overwrites.
import { headers } from "next/headers";
import { safeCallbackUrl } from "../signin/callback-url";
import { REQUEST_PATH_HEADER } from "./request-path-header";

/**
 * The current page's path when it lies under `prefix` (e.g. "/t/acme"), else `prefix` itself.
 * Only a same-origin path ever comes back (safeCallbackUrl): never an open redirect.
 */
export async function currentPathUnder(prefix: string): Promise<string> {
  const raw = (await headers()).get(REQUEST_PATH_HEADER);
  if (!raw) return prefix;
  const path = safeCallbackUrl(raw);
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`) ? path : prefix;
}

/** The current page's path (and query), or `fallback` without one; only ever a same-origin path. */
export async function currentPath(fallback: string): Promise<string> {
  const raw = (await headers()).get(REQUEST_PATH_HEADER);
  return raw ? safeCallbackUrl(raw) : fallback;
}
