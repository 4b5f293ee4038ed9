// API keys of a tenant: create (the full key is returned exactly once), list, revoke. Scopes are
// permissions from the RBAC matrix, a subset of what the creator holds in this tenant and never
// the human-only ones (API_KEY_EXCLUDED). Every change is audited without secret material.
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import type { AuditActor, Auditor } from "../audit/record";
import { API_KEY_EXCLUDED, API_KEY_SCOPES, isTenantPermission, type Permission, type TenantPermission } from "../isomorphic/auth/permissions";
import { AppError } from "../isomorphic/errors";
import { claimGlobalIdentifier, findIdentifierOwner, IDENTIFIER_KINDS } from "../tenancy/global-identifiers-repository";
import { findApiKey, insertApiKey, listUnrevokedApiKeysCreatedBy, markApiKeyRevoked, pageApiKeysWithCreators, type ApiKeyPageInput, type ApiKeyRow } from "./repository";
import type { ListPage } from "../lists/keyset";
import { displayPrefix, generateApiKey, type NewApiKey } from "./format";

/** Longest lifetime a key can be given; "never" is allowed but warned about in the UI. */
// The create schema is shared with the create-key form (inputs.ts: zod only).
import { API_KEY_MAX_DAYS, createApiKeyInput, type CreateApiKeyInput } from "../isomorphic/api-keys/inputs";
export { API_KEY_MAX_DAYS, createApiKeyInput, type CreateApiKeyInput };

export const apiKeyIdInput = z.object({ keyId: z.string().uuid("Unknown API key.") });

export type ApiKeyStatus = "active" | "expired" | "revoked";

export interface ApiKeyView {
  id: string;
  publicId: string;
  /** "tc_<public id>_…": enough to recognise a key, never the secret. */
  prefix: string;
  name: string;
  scopes: TenantPermission[];
  createdByLabel: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedByLabel: string | null;
  status: ApiKeyStatus;
  /** The person who created it can no longer act in this tenant (removed, expired, suspended). */
  creatorGone: boolean;
}

function statusOf(row: ApiKeyRow, now: Date): ApiKeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return "active";
}

function toView(row: ApiKeyRow, now = new Date(), creatorGone = false): ApiKeyView {
  return {
    id: row.id,
    publicId: row.publicId,
    prefix: displayPrefix(row.publicId),
    name: row.name,
    scopes: row.scopes.filter(isTenantPermission),
    createdByLabel: row.createdByLabel,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    revokedByLabel: row.revokedByLabel,
    status: statusOf(row, now),
    creatorGone,
  };
}

/** The scopes `holder` may put on a new key, in matrix order. */
export function grantableScopes(holder: ReadonlySet<Permission>): TenantPermission[] {
  return API_KEY_SCOPES.filter((p) => holder.has(p));
}

/** The audit summary of a key: never the secret or its hash. */
function summary(row: ApiKeyRow) {
  return { publicId: row.publicId, name: row.name, scopes: row.scopes, expiresAt: row.expiresAt?.toISOString() ?? null };
}

/** A fresh key whose public id no tenant holds (a collision is astronomically rare; checked anyway). */
async function unusedKey(scope: TenantScope): Promise<NewApiKey> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const key = generateApiKey();
    if (!(await findIdentifierOwner(scope.db, IDENTIFIER_KINDS.apiKeyId, key.publicId))) return key;
  }
  throw new Error("Could not find an unused API key id.");
}

export interface CreatedApiKey {
  key: ApiKeyView;
  /** The full key. Returned by this call only; it is not stored and cannot be shown again. */
  value: string;
}

export async function createApiKey(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  creatorPermissions: ReadonlySet<Permission>,
  input: CreateApiKeyInput,
  now = new Date(),
): Promise<CreatedApiKey> {
  const scopes = [...new Set(input.scopes)];
  const humanOnly = scopes.filter((s) => API_KEY_EXCLUDED.has(s));
  if (humanOnly.length) {
    throw new AppError("BAD_REQUEST", `API keys cannot be given ${humanOnly.join(", ")}: only people may do that, in the console.`);
  }
  const notHeld = scopes.filter((s) => !creatorPermissions.has(s));
  if (notHeld.length) {
    throw new AppError("FORBIDDEN", `You cannot give a key ${notHeld.join(", ")}: your own role in this tenant does not include it.`);
  }
  const generated = await unusedKey(scope);
  await claimGlobalIdentifier(scope.db, IDENTIFIER_KINDS.apiKeyId, generated.publicId, scope.tenantId);
  const row = await insertApiKey(scope, {
    publicId: generated.publicId,
    name: input.name,
    secretHash: new Uint8Array(generated.secretHash),
    scopes: API_KEY_SCOPES.filter((p) => scopes.includes(p)),
    createdBy: actor.type === "user" ? actor.id : null,
    createdByLabel: actor.label ?? actor.type,
    createdAt: now,
    expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
  });
  await audit.record({ action: "api_key.created", targetType: "api_key", targetId: row.id, after: summary(row) });
  return { key: toView(row), value: generated.value };
}

export async function listTenantApiKeys(scope: TenantScope, input: ApiKeyPageInput, now = new Date()): Promise<ListPage<ApiKeyView>> {
  const { items: rows, nextCursor } = await pageApiKeysWithCreators(scope, input, now);
  return { items: rows.map((r) => toView(r, now, r.creatorGone)), nextCursor };
}

export async function revokeApiKey(scope: TenantScope, audit: Auditor, actor: AuditActor, keyId: string, now = new Date()): Promise<ApiKeyView> {
  const row = await findApiKey(scope, keyId);
  if (!row) throw new AppError("NOT_FOUND", "API key not found.");
  if (row.revokedAt) throw new AppError("CONFLICT", `Key ${displayPrefix(row.publicId)} is already revoked.`);
  const by = actor.label ?? actor.type;
  if (!(await markApiKeyRevoked(scope, row.id, by, now))) throw new AppError("CONFLICT", `Key ${displayPrefix(row.publicId)} is already revoked.`);
  const revoked = { ...row, revokedAt: now, revokedByLabel: by };
  await audit.record({ action: "api_key.revoked", targetType: "api_key", targetId: row.id, before: summary(row), after: { ...summary(row), revoked: true } });
  return toView(revoked, now);
}

/** How many keys revokeApiKeysCreatedBy would revoke (what the removal confirmation says). */
export async function countApiKeysCreatedBy(scope: TenantScope, userId: string): Promise<number> {
  return (await listUnrevokedApiKeysCreatedBy(scope, userId)).length;
}

/**
 * Revokes every key of THIS tenant that `userId` created and that is not revoked yet — used when
 * the creator's access ends (member removed, user suspended). One audit event per key, in the
 * caller's transaction. Returns the revoked keys' public ids.
 */
export async function revokeApiKeysCreatedBy(
  scope: TenantScope,
  userId: string,
  auditor: Auditor,
  opts: { byLabel?: string; reason?: string; now?: Date } = {},
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const by = opts.byLabel ?? "system";
  const reason = opts.reason ?? "creator_access_ended";
  const revoked: string[] = [];
  for (const row of await listUnrevokedApiKeysCreatedBy(scope, userId)) {
    if (!(await markApiKeyRevoked(scope, row.id, by, now))) continue;
    await auditor.record({ action: "api_key.revoked", targetType: "api_key", targetId: row.id, before: summary(row), after: { ...summary(row), revoked: true, reason } });
    revoked.push(row.publicId);
  }
  return revoked;
}
