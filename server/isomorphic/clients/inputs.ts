// Request schemas of the clients capability (zod): shapes only. The rules of redirect URIs,
// origins and grant types per client type are checked by the service, with messages naming them.
import { z } from "zod";
import { CLIENT_TYPES, GRANT_TYPES } from "./client-types";
import { MAX_REDIRECT_URIS } from "./redirect-uris";

const uriList = (what: string) =>
  z
    .array(z.string().max(4096, `A ${what} is at most 2000 characters.`), { error: `${what}s are a list of strings.` })
    .max(MAX_REDIRECT_URIS, `At most ${MAX_REDIRECT_URIS} ${what}s per client.`);

/** Longest client name. */
export const MAX_CLIENT_NAME_LENGTH = 100;

const name = z.string().trim().min(1, "Give the client a name.").max(MAX_CLIENT_NAME_LENGTH, `Client names are at most ${MAX_CLIENT_NAME_LENGTH} characters.`);
const grantTypes = z
  .array(z.enum(GRANT_TYPES, { error: "Grant types are authorization_code, refresh_token and client_credentials (OAuth 2.1 has no implicit or password grant)." }))
  .max(GRANT_TYPES.length);

export const createClientInput = z.object({
  name,
  type: z.enum(CLIENT_TYPES, { error: "Choose a client type: web, spa, native or m2m." }),
  /** Omitted: the type's defaults. */
  grantTypes: grantTypes.optional(),
  redirectUris: uriList("redirect URI").default([]),
  postLogoutRedirectUris: uriList("post-logout redirect URI").default([]),
  allowedOrigins: uriList("web origin").default([]),
});
export type CreateClientInput = z.infer<typeof createClientInput>;

const clientRef = { clientRowId: z.string().uuid("Unknown client.") };

export const updateClientInput = z.object({
  ...clientRef,
  name: name.optional(),
  grantTypes: grantTypes.optional(),
  redirectUris: uriList("redirect URI").optional(),
  postLogoutRedirectUris: uriList("post-logout redirect URI").optional(),
  allowedOrigins: uriList("web origin").optional(),
});
export type UpdateClientInput = z.infer<typeof updateClientInput>;

export const clientRefInput = z.object(clientRef);

export const addRedirectUriInput = z.object({ ...clientRef, uri: z.string().trim().min(1, "Give the redirect URI to add.").max(4096, "A redirect URI is at most 2000 characters.") });

export const setClientEnabledInput = z.object({ ...clientRef, enabled: z.boolean() });

/** Hours the previous secret keeps working after a rotation (0 = revoke it at once). */
export const MAX_SECRET_OVERLAP_HOURS = 168;
export const rotateSecretInput = z.object({
  ...clientRef,
  overlapHours: z
    .number()
    .int("Overlap is a whole number of hours.")
    .min(0, "Overlap cannot be negative.")
    .max(MAX_SECRET_OVERLAP_HOURS, `The old secret may stay valid for at most ${MAX_SECRET_OVERLAP_HOURS} hours (7 days).`)
    .default(24),
});

/** Live validation while typing: a pasted list, one URI per line. */
export const checkUrisInput = z.object({
  type: z.enum(CLIENT_TYPES),
  kind: z.enum(["redirect", "post_logout"]).default("redirect"),
  text: z.string().max(MAX_REDIRECT_URIS * 2100, "Too much text: paste at most 100 URIs."),
});

/** The public authorize-check (what the platform's authorization endpoint asks). */
export const authorizeCheckInput = z.object({
  client_id: z.string({ error: "client_id is required." }).min(1, "client_id is required.").max(128, "client_id is too long."),
  redirect_uri: z.string({ error: "redirect_uri is required." }).min(1, "redirect_uri is required.").max(4096, "redirect_uri is too long."),
});
