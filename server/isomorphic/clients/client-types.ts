// What each kind of OAuth client may be (OAuth 2.1): who holds a secret, which grants, whether it
// has redirect URIs and web origins. The implicit and password grants do not exist in OAuth 2.1
// and are never offered.
import type { ClientType } from "./redirect-uris";

export const CLIENT_TYPES = ["web", "spa", "native", "m2m"] as const satisfies readonly ClientType[];
export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export interface ClientTypeRules {
  readonly label: string;
  /** Holds a client secret (confidential) — else public, PKCE mandatory. */
  readonly confidential: boolean;
  readonly grants: readonly GrantType[];
  readonly defaultGrants: readonly GrantType[];
  /** Redirect-based (authorization code): at least one redirect URI required. */
  readonly redirects: boolean;
  readonly webOrigins: boolean;
}

export const CLIENT_TYPE_RULES: Readonly<Record<ClientType, ClientTypeRules>> = {
  web: {
    label: "Web application (confidential)",
    confidential: true,
    grants: ["authorization_code", "refresh_token", "client_credentials"],
    defaultGrants: ["authorization_code", "refresh_token"],
    redirects: true,
    webOrigins: false,
  },
  spa: {
    label: "Single-page app (public)",
    confidential: false,
    grants: ["authorization_code", "refresh_token"],
    defaultGrants: ["authorization_code", "refresh_token"],
    redirects: true,
    webOrigins: true,
  },
  native: {
    label: "Native / mobile app (public)",
    confidential: false,
    grants: ["authorization_code", "refresh_token"],
    defaultGrants: ["authorization_code", "refresh_token"],
    redirects: true,
    webOrigins: false,
  },
  m2m: {
    label: "Machine to machine (confidential)",
    confidential: true,
    grants: ["client_credentials"],
    defaultGrants: ["client_credentials"],
    redirects: false,
    webOrigins: false,
  },
};

/** PKCE is required for public clients always, and for every client in regulated mode. */
export function pkceRequired(type: ClientType, regulated: boolean): boolean {
  return regulated || !CLIENT_TYPE_RULES[type].confidential;
}
