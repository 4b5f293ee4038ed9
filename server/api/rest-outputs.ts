// Output schemas of the procedures the REST admin API exposes (server/api/rest.ts): they complete
// the OpenAPI document (GET /api/openapi.json) and are checked on the tRPC path too, so they list
// every field the console reads. Objects are loose (extra fields pass through, never stripped): a
// field added to a view later cannot silently vanish from the console's answers. Dates are Date
// objects here; REST serializes them as ISO 8601 strings (superjson keeps them Dates for tRPC).
import { z } from "zod";
import type { ClientView } from "../clients/service";
import type { listTenantClients } from "../clients/service";
import type { SigningKeyView } from "../signing-keys/service";
import type { ExportView } from "../audit/export/service";
import type { EffectivePolicyDocument } from "../policies/tenant-level";
import type { CLIENT_TYPE_RULES } from "../isomorphic/clients/client-types";

const date = z.date();

/**
 * The schema, typed as the view the service returns: the procedures keep their precise types for
 * the console, while the schema (loose, so it never strips) validates and documents the fields.
 */
const typedAs = <T>(schema: z.ZodType) => schema as unknown as z.ZodType<T>;

export const clientViewOutput = typedAs<ClientView>(z.looseObject({
  id: z.string(),
  clientId: z.string(),
  name: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  confidential: z.boolean(),
  pkceRequired: z.boolean(),
  grantTypes: z.array(z.string()),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  allowedOrigins: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: date,
  updatedAt: date,
  createdByLabel: z.string(),
  secrets: z.array(z.looseObject({ id: z.string(), hint: z.string(), createdAt: date, expiresAt: date.nullable() })),
}));

type ClientList = Awaited<ReturnType<typeof listTenantClients>> & {
  types: ({ type: ClientView["type"] } & (typeof CLIENT_TYPE_RULES)[ClientView["type"]])[];
  maxSecretOverlapHours: number;
};

export const clientListOutput = typedAs<ClientList>(z.looseObject({
  items: z.array(clientViewOutput),
  nextCursor: z.string().nullable().describe("Pass back as `cursor` for the next page; null on the last page."),
  regulatedMode: z.boolean(),
  types: z.array(z.looseObject({ type: z.string() })),
  maxSecretOverlapHours: z.number(),
}));

export const signingKeyOutput = typedAs<SigningKeyView>(z.looseObject({
  id: z.string(),
  kid: z.string(),
  alg: z.string(),
  state: z.enum(["next", "current", "previous", "revoked"]),
  createdAt: date,
  activatedAt: date.nullable(),
  retiredAt: date.nullable(),
  revokedAt: date.nullable(),
  autoPromoteAt: date.nullable(),
}));

export const keyListOutput = typedAs<{ issuer: string; jwksUri: string; autoPromoteAfterHours: number; keys: SigningKeyView[] }>(z.looseObject({
  issuer: z.string(),
  jwksUri: z.string(),
  autoPromoteAfterHours: z.number(),
  keys: z.array(signingKeyOutput),
}));

export const auditExportOutput = typedAs<ExportView>(z.looseObject({
  id: z.string(),
  status: z.enum(["queued", "running", "done", "failed", "expired"]),
  format: z.string(),
  filters: z.record(z.string(), z.unknown()),
  requestedBy: z.string().nullable(),
  rowsWritten: z.string(),
  rowsEstimated: z.string().nullable(),
  bytes: z.string().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: date,
  finishedAt: date.nullable(),
  expiresAt: date,
  downloadable: z.boolean().describe("Done and not expired: GET /api/t/{tenant}/exports/{id} (and ?part=manifest) downloads it."),
}));

export const effectivePolicyOutput = typedAs<EffectivePolicyDocument>(z.looseObject({
  tenant: z.string(),
  workspace: z.string().nullable(),
  versions: z.unknown().describe("The version in force at each level (global, tenant, workspace)."),
  values: z.record(z.string(), z.unknown()).describe("Every section's effective values."),
  sections: z.unknown().describe("Every field with its value and the level it comes from."),
  problems: z.array(z.string()),
}));

export const auditExportListOutput = typedAs<ExportView[]>(z.array(auditExportOutput));
