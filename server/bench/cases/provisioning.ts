// Case "provision tenant": tenants created one after another through the real code path
// (provisionTenant → onPlatform transaction as credo_app → tenant row → enterTenant → audit event),
// against a raw-pg baseline that sends the same statements in one transaction.
import { provisionTenant } from "../../tenants/provisioning";
import { SYSTEM_ACTOR, type RequestMeta } from "../../audit/record";
import { RUNTIME_ROLE } from "../../db/doors";
import { measureInterleaved, type Iteration } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "provision tenant";

/** What a tRPC request would hand to the service (the audit event stores it). */
function meta(i: number): RequestMeta {
  return { requestId: `bench-${i}`, ip: "127.0.0.1", userAgent: "credo-bench" };
}

export const provisioningCase: BenchCase = {
  name: "provisioning",
  title: TITLE,
  async run(ctx) {
    const { tenants: n, warmup } = ctx.sizes;
    const slug = (kind: string, warm: boolean, i: number) => `${ctx.runId}-${kind}${warm ? "w" : ""}-${i}`;

    const viaService = ({ i, warmup: warm }: Iteration) =>
      provisionTenant({ slug: slug("p", warm, i), name: `Bench tenant ${i}` }, SYSTEM_ACTOR, meta(i));

    // Baseline: the statements provisionTenant sends (checked by tracing the pg client), written by
    // hand — BEGIN, switch to the runtime role, INSERT tenant RETURNING, scope into the tenant,
    // INSERT audit event, COMMIT. A pooled client per transaction, as the Prisma adapter does.
    const viaSql = async ({ i, warmup: warm }: Iteration) => {
      const client = await ctx.ownerPool.connect();
      try {
        await client.query("BEGIN");
        try {
          await client.query(
            "SELECT set_config('role', $1, true), set_config('app.tenant_id', '', true), set_config('app.user_id', '', true)",
            [RUNTIME_ROLE],
          );
          const { rows } = await client.query<{ id: string; slug: string; name: string }>(
            'INSERT INTO "tenants" ("slug", "name") VALUES ($1, $2) RETURNING "id", "slug", "name"',
            [slug("r", warm, i), `Bench tenant ${i}`],
          );
          const t = rows[0]!;
          await client.query("SELECT set_config('app.tenant_id', $1, true)", [t.id]);
          const m = meta(i);
          await client.query(
            `INSERT INTO "audit_events" ("tenant_id", "actor_type", "actor_id", "actor_label", "action", "target_type",
               "target_id", "after", "ip", "user_agent", "request_id")
             VALUES ($1, $2, $3, $4, 'tenant.created', 'tenant', $5, $6, $7, $8, $9) RETURNING "tenant_id", "id"`,
            [t.id, SYSTEM_ACTOR.type, SYSTEM_ACTOR.id, SYSTEM_ACTOR.label, t.id, JSON.stringify({ slug: t.slug, name: t.name }), m.ip, m.userAgent, m.requestId],
          );
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
      } finally {
        client.release();
      }
    };

    ctx.log(`provisioning ${n} tenants through provisionTenant() and ${n} through raw pg, interleaved (+${warmup} warmup each)`);
    const { service, sql } = await measureInterleaved({ service: viaService, sql: viaSql }, { n, warmup });

    // Sanity: every provisioned tenant has exactly its one tenant.created event.
    const { rows: check } = await ctx.ownerPool.query<{ kind: string; tenants: number; events: number }>(
      `SELECT split_part(t.slug, '-', 2) AS kind, count(DISTINCT t.id)::int AS tenants, count(e.id)::int AS events
         FROM tenants t LEFT JOIN audit_events e ON e.tenant_id = t.id AND e.action = 'tenant.created'
        WHERE t.slug LIKE $1 AND split_part(t.slug, '-', 2) IN ('p', 'pw', 'r', 'rw')
        GROUP BY 1 ORDER BY 1`,
      [`${ctx.runId}-%`],
    );
    const expected: Record<string, number> = { p: n, pw: warmup, r: n, rw: warmup };
    const lines = check.map((c) => `${c.kind.padEnd(3)} tenants=${c.tenants} tenant.created events=${c.events}`);
    for (const c of check) {
      if (c.tenants !== expected[c.kind] || c.events !== c.tenants) {
        throw new Error(`provisioning sanity check failed: ${lines.join("; ")}`);
      }
    }
    ctx.detail("provision tenant: sanity check (p = provisionTenant, r = raw pg, w = warmup)", lines);

    return [
      row(TITLE, "provisionTenant()", service, {
        baseline: sql,
        note: "1 tx as credo_app: tenant + audit event (Prisma)",
      }),
      row(TITLE, "raw pg (baseline)", sql, {
        isBaseline: true,
        note: "same 6 statements by hand (BEGIN…COMMIT)",
      }),
    ];
  },
};
