// OAuth clients of a tenant: register, edit, enable/disable, delete, rotate secrets. Every
// configuration is checked as a whole against the client type's rules and the redirect URI rules
// (redirect-uris.ts — the same function the public authorize-check matches with), refusals name
// each offending entry, and nothing is half-saved (one tenant transaction per request).
import type { TenantScope } from "../db/doors";
import type { AuditActor, Auditor } from "../audit/record";
import { AppError } from "../isomorphic/errors";
import { claimGlobalIdentifier, IDENTIFIER_KINDS, releaseGlobalIdentifier } from "../tenancy/global-identifiers-repository";
import {
  deleteClientRow,
  findClient,
  insertClient,
  insertClientSecret,
  listClients,
  pageClients,
  type ClientPageInput,
  retireClientSecrets,
  updateClientFields,
  type ClientFields,
  type OAuthClientRow,
} from "./repository";
import { readTenantPolicy } from "../policies/tenant-repository";
import type { ListPage } from "../lists/keyset";
import { CLIENT_TYPE_RULES, GRANT_TYPES, pkceRequired, type GrantType } from "../isomorphic/clients/client-types";
import { generateClientId, generateClientSecret } from "./credentials";
import type { CreateClientInput, UpdateClientInput } from "../isomorphic/clients/inputs";
import { checkOrigin } from "../isomorphic/clients/origins";
import { checkRedirectUri, type ClientType } from "../isomorphic/clients/redirect-uris";
import { claimRedirectUris, releaseRedirectUris } from "./uri-claims";

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface ClientSecretView {
  id: string;
  hint: string;
  createdAt: Date;
  /** null: valid until rotated. */
  expiresAt: Date | null;
}

export interface ClientView {
  id: string;
  clientId: string;
  name: string;
  type: ClientType;
  typeLabel: string;
  confidential: boolean;
  pkceRequired: boolean;
  grantTypes: GrantType[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedOrigins: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  createdByLabel: string;
  /** Valid secrets only (at most two during a rotation overlap), newest first. */
  secrets: ClientSecretView[];
}

function clientTypeOf(v: string): ClientType {
  if (v === "web" || v === "spa" || v === "native" || v === "m2m") return v;
  throw new Error(`Unknown client type ${v}.`);
}

function toView(row: OAuthClientRow, regulated: boolean, now = new Date()): ClientView {
  const type = clientTypeOf(row.type);
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    type,
    typeLabel: CLIENT_TYPE_RULES[type].label,
    confidential: CLIENT_TYPE_RULES[type].confidential,
    pkceRequired: pkceRequired(type, regulated),
    grantTypes: row.grantTypes.filter((g): g is GrantType => (GRANT_TYPES as readonly string[]).includes(g)),
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    allowedOrigins: row.allowedOrigins,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdByLabel: row.createdByLabel,
    secrets: row.secrets.filter((s) => !s.expiresAt || s.expiresAt > now),
  };
}

