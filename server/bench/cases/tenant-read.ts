// Case "tenant-scoped read": "latest 50 audit events of tenant X" for a random tenant each time,
// through the door (inTenant: transaction + set_config + RLS-filtered query) against the same read
// through Prisma without RLS and through raw pg. Also EXPLAINs the RLS query.
import { inTenant } from "../../db/doors";
import { RUNTIME_ROLE } from "../../db/doors";
import { prismaClient } from "../../db/client";
import { listAuditEvents } from "../../audit/repository";
import { tenantIdFromDatabase, type TenantId } from "../../tenancy/tenant-id";
import { measureInterleaved, seededRandom } from "../stats";
import { row, type BenchCase, type BenchContext } from "../types";

const TITLE = "tenant-scoped read";
const PAGE = 50;

// The columns Prisma selects for an AuditEvent (all scalars), so the raw query returns the same data.
const COLUMNS = [
  "tenant_id", "id", "occurred_at", "actor_type", "actor_id", "actor_label", "action", "target_type",
  "target_id", "outcome", "before", "after", "ip", "user_agent", "request_id",
].map((c) => `"${c}"`).join(", ");
// The shape of Prisma's query (LIMIT/OFFSET parameters included).
const RAW_READ = `SELECT ${COLUMNS} FROM "public"."audit_events" WHERE "tenant_id" = $1 ORDER BY "id" DESC LIMIT $2 OFFSET $3`;

export const tenantReadCase: BenchCase = {
  name: "tenant-read",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    await requireRlsBypass(ctx);
    const tenants = await seed(ctx);

    // The same pseudo-random tenant sequence for every path.
    const rand = seededRandom(0xc0ffee);
    const pick = Array.from({ length: warmup + n }, () => tenants[Math.floor(rand() * tenants.length)]!);
    const tenantAt = (i: number, warm: boolean) => pick[warm ? i : warmup + i]!;

    const viaDoor = (t: TenantId) => inTenant(t, (scope) => listAuditEvents(scope, { limit: PAGE }));
    // The "without RLS" baseline: the raw Prisma client as the table owner (a superuser / BYPASSRLS
    // role, so no policy applies), outside any door. Only the bench does this; application code
    // must always go through server/db/doors.ts.
    const viaPrismaNoRls = (t: TenantId) =>
      prismaClient().auditEvent.findMany({ where: { tenantId: t }, orderBy: { id: "desc" }, take: PAGE + 1 });
    const viaSql = (t: TenantId) => ctx.ownerPool.query(RAW_READ, [t, PAGE + 1, 0]);

    await sanityCheck(ctx, tenantAt(0, false), { viaDoor, viaPrismaNoRls, viaSql });

    ctx.log(`reading: ${n} × latest ${PAGE} audit events per path, paths interleaved (+${warmup} warmup each)`);
    const { rls, noRls, sql } = await measureInterleaved(
      {
        sql: ({ i, warmup: w }) => viaSql(tenantAt(i, w)),
        noRls: ({ i, warmup: w }) => viaPrismaNoRls(tenantAt(i, w)),
        rls: ({ i, warmup: w }) => viaDoor(tenantAt(i, w)),
      },
      { n, warmup },
    );

    const rlsVsNoRls = rls.p50 / noRls.p50;
    const rlsVsSql = rls.p50 / sql.p50;
    ctx.detail("tenant-scoped read: ratios (p50)", [
      `RLS / no-RLS (inTenant+listAuditEvents / prisma findMany)  ${rlsVsNoRls.toFixed(2)}×`,
      `RLS / raw SQL (inTenant+listAuditEvents / pg query)         ${rlsVsSql.toFixed(2)}×`,
      `no-RLS / raw SQL (prisma findMany / pg query)               ${(noRls.p50 / sql.p50).toFixed(2)}×`,
      `p95: RLS ${rls.p95.toFixed(2)} ms, no-RLS ${noRls.p95.toFixed(2)} ms, raw ${sql.p95.toFixed(2)} ms`,
    ]);

    await explain(ctx, tenantAt(0, false));

    return [
      row(TITLE, "inTenant + listAuditEvents (RLS)", rls, {
        baseline: sql,
        note: `tx + set_config + query; ${rlsVsNoRls.toFixed(2)}× no-RLS`,
      }),
      row(TITLE, "prisma findMany, no RLS", noRls, { baseline: sql, note: "owner client outside the doors" }),
      row(TITLE, "raw pg (baseline)", sql, { isBaseline: true, note: `same SELECT … LIMIT ${PAGE + 1}` }),
    ];
  },
};

