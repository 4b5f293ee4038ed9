// Allowed web origins of SPA clients (CORS for the token endpoint): exact origins only —
// scheme://host[:port], lower case, no path, no wildcard; https, or http on loopback IP literals
// outside regulated mode.
export interface OriginCheck {
  ok: boolean;
  message?: string;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

export function checkOrigin(origin: string, regulated: boolean): OriginCheck {
  if (origin.length === 0 || origin.length > 512) return { ok: false, message: "An origin is 1–512 characters, e.g. https://app.example.com." };
  if (origin.includes("*")) return { ok: false, message: `${origin}: wildcards are not allowed; list each origin exactly.` };
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return { ok: false, message: `${origin}: not an origin; write scheme://host[:port], e.g. https://app.example.com.` };
  }
  if (u.origin !== origin) {
    return { ok: false, message: `${origin}: write the exact origin (${u.origin === "null" ? "scheme://host[:port]" : u.origin}) — lower case, no path, no trailing slash, no default port.` };
  }
  if (u.protocol === "https:") return { ok: true };
  if (u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname)) {
    return regulated ? { ok: false, message: `${origin}: http origins are not allowed in regulated mode.` } : { ok: true };
  }
  return { ok: false, message: `${origin}: only https origins (or http on 127.0.0.1 / [::1] for development) are allowed.` };
}
