// Platform registry (table global_identifiers): identifiers that must be unique across ALL tenants,
// so that one can never resolve to two tenants. Signing-key kids, API key public ids, OAuth
// client_ids and redirect URIs (by hash) use it, each with its own kind. Not tenant-scoped on
// purpose (uniqueness spans tenants); the owner column says which tenant holds a value.
import type { Db } from "../db/doors";
import type { TenantId } from "./tenant-id";

export const IDENTIFIER_KINDS = {
  signingKeyKid: "signing_key.kid",
  apiKeyId: "api_key.id",
  clientId: "oauth.client_id",
  redirectUri: "oauth.redirect_uri",
} as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[keyof typeof IDENTIFIER_KINDS];

/**
 * Claims `value` for `owner`. A value any tenant already holds fails with a unique violation (and,
 * being inside the caller's transaction, rolls the whole change back).
 */
export async function claimGlobalIdentifier(db: Db, kind: IdentifierKind, value: string, owner: TenantId): Promise<void> {
  await db.globalIdentifier.create({ data: { kind, value, ownerTenantId: owner }, select: { kind: true } });
}

/** The tenant holding `value`, if any. */
export async function findIdentifierOwner(db: Db, kind: IdentifierKind, value: string): Promise<string | null> {
  const row = await db.globalIdentifier.findUnique({ where: { kind_value: { kind, value } }, select: { ownerTenantId: true } });
  return row?.ownerTenantId ?? null;
}

/** The tenant holding `value`, with what a resolver needs to know about it. */
export async function findIdentifierOwnerTenant(db: Db, kind: IdentifierKind, value: string) {
  const row = await db.globalIdentifier.findUnique({
    where: { kind_value: { kind, value } },
    select: { owner: { select: { id: true, slug: true, status: true, pausedAt: true, pausedReason: true } } },
  });
  return row?.owner ?? null;
}

/** Gives up `owner`'s claim on `value` (a value held by another tenant is left alone). */
export async function releaseGlobalIdentifier(db: Db, kind: IdentifierKind, value: string, owner: TenantId): Promise<void> {
  await db.globalIdentifier.deleteMany({ where: { kind, value, ownerTenantId: owner } });
}
