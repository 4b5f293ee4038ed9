// What a tenant owns and the order in which a purge removes it (server/deletion/purge.ts).
//
// Order: secrets first (the data key is crypto-shredded before anything else, so every private
// signing key is undecryptable from the first step on), then caches, then rows children-before-
// parents (client secrets before clients, signing keys before the data key row, policy versions
// before workspaces), the audit trail last among the rows (the deletion stays provable as long as
// possible), then the tenant's claims on global identifiers. A catalog step deletes rows of any
// tenant-owned table this list does not name yet (a later feature's table), and the final step
// verifies that nothing of the tenant is left before it seals the tombstone and signs the receipt.
//
// Survives: the tenants row (status 'deleted', the tombstone), its audit_chain_heads row (the sealed
// head) and the tenant_deletions record.
import type { TenantScope } from "../db/doors";
import { countReservedIdentifiers, countTenantRows, tenantOwnedTables } from "./repository";

export type StepKind = "shred" | "redis" | "files" | "table" | "catalog" | "identifiers" | "finalize";

export interface PurgeStep {
  readonly id: string;
  readonly kind: StepKind;
  /** For "table" steps: the tenant-owned table (deleted through credo_purge_tenant_rows). */
  readonly table?: string;
  readonly label: string;
}

export const PURGE_STEPS: readonly PurgeStep[] = [
  { id: "shred_data_key", kind: "shred", label: "Crypto-shred the tenant's data key" },
  { id: "redis", kind: "redis", label: "Remove rate-limit counters and cached entries" },
  { id: "export_files", kind: "files", label: "Remove audit export files" },
  { id: "audit_exports", kind: "table", table: "audit_exports", label: "Audit exports" },
  { id: "oauth_client_secrets", kind: "table", table: "oauth_client_secrets", label: "Client secrets" },
  { id: "oauth_clients", kind: "table", table: "oauth_clients", label: "OAuth clients" },
  { id: "api_keys", kind: "table", table: "api_keys", label: "API keys" },
  { id: "signing_keys", kind: "table", table: "signing_keys", label: "Signing keys" },
  { id: "tenant_data_keys", kind: "table", table: "tenant_data_keys", label: "Data key (already shredded)" },
  { id: "policy_versions", kind: "table", table: "policy_versions", label: "Policy versions" },
  { id: "workspaces", kind: "table", table: "workspaces", label: "Workspaces" },
  { id: "memberships", kind: "table", table: "memberships", label: "Members and support grants" },
  { id: "audit_checkpoints", kind: "table", table: "audit_checkpoints", label: "Audit checkpoints" },
  { id: "audit_retention_state", kind: "table", table: "audit_retention_state", label: "Audit retention state" },
  { id: "audit_events", kind: "table", table: "audit_events", label: "Audit events" },
  { id: "other_tables", kind: "catalog", label: "Any other tenant-owned rows" },
  { id: "global_identifiers", kind: "identifiers", label: "Release reserved identifiers (kids, key ids, client ids, redirect URIs)" },
  { id: "finalize", kind: "finalize", label: "Verify nothing is left, seal the tombstone, sign the receipt" },
];

/** Tables the purge never empties: the sealed chain head stays with the tombstone. */
export const SURVIVING_TENANT_TABLES: ReadonlySet<string> = new Set(["audit_chain_heads"]);

export const PLANNED_TABLES: ReadonlySet<string> = new Set(PURGE_STEPS.flatMap((s) => (s.table ? [s.table] : [])));

// The catalog query lives in the repository; re-exported here beside the plan it completes.
export { tenantOwnedTables };

/** What people read for a kind (table) in the danger zone, the progress view and the receipt. */
export const KIND_LABELS: Readonly<Record<string, string>> = {
  memberships: "Members and support grants",
  signing_keys: "Signing keys",
  tenant_data_keys: "Data encryption keys",
  api_keys: "API keys",
  oauth_clients: "OAuth clients",
  oauth_client_secrets: "Client secrets",
  workspaces: "Workspaces",
  policy_versions: "Policy versions",
  audit_events: "Audit events",
  audit_exports: "Audit exports",
  audit_checkpoints: "Audit checkpoints",
  audit_retention_state: "Audit retention state",
  global_identifiers: "Reserved identifiers",
  redis_keys: "Cache and rate-limit entries",
  export_files: "Audit export files",
  tenant_invitations: "Invitations",
  crypto_shredded_data_keys: "Data keys destroyed (crypto-shredding)",
};

/** The label people read for a kind; a kind without one reads as words, never as a raw identifier. */
export function kindLabel(kind: string): string {
  const known = KIND_LABELS[kind];
  if (known) return known;
  const words = kind.replaceAll("_", " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Rows per kind the tenant owns right now (in its own scope: RLS applies), for every tenant-owned
 * table except the surviving ones, plus its reserved global identifiers.
 */
export async function countTenantData(scope: TenantScope): Promise<Record<string, number>> {
  const tables = (await tenantOwnedTables(scope)).filter((t) => !SURVIVING_TENANT_TABLES.has(t));
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countTenantRows(scope, table);
  const ids = await countReservedIdentifiers(scope);
  counts.global_identifiers = ids;
  return counts;
}
