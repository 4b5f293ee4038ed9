// Each tenant's token issuer (ADR-003): ISSUER_BASE_URL_TEMPLATE with "{tenant}" replaced by the
// slug, e.g. https://acme.credo/idp. Tokens carry it as `iss`, verification requires it, and the
// discovery document announces it.
//
// The JWKS URI is derived from the issuer, not from the request's Host header: OpenID Connect
// Discovery puts the well-known documents under the issuer, so whatever serves the issuer (a
// gateway mapping {issuer}/.well-known/* to this console's /{tenant}/.well-known/*) serves them too,
// and a forged Host header can never put someone else's URL into a cached discovery document.
// Locally, ISSUER_BASE_URL_TEMPLATE=http://localhost:3000/{tenant} makes both URLs this console's.
import { env } from "../env";
import { isPlausibleSlug } from "../isomorphic/tenancy/slug";

export function issuerFor(slug: string, template: string = env.ISSUER_BASE_URL_TEMPLATE): string {
  if (!isPlausibleSlug(slug)) throw new Error("not a tenant slug");
  return template.replaceAll("{tenant}", slug);
}

export function jwksUriFor(slug: string, template?: string): string {
  return `${issuerFor(slug, template)}/.well-known/jwks.json`;
}

export function discoveryUriFor(slug: string, template?: string): string {
  return `${issuerFor(slug, template)}/.well-known/openid-configuration`;
}
