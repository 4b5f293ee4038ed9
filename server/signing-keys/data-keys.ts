// Each tenant's data key (table tenant_data_keys): created with the tenant's first signing key,
// stored only wrapped under the KEK, unwrapped in memory for the one operation that needs it.
import "server-only";
import type { TenantScope } from "../db/doors";
import { activeKeyring, newDataKey, unwrapDataKey, wrapDataKey, type Keyring, type WrappedDataKey } from "./envelope";

const wrappedSelect = { id: true, kekId: true, wrapIv: true, wrapTag: true, wrappedKey: true } as const;

interface WrappedRow {
  id: string;
  kekId: string;
  wrapIv: Uint8Array<ArrayBuffer>;
  wrapTag: Uint8Array<ArrayBuffer>;
  wrappedKey: Uint8Array<ArrayBuffer>;
}

function wrappedOf(row: WrappedRow): WrappedDataKey {
  return { kekId: row.kekId, iv: row.wrapIv, tag: row.wrapTag, ciphertext: row.wrappedKey };
}

export interface UnwrappedDataKey {
  readonly id: string;
  /** 32 bytes; zero it (`key.fill(0)`) once used. */
  readonly key: Buffer;
}

/** The tenant's data key, created (and wrapped under the current KEK) if it has none yet. */
export async function tenantDataKey(scope: TenantScope, keyring: Keyring = activeKeyring()): Promise<UnwrappedDataKey> {
  const row = await scope.db.tenantDataKey.findUnique({ where: { tenantId: scope.tenantId }, select: wrappedSelect });
  if (row) return { id: row.id, key: unwrapDataKey(wrappedOf(row), scope.tenantId, keyring) };
  const fresh = newDataKey(scope.tenantId, keyring);
  const created = await scope.db.tenantDataKey.create({
    data: {
      tenantId: scope.tenantId,
      kekId: fresh.wrapped.kekId,
      wrapIv: fresh.wrapped.iv,
      wrapTag: fresh.wrapped.tag,
      wrappedKey: fresh.wrapped.ciphertext,
    },
    select: { id: true },
  });
  return { id: created.id, key: fresh.key };
}

/** The data key a signing key row names (always the tenant's own: the lookup is tenant-scoped). */
export async function dataKeyById(scope: TenantScope, dataKeyId: string, keyring: Keyring = activeKeyring()): Promise<UnwrappedDataKey> {
  const row = await scope.db.tenantDataKey.findUnique({
    where: { tenantId_id: { tenantId: scope.tenantId, id: dataKeyId } },
    select: wrappedSelect,
  });
  if (!row) throw new Error("The signing key's data key is missing.");
  return { id: row.id, key: unwrapDataKey(wrappedOf(row), scope.tenantId, keyring) };
}

export type RewrapOutcome =
  | { readonly outcome: "rewrapped"; readonly fromKekId: string; readonly toKekId: string }
  | { readonly outcome: "unchanged"; readonly kekId: string }
  | { readonly outcome: "no_data_key" };

/**
 * Re-wraps the tenant's data key under the keyring's current KEK (KEK rotation). Idempotent: a data
 * key already under the current KEK is left alone. The data key itself does not change, so signing
 * keys stay valid and readers holding either KEK keep working throughout.
 */
export async function rewrapDataKey(scope: TenantScope, keyring: Keyring, now = new Date()): Promise<RewrapOutcome> {
  const row = await scope.db.tenantDataKey.findUnique({ where: { tenantId: scope.tenantId }, select: wrappedSelect });
  if (!row) return { outcome: "no_data_key" };
  if (row.kekId === keyring.current.id) return { outcome: "unchanged", kekId: row.kekId };
  const key = unwrapDataKey(wrappedOf(row), scope.tenantId, keyring);
  try {
    const wrapped = wrapDataKey(key, scope.tenantId, keyring);
    await scope.db.tenantDataKey.update({
      where: { tenantId_id: { tenantId: scope.tenantId, id: row.id } },
      data: { kekId: wrapped.kekId, wrapIv: wrapped.iv, wrapTag: wrapped.tag, wrappedKey: wrapped.ciphertext, rotatedAt: now },
      select: { id: true },
    });
    return { outcome: "rewrapped", fromKekId: row.kekId, toKekId: wrapped.kekId };
  } finally {
    key.fill(0);
  }
}
