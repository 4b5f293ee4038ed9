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

/** Every table in schema public with a tenant_id column (the tenant-owned tables), from the catalog. */
export async function tenantOwnedTables(scope: Pick<TenantScope, "db">): Promise<string[]> {
  const rows = await scope.db.$queryRaw<{ t: string }[]>`
    SELECT c.relname::text AS t FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') ORDER BY 1`;
  return rows.map((r) => r.t);
}

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

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Rows per kind the tenant owns right now (in its own scope: RLS applies), for every tenant-owned
 * table except the surviving ones, plus its reserved global identifiers.
 */
export async function countTenantData(scope: TenantScope): Promise<Record<string, number>> {
  const tables = (await tenantOwnedTables(scope)).filter((t) => !SURVIVING_TENANT_TABLES.has(t));
  const counts: Record<string, number> = {};
  for (const table of tables) {
    // Table names come from the catalog (not from input); quoted as identifiers all the same.
    const rows = await scope.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM public.${quoteIdent(table)} WHERE tenant_id = $1::uuid`, scope.tenantId);
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  const ids = await scope.db.globalIdentifier.count({ where: { ownerTenantId: scope.tenantId } });
  counts.global_identifiers = ids;
  return counts;
}