/** The no-RLS baseline and the fast seeding need a role RLS does not apply to. */
async function requireRlsBypass(ctx: BenchContext): Promise<void> {
  const { rows } = await ctx.ownerPool.query<{ bypass: boolean; who: string }>(
    "SELECT current_user AS who, (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user",
  );
  if (!rows[0]?.bypass) {
    throw new Error(
      `tenant-read needs a superuser or BYPASSRLS role in the bench database URL (connected as ${rows[0]?.who ?? "?"}): ` +
        "the no-RLS baseline and the seeding read/write across tenants.",
    );
  }
}

/**
 * Seeding as the owner with raw SQL (fast, no RLS): makes sure the run has at least `sizes.tenants`
 * tenants (provisioning may already have created them), then adds users, memberships and audit
 * events spread over ALL the run's tenants. Returns the tenant ids to read from.
 */
async function seed(ctx: BenchContext): Promise<TenantId[]> {
  const { sizes, runId } = ctx;
  const prefix = `${runId}-%`;
  const client = await ctx.ownerPool.connect();
  try {
    await client.query("BEGIN");
    const { rows: existing } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM tenants WHERE slug LIKE $1", [prefix]);
    const missing = Math.max(0, sizes.tenants - existing[0]!.n);
    if (missing > 0) {
      ctx.log(`seeding ${missing} tenants (raw SQL)`);
      await client.query(
        `INSERT INTO tenants (slug, name) SELECT $1 || '-s-' || g, 'Bench seeded tenant ' || g FROM generate_series(1, $2::int) g`,
        [runId, missing],
      );
    }
    // Exactly `sizes.tenants` of the run's tenants (the oldest), so BENCH_AUDIT_EVENTS / BENCH_TENANTS
    // events per tenant (80 by default) and the LIMIT 51 actually cuts.
    const { rows: tenantRows } = await client.query<{ id: string }>(
      "SELECT id FROM tenants WHERE slug LIKE $1 ORDER BY created_at, id LIMIT $2",
      [prefix, sizes.tenants],
    );
    const ids = tenantRows.map((r) => r.id);

    ctx.log(`seeding ${sizes.users} users, ${sizes.memberships} memberships, ${sizes.auditEvents} audit events over ${ids.length} tenants`);
    await client.query(
      `INSERT INTO users (email, name) SELECT $1 || '-u' || g || '@bench.invalid', 'Bench user ' || g FROM generate_series(1, $2::int) g`,
      [runId, sizes.users],
    );
    // Random distinct (tenant, user) pairs; one in five a (temporary) support grant.
    const { rowCount: memberships } = await client.query(
      `INSERT INTO memberships (tenant_id, user_id, role, expires_at)
       SELECT tenant_id, user_id, role, CASE WHEN role = 'support' THEN now() + interval '30 days' END
         FROM (SELECT t AS tenant_id, u.id AS user_id, CASE WHEN random() < 0.2 THEN 'support' ELSE 'owner' END AS role
                 FROM unnest($1::uuid[]) t CROSS JOIN users u
                WHERE u.email LIKE $2
                ORDER BY random() LIMIT $3) pairs`,
      [ids, `${runId}-u%`, sizes.memberships],
    );
    // Round-robin over the tenants, so ids of one tenant interleave with the others' (as in real use).
    const { rowCount: events } = await client.query(
      `INSERT INTO audit_events (tenant_id, occurred_at, actor_type, actor_id, actor_label, action, target_type,
                                 target_id, before, after, ip, user_agent, request_id)
       SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])],
              now() - make_interval(secs => $2::int - g),
              'user', gen_random_uuid()::text, 'bench' || (g % 97) || '@bench.invalid',
              (ARRAY['member.added', 'member.removed', 'member.support_granted', 'tenant.updated'])[1 + g % 4],
              'membership', gen_random_uuid()::text,
              CASE WHEN g % 4 = 1 THEN jsonb_build_object('role', 'owner') END,
              CASE WHEN g % 4 <> 1 THEN jsonb_build_object('role', 'support', 'expiresAt', now() + interval '30 days') END,
              '10.0.' || (g % 250) || '.' || (g % 200), 'Mozilla/5.0 (bench)', 'req-' || g
         FROM generate_series(1, $2::int) g`,
      [ids, sizes.auditEvents],
    );
    await client.query("COMMIT");
    await client.query("ANALYZE tenants, users, memberships, audit_events");

    const { rows: dist } = await client.query<{ min: number; max: number; avg: string; total: number }>(
      `SELECT min(c)::int AS min, max(c)::int AS max, round(avg(c), 1)::text AS avg, sum(c)::int AS total
         FROM (SELECT count(e.id) AS c FROM unnest($1::uuid[]) t LEFT JOIN audit_events e ON e.tenant_id = t GROUP BY t) x`,
      [ids],
    );
    const d = dist[0]!;
    ctx.detail("tenant-scoped read: data", [
      `tenants read from: ${ids.length}; seeded memberships: ${memberships}; seeded audit events: ${events}`,
      `audit events per tenant (incl. provisioning events): min ${d.min}, avg ${d.avg}, max ${d.max}; total ${d.total}`,
    ]);
    return ids.map(tenantIdFromDatabase);
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** The three paths must return the same events, or the comparison is meaningless. */
async function sanityCheck(
  ctx: BenchContext,
  t: TenantId,
  paths: {
    viaDoor: (t: TenantId) => Promise<{ items: { id: bigint }[] }>;
    viaPrismaNoRls: (t: TenantId) => Promise<{ id: bigint }[]>;
    viaSql: (t: TenantId) => Promise<{ rows: { id: string }[] }>;
  },
): Promise<void> {
  const door = (await paths.viaDoor(t)).items.map((r) => r.id.toString());
  const prisma = (await paths.viaPrismaNoRls(t)).map((r) => r.id.toString());
  const sql = (await paths.viaSql(t)).rows.map((r) => String(r.id));
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (door.length === 0 || !same(prisma, sql) || !same(door, sql.slice(0, PAGE))) {
    throw new Error(
      `tenant-read sanity check failed for tenant ${t}: door ${door.length} rows, prisma ${prisma.length}, sql ${sql.length} (or different ids)`,
    );
  }
}

/** EXPLAIN ANALYZE of the read as the door runs it (credo_app, app.tenant_id set, RLS applies). */
async function explain(ctx: BenchContext, t: TenantId): Promise<void> {
  const client = await ctx.ownerPool.connect();
  try {
    const { rows: idx } = await client.query<{ name: string }>(
      `SELECT i.relname AS name
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = 'audit_events'::regclass
          AND (SELECT array_agg(a.attname::text ORDER BY k.ord)
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) = ARRAY['tenant_id', 'id']`,
    );
    const indexName = idx[0]?.name ?? "(no (tenant_id, id) index found)";

    const plans: Record<string, string[]> = {};
    for (const mode of ["custom", "generic"] as const) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)", [RUNTIME_ROLE, t]);
        if (mode === "generic") await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
        const { rows } = await client.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${RAW_READ}`,
          [t, PAGE + 1, 0],
        );
        plans[mode] = rows.map((r) => r["QUERY PLAN"]);
      } finally {
        await client.query("ROLLBACK");
      }
    }

    const verdict = (plan: string[]) => {
      const text = plan.join("\n");
      const usesIndex = new RegExp(`Index (Only )?Scan( Backward)? (using|on) "?${indexName}"?`).test(text);
      const scans = [...text.matchAll(/((?:Bitmap )?(?:Index Only |Index |Seq |Bitmap Heap )?Scan(?: Backward)?) (?:using|on) "?([\w.]+)"?/g)]
        .map((m) => `${m[1]} ${m[2]}`);
      const seqScan = /Seq Scan/.test(text);
      const sort = /\bSort\b/.test(text) ? " + Sort" : "";
      return `${usesIndex ? "yes" : "NO"} (${scans.join(", ")}${sort}), Seq Scan: ${seqScan ? "YES" : "no"}`;
    };
    ctx.detail("tenant-scoped read: EXPLAIN ANALYZE as credo_app with app.tenant_id set (RLS on)", [
      `query: SELECT <15 columns> FROM audit_events WHERE tenant_id = $1 ORDER BY id DESC LIMIT 51 OFFSET 0`,
      `uses the (tenant_id, id) index ${indexName}:`,
      `  custom plan (what the app gets: unnamed statements):  ${verdict(plans.custom!)}`,
      `  generic plan (plan_cache_mode = force_generic_plan):  ${verdict(plans.generic!)}`,
      "custom plan:",
      ...plans.custom!.map((l) => `  ${l}`),
    ]);
  } finally {
    client.release();
  }
}
