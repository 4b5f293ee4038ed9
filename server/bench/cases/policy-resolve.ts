// Case "policy-resolve": what resolving a tenant's effective policy costs. The pure per-field merge
// (defaults ← global ← tenant ← workspace, with sources and rule checks), the whole read as
// consumers do it (inTenant + the one-round-trip layer query + merge), and the same three
// documents read with raw pg as the baseline. Seeds one global version and, for every run tenant,
// a tenant version and a workspace with a version (raw SQL as the owner, idempotent).
import { inTenant } from "../../db/doors";
import { loadEffectivePolicy, resolvePolicy } from "../../policies/resolve";
import type { OverridesDocument } from "../../isomorphic/policies/sections";
import { keyedTenants } from "../population";
import { measureInterleaved, seededRandom } from "../stats";
import { row, type BenchCase, type BenchContext } from "../types";

const TITLE = "effective policy";

const GLOBAL: OverridesDocument = { password: { minLength: 10, history: 3 }, sessions: { accessTokenTtlSeconds: 600 }, features: { passkeys: true, magicLinks: false } };
const TENANT: OverridesDocument = { password: { minLength: 14 }, bruteForce: { attempts: 6 }, rateLimits: { apiKey: { requestsPerWindow: 900, windowSeconds: 60, burst: 100 } }, features: { magicLinks: true } };
const WORKSPACE: OverridesDocument = { password: { minLength: 16 }, consent: { text: "Bench consent text for {app}.", version: 2 } };

const RAW_LAYERS = `
  SELECT (SELECT document FROM global_policy_versions ORDER BY version DESC LIMIT 1) AS g,
         (SELECT document FROM policy_versions WHERE tenant_id = $1 AND scope = 'tenant' ORDER BY version DESC LIMIT 1) AS t,
         (SELECT document FROM policy_versions WHERE tenant_id = $1 AND scope = $2 ORDER BY version DESC LIMIT 1) AS w`;

interface Target {
  tenantId: string;
  workspaceId: string;
}

async function seed(ctx: BenchContext): Promise<Target[]> {
  const tenants = await keyedTenants(ctx);
  const c = await ctx.ownerPool.connect();
  try {
    await c.query("BEGIN");
    await c.query(
      `INSERT INTO global_policy_versions (version, document, author_label, comment)
       SELECT 1, $1::jsonb, 'bench', 'bench global defaults' WHERE NOT EXISTS (SELECT 1 FROM global_policy_versions)`,
      [JSON.stringify(GLOBAL)],
    );
    const out: Target[] = [];
    for (const t of tenants) {
      await c.query(
        `INSERT INTO policy_versions (tenant_id, scope, version, document, author_label, comment)
         VALUES ($1, 'tenant', 1, $2::jsonb, 'bench', 'bench tenant') ON CONFLICT DO NOTHING`,
        [t.id, JSON.stringify(TENANT)],
      );
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'bench', 'Bench workspace')
         ON CONFLICT (tenant_id, slug) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [t.id],
      );
      const workspaceId = rows[0]!.id;
      await c.query(
        `INSERT INTO policy_versions (tenant_id, scope, workspace_id, version, document, author_label, comment)
         VALUES ($1, 'workspace:' || $2, $2::uuid, 1, $3::jsonb, 'bench', 'bench workspace') ON CONFLICT DO NOTHING`,
        [t.id, workspaceId, JSON.stringify(WORKSPACE)],
      );
      out.push({ tenantId: t.id, workspaceId });
    }
    await c.query("COMMIT");
    return out;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

export const policyResolveCase: BenchCase = {
  name: "policy-resolve",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const targets = await seed(ctx);
    const rand = seededRandom(0x9011c7);
    const pick = Array.from({ length: warmup + n }, () => targets[Math.floor(rand() * targets.length)]!);
    const at = (i: number, w: boolean) => pick[w ? i : warmup + i]!;

    const viaDoor = (t: Target) => inTenant(t.tenantId as never, (scope) => loadEffectivePolicy(scope, t.workspaceId));
    const viaSql = (t: Target) => ctx.ownerPool.query(RAW_LAYERS, [t.tenantId, `workspace:${t.workspaceId}`]);

    // Sanity: the door resolves what was seeded, with the expected sources.
    const check = await viaDoor(targets[0]!);
    if (check.sections.password.minLength.value !== 16 || check.sections.password.minLength.source !== "workspace" || check.sections.bruteForce.attempts.source !== "tenant") {
      throw new Error("policy-resolve sanity check failed: the seeded layers did not resolve as expected");
    }

    ctx.log(`resolving: ${n} × effective policy per path, paths interleaved (+${warmup} warmup each)`);
    const { pure, door, sql, empty } = await measureInterleaved(
      {
        // The door's own cost (transaction + role/tenant settings), to tell it apart from the read.
        empty: ({ i, warmup: w }) => inTenant(at(i, w).tenantId as never, async () => null),
        pure: async () => resolvePolicy({ global: GLOBAL, tenant: TENANT, workspace: WORKSPACE }),
        door: ({ i, warmup: w }) => viaDoor(at(i, w)),
        sql: ({ i, warmup: w }) => viaSql(at(i, w)),
      },
      { n, warmup },
    );
    ctx.detail("effective policy: cost", [
      `pure merge p50 ${(pure.p50 * 1000).toFixed(1)} µs, p95 ${(pure.p95 * 1000).toFixed(1)} µs (3 layers, every field with its source)`,
      `inTenant + loadEffectivePolicy p50 ${door.p50.toFixed(2)} ms, p95 ${door.p95.toFixed(2)} ms; raw pg p50 ${sql.p50.toFixed(2)} ms`,
      `of which the door alone (empty inTenant) p50 ${empty.p50.toFixed(2)} ms: the policy read adds ${(door.p50 - empty.p50).toFixed(2)} ms`,
    ]);
    return [
      row(TITLE, "inTenant + loadEffectivePolicy", door, { baseline: sql, note: "tx + set_config + one layer query + merge" }),
      row(TITLE, "inTenant, empty (door only)", empty, { baseline: sql, note: "what any tenant transaction costs" }),
      row(TITLE, "resolvePolicy (pure merge)", pure, { baseline: sql, note: "no I/O" }),
      row(TITLE, "raw pg (baseline)", sql, { isBaseline: true, note: "the three latest documents, one query" }),
    ];
  },
};