/** What the audit trail keeps of a client: its configuration, never secrets. */
function summary(row: Pick<OAuthClientRow, "clientId" | "name" | "type" | "enabled"> & ClientFields) {
  return {
    clientId: row.clientId,
    name: row.name,
    type: row.type,
    enabled: row.enabled,
    grantTypes: row.grantTypes,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    allowedOrigins: row.allowedOrigins,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation of a whole configuration
// ---------------------------------------------------------------------------------------------

/** One refusal listing every offending entry (the first few, then a count). */
function refuse(problems: string[]): never {
  const shown = problems.slice(0, 5);
  const more = problems.length > shown.length ? ` …and ${problems.length - shown.length} more.` : "";
  throw new AppError("BAD_REQUEST", shown.join(" ") + more);
}

function checkUriList(uris: readonly string[], type: ClientType, regulated: boolean, kind: "redirect" | "post_logout"): string[] {
  const label = kind === "redirect" ? "Redirect URI" : "Post-logout redirect URI";
  const problems: string[] = [];
  const seen = new Set<string>();
  uris.forEach((uri, i) => {
    const check = checkRedirectUri(uri, { clientType: type, regulated, kind });
    if (!check.ok) problems.push(`${label} ${i + 1} (${uri.slice(0, 200)}): ${check.message}`);
    else if (seen.has(uri)) problems.push(`${label} ${i + 1} (${uri.slice(0, 200)}) is listed twice.`);
    seen.add(uri);
  });
  return problems;
}

/** The configuration as it will be stored, or a BAD_REQUEST naming every problem (also the backup import's check). */
export function validatedFields(type: ClientType, regulated: boolean, fields: ClientFields): ClientFields {
  const rules = CLIENT_TYPE_RULES[type];
  const problems: string[] = [];

  const grants = GRANT_TYPES.filter((g) => fields.grantTypes.includes(g));
  for (const g of grants) if (!rules.grants.includes(g)) problems.push(`A ${rules.label} cannot use the ${g} grant.`);
  if (grants.length === 0) problems.push("Choose at least one grant type.");
  if (grants.includes("refresh_token") && !grants.includes("authorization_code")) {
    problems.push("refresh_token needs authorization_code (refresh tokens come from an authorization).");
  }

  if (!rules.redirects) {
    if (fields.redirectUris.length || fields.postLogoutRedirectUris.length) problems.push("Machine-to-machine clients have no redirect URIs.");
  } else {
    if (grants.includes("authorization_code") && fields.redirectUris.length === 0) problems.push("Add at least one redirect URI.");
    problems.push(...checkUriList(fields.redirectUris, type, regulated, "redirect"));
    problems.push(...checkUriList(fields.postLogoutRedirectUris, type, regulated, "post_logout"));
  }

  if (!rules.webOrigins) {
    if (fields.allowedOrigins.length) problems.push("Only single-page apps have allowed web origins.");
  } else {
    const seen = new Set<string>();
    for (const origin of fields.allowedOrigins) {
      const check = checkOrigin(origin, regulated);
      if (!check.ok) problems.push(check.message!);
      else if (seen.has(origin)) problems.push(`${origin} is listed twice.`);
      seen.add(origin);
    }
  }

  if (problems.length) refuse(problems);
  return { ...fields, grantTypes: [...grants] };
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export async function listTenantClients(scope: TenantScope, input: ClientPageInput): Promise<ListPage<ClientView> & { regulatedMode: boolean }> {
  const [{ regulatedMode }, page] = await Promise.all([readTenantPolicy(scope), pageClients(scope, input)]);
  return { items: page.items.map((r) => toView(r, regulatedMode)), nextCursor: page.nextCursor, regulatedMode };
}

async function clientOrNotFound(scope: TenantScope, id: string): Promise<OAuthClientRow> {
  const row = await findClient(scope, id);
  if (!row) throw new AppError("NOT_FOUND", "Client not found.");
  return row;
}

export async function getTenantClient(scope: TenantScope, id: string): Promise<ClientView> {
  const [{ regulatedMode }, row] = await Promise.all([readTenantPolicy(scope), clientOrNotFound(scope, id)]);
  return toView(row, regulatedMode);
}

export interface CreatedClient {
  client: ClientView;
  /** Confidential clients: the first secret, returned by this call only. */
  secret: string | null;
}

export async function createClient(scope: TenantScope, audit: Auditor, actor: AuditActor, input: CreateClientInput, now = new Date()): Promise<CreatedClient> {
  const { regulatedMode } = await readTenantPolicy(scope);
  const rules = CLIENT_TYPE_RULES[input.type];
  const fields = validatedFields(input.type, regulatedMode, {
    name: input.name,
    grantTypes: input.grantTypes ?? [...rules.defaultGrants],
    redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris,
    allowedOrigins: input.allowedOrigins,
  });
  const clientId = generateClientId();
  await claimGlobalIdentifier(scope.db, IDENTIFIER_KINDS.clientId, clientId, scope.tenantId);
  await claimRedirectUris(scope, fields.redirectUris);
  const row = await insertClient(scope, { ...fields, clientId, type: input.type, createdByLabel: actor.label ?? actor.type, createdAt: now });
  let secret: string | null = null;
  if (rules.confidential) {
    const s = generateClientSecret();
    await insertClientSecret(scope, row.id, { secretHash: s.hash, hint: s.hint, createdAt: now });
    secret = s.value;
  }
  await audit.record({ action: "client.created", targetType: "oauth_client", targetId: row.id, after: summary(row) });
  return { client: toView((await findClient(scope, row.id))!, regulatedMode, now), secret };
}

export async function updateClient(scope: TenantScope, audit: Auditor, input: UpdateClientInput, now = new Date()): Promise<ClientView> {
  const { regulatedMode } = await readTenantPolicy(scope);
  const row = await clientOrNotFound(scope, input.clientRowId);
  const type = clientTypeOf(row.type);
  const fields = validatedFields(type, regulatedMode, {
    name: input.name ?? row.name,
    grantTypes: input.grantTypes ?? row.grantTypes,
    redirectUris: input.redirectUris ?? row.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? row.postLogoutRedirectUris,
    allowedOrigins: input.allowedOrigins ?? row.allowedOrigins,
  });
  await claimRedirectUris(scope, fields.redirectUris);
  const updated = await updateClientFields(scope, row.id, fields, now);
  await releaseRedirectUris(scope, row.redirectUris.filter((u) => !fields.redirectUris.includes(u)), row.id);
  await audit.record({ action: "client.updated", targetType: "oauth_client", targetId: row.id, before: summary(row), after: summary(updated) });
  return toView(updated, regulatedMode, now);
}

/**
 * Appends one redirect URI: an update with the client's list plus it (the same validation, claim
 * and audit as an edit). A URI the client already lists changes nothing.
 */
export async function addRedirectUri(scope: TenantScope, audit: Auditor, id: string, uri: string, now = new Date()): Promise<ClientView> {
  const row = await clientOrNotFound(scope, id);
  if (row.redirectUris.includes(uri)) return getTenantClient(scope, id);
  return updateClient(scope, audit, { clientRowId: id, redirectUris: [...row.redirectUris, uri] }, now);
}

export async function setClientEnabled(scope: TenantScope, audit: Auditor, id: string, enabled: boolean, now = new Date()): Promise<ClientView> {
  const { regulatedMode } = await readTenantPolicy(scope);
  const row = await clientOrNotFound(scope, id);
  if (row.enabled === enabled) return toView(row, regulatedMode, now);
  const updated = await updateClientFields(scope, row.id, { enabled }, now);
  await audit.record({
    action: enabled ? "client.enabled" : "client.disabled",
    targetType: "oauth_client",
    targetId: row.id,
    before: { clientId: row.clientId, enabled: row.enabled },
    after: { clientId: row.clientId, enabled },
  });
  return toView(updated, regulatedMode, now);
}

/** Deletes the client and its secrets; its client_id and redirect URIs are released. */
export async function deleteClient(scope: TenantScope, audit: Auditor, id: string): Promise<{ id: string }> {
  const row = await clientOrNotFound(scope, id);
  await deleteClientRow(scope, row.id);
  await releaseRedirectUris(scope, row.redirectUris, row.id);
  await releaseGlobalIdentifier(scope.db, IDENTIFIER_KINDS.clientId, row.clientId, scope.tenantId);
  await audit.record({ action: "client.deleted", targetType: "oauth_client", targetId: row.id, before: summary(row) });
  return { id: row.id };
}

export interface RotatedSecret {
  client: ClientView;
  /** The new secret, returned by this call only. */
  secret: string;
}

/**
 * A new secret, valid at once; the secret valid so far keeps working for `overlapHours` (0 = stops
 * at once), so deployments can switch without downtime. A secret still in an earlier overlap ends
 * now: never more than two valid secrets.
 */
export async function rotateClientSecret(scope: TenantScope, audit: Auditor, id: string, overlapHours: number, now = new Date()): Promise<RotatedSecret> {
  const { regulatedMode } = await readTenantPolicy(scope);
  const row = await clientOrNotFound(scope, id);
  const type = clientTypeOf(row.type);
  if (!CLIENT_TYPE_RULES[type].confidential) {
    throw new AppError("PRECONDITION_FAILED", `A ${CLIENT_TYPE_RULES[type].label} has no client secret: it proves itself with PKCE.`);
  }
  const oldValidUntil = new Date(now.getTime() + overlapHours * 3_600_000);
  await retireClientSecrets(scope, row.id, overlapHours === 0 ? new Date(now.getTime() - 1) : oldValidUntil);
  const s = generateClientSecret();
  await insertClientSecret(scope, row.id, { secretHash: s.hash, hint: s.hint, createdAt: now });
  await audit.record({
    action: "client.secret_rotated",
    targetType: "oauth_client",
    targetId: row.id,
    after: { clientId: row.clientId, hint: s.hint, previousValidUntil: overlapHours === 0 ? now.toISOString() : oldValidUntil.toISOString() },
  });
  return { client: toView((await findClient(scope, row.id))!, regulatedMode, now), secret: s.value };
}

/**
 * Clients whose registration breaks the regulated-mode rules: switching regulated mode on is
 * refused while any exist (the policy would otherwise silently disable their logins).
 */
export async function regulatedModeConflicts(scope: TenantScope): Promise<string[]> {
  const conflicts: string[] = [];
  for (const row of await listClients(scope)) {
    const type = clientTypeOf(row.type);
    const bad = [...row.redirectUris, ...row.postLogoutRedirectUris].filter((u) => !checkRedirectUri(u, { clientType: type, regulated: true }).ok);
    const badOrigins = row.allowedOrigins.filter((o) => !checkOrigin(o, true).ok);
    if (bad.length || badOrigins.length) conflicts.push(`${row.name} (${row.clientId}): ${[...bad, ...badOrigins].join(", ")}`);
  }
  return conflicts;
}
