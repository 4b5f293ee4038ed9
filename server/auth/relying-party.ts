// The WebAuthn relying party (RP ID and expected origin), in ONE place. With a configured public
// origin (AUTH_URL) that origin decides; without one (local `npm run dev`, tests) it is derived from
// the request's Host header — acceptable only because the browser itself binds passkeys to the origin
// it shows, so a forged Host can only produce credentials for the forged name.
import { env } from "../env";

export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
  readonly name: string;
}

const RP_NAME = "Credo Console";

function configuredOrigin(): string | null {
  const url = (env as { AUTH_URL?: string }).AUTH_URL;
  return url ? new URL(url).origin : null;
}

/** `host`/`proto` come from the request (RequestMeta.host) and are used only without AUTH_URL. */
export function relyingParty(request: { host?: string | null; proto?: string | null }): RelyingParty {
  const origin = configuredOrigin() ?? (request.host ? `${request.proto === "https" ? "https" : "http"}://${request.host}` : null);
  if (!origin) throw new Error("The console's public origin is unknown: set AUTH_URL.");
  const url = new URL(origin);
  return { id: url.hostname, origin: url.origin, name: RP_NAME };
}
