// Test helpers for tenant deletion: a tenant seeded through the real procedures with some of
// everything it can own, and a byte-level snapshot of what a tenant owns (row counts and md5 per
// table, read as the owner, RLS bypassed) to compare before/after.
import pg from "pg";
import { API_KEY_SCOPES } from "../isomorphic/auth/permissions";
import { callerFor, grant, makeTenant, makeUser, uniq } from "./fixtures";
import type { TenantId } from "../tenancy/tenant-id";

export interface SeededTenant {
  id: TenantId;
  slug: string;
  owner: { id: string };
  support: { id: string };
  apiKey: string;
  clientIds: string[];
}

/**
 * A tenant with an owner and a support user, a staged signing key, OAuth clients (with secrets and
 * redirect URIs), API keys, a workspace, a policy version (grace `graceDays`), and `extraAuditEvents`
 * bulk audit events (inserted directly, unchained, so that the audit step needs several batches).
 */
export async function seedTenant(admin: { id: string }, pool: pg.Pool, opts: { extraAuditEvents?: number; graceDays?: number; slug?: string } = {}): Promise<SeededTenant> {
  const t = await makeTenant(opts.slug ?? uniq("del"));
  const owner = await makeUser();
  const support = await makeUser();
  await grant(t, owner.id, "owner");
  await grant(t, support.id, "support");
  const c = callerFor(admin.id);
  await c.keys.stage({ tenant: t.slug, alg: "ES256" });
  const clientIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await c.clients.create({ tenant: t.slug, name: `App ${i}`, type: "web", redirectUris: [`https://app${i}.${t.slug}.example/cb`] });
    clientIds.push(created.client.id);
  }
  const { value } = await c.apiKeys.create({ tenant: t.slug, name: "automation", scopes: [...API_KEY_SCOPES], expiresInDays: 30 });
  await c.apiKeys.create({ tenant: t.slug, name: "second", scopes: ["clients.read"], expiresInDays: 30 });
  await c.workspaces.create({ tenant: t.slug, slug: "eu", name: "Europe" });
  await c.policies.save({ tenant: t.slug, document: { dataRetention: { deletionGraceDays: opts.graceDays ?? 10 } }, expectedVersion: 0, comment: "grace" });
  if (opts.extraAuditEvents) {
    await pool.query(
      `INSERT INTO audit_events (tenant_id, actor_type, action, target_type, target_id, after)
       SELECT $1, 'system', 'seed.event', 'test', g::text, jsonb_build_object('n', g) FROM generate_series(1, $2::int) g`,
      [t.id, opts.extraAuditEvents],
    );
  }
  return { id: t.id, slug: t.slug, owner, support, apiKey: value, clientIds };
}

export type Snapshot = Record<string, { n: number; md5: string }>;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Everything a tenant owns, per table: row count and an md5 over the rows' text. Owner connection. */
export async function tenantSnapshot(pool: pg.Pool, tenantId: string): Promise<Snapshot> {
  const tables = await pool.query<{ t: string }>(`
    SELECT c.relname::text AS t FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p') ORDER BY 1`);
  const out: Snapshot = {};
  const one = async (label: string, sql: string) => {
    const r = await pool.query<{ n: number; md5: string }>(sql, [tenantId]);
    out[label] = { n: Number(r.rows[0]!.n), md5: r.rows[0]!.md5 };
  };
  for (const { t } of tables.rows) {
    await one(t, `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS md5 FROM public.${q(t)} x WHERE tenant_id = $1`);
  }
  await one("global_identifiers", `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS md5 FROM global_identifiers x WHERE owner_tenant_id = $1`);
  await one("tenants", `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS md5 FROM tenants x WHERE id = $1`);
  await one("tenant_deletions", `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS md5 FROM tenant_deletions x WHERE target_tenant_id = $1`);
  return out;
}

export async function deletionRow(pool: pg.Pool, tenantId: string) {
  const r = await pool.query(`SELECT * FROM tenant_deletions WHERE target_tenant_id = $1 ORDER BY requested_at DESC LIMIT 1`, [tenantId]);
  return r.rows[0] as
    | { id: string; status: string; step_index: number; deleted_counts: Record<string, number>; retries: number; batches: number; receipt: string | null; chain_seq: string; chain_head_hash: Buffer; last_error: string | null }
    | undefined;
}
