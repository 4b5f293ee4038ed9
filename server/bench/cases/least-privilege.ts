// Case "least privilege": the added cost per request of the narrower grants (migration
// 20261205200000_least_privilege). One signed-in tenant request's platform reads — the operator by
// id (column-granted users), the tenant by slug (RLS on tenants), the membership (RLS) — in one
// transaction, and the sign-in credential lookup:
//   * narrow: as production runs it — logged in as credo_runtime, set_config('role', 'credo_app')
//     and the tenant, the column-granted/RLS-checked reads; the hash through credo_user_credentials;
//   * broad (baseline): the same statements as the owner, no role switch, no policies, no column
//     checks (what the app did before, minus the superuser it could RESET ROLE back to).
// Expected: noise (a role switch rides on the set_config the door sends anyway; `USING (true)`
// policies and column privileges are checked at plan time).
import pg from "pg";
import { hashPassword } from "../../auth/password";
import { onPlatform, RUNTIME_ROLE } from "../../db/doors";
import { createUser } from "../../accounts/platform-users-repository";
import { upsertMember } from "../../members/repository";
import { inTenant } from "../../db/doors";
import { provisionTenant } from "../../tenants/provisioning";
import { SYSTEM_ACTOR } from "../../audit/record";
import { measureInterleaved, seededRandom } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "least privilege";
const SUBJECTS = 20;

const REQUEST_READS = [
  `SELECT id, email, name, platform_role, status FROM users WHERE id = $1`,
  `SELECT id, slug, name, status, paused_at, paused_reason FROM tenants WHERE slug = $1`,
  `SELECT role, expires_at FROM memberships WHERE tenant_id = $1 AND user_id = $2`,
];

export const leastPrivilegeCase: BenchCase = {
  name: "least-privilege",
  title: TITLE,
  async run(ctx) {
    const n = ctx.sizes.reads;
    const warmup = ctx.sizes.warmup;
    // The bench database's URL (the runner's owner connection) with the login role the migration made.
    const loginUrl = new URL(process.env.DATABASE_URL!);
    loginUrl.username = "credo_runtime";
    loginUrl.password = process.env.BENCH_RUNTIME_PASSWORD ?? "";
    const runtime = new pg.Pool({ connectionString: loginUrl.toString(), max: 2 });
    try {
      const who = (await runtime.query<{ u: string; s: boolean }>("SELECT current_user::text AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS s")).rows[0]!;
      if (who.u !== "credo_runtime" || who.s) throw new Error(`least-privilege bench: expected credo_runtime, connected as ${who.u}`);

      ctx.log(`least privilege: seeding ${SUBJECTS} tenants with one owner each`);
      const hash = await hashPassword("Bench-Password-1");
      const subjects: { userId: string; email: string; tenantId: string; slug: string }[] = [];
      for (let i = 0; i < SUBJECTS; i++) {
        const slug = `${ctx.runId}-lp-${i}`;
        const email = `${ctx.runId}-lp-${i}@bench.invalid`;
        const t = await provisionTenant({ slug, name: `Bench LP ${i}` }, SYSTEM_ACTOR, null);
        const u = await onPlatform((db) => createUser(db, { email, name: `LP ${i}`, passwordHash: hash }));
        await inTenant(t.id, (scope) => upsertMember(scope, { userId: u.id, role: "owner", expiresAt: null, createdBy: null }));
        subjects.push({ userId: u.id, email, tenantId: t.id, slug });
      }
      const rand = seededRandom(0x1ea57);
      const pick = Array.from({ length: warmup + n }, () => subjects[Math.floor(rand() * subjects.length)]!);
      const at = (i: number, w: boolean) => pick[w ? i : warmup + i]!;

      async function request(pool: pg.Pool, narrow: boolean, s: (typeof subjects)[number]) {
        const c = await pool.connect();
        try {
          await c.query("BEGIN");
          if (narrow) await c.query("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)", [RUNTIME_ROLE, s.tenantId]);
          else await c.query("SELECT set_config('app.tenant_id', $1, true)", [s.tenantId]);
          const u = await c.query(REQUEST_READS[0]!, [s.userId]);
          const t = await c.query(REQUEST_READS[1]!, [s.slug]);
          const m = await c.query(REQUEST_READS[2]!, [s.tenantId, s.userId]);
          await c.query("COMMIT");
          if (u.rowCount !== 1 || t.rowCount !== 1 || m.rowCount !== 1) throw new Error("least-privilege bench: a read came back empty");
        } catch (e) {
          await c.query("ROLLBACK").catch(() => undefined);
          throw e;
        } finally {
          c.release();
        }
      }
      // credo_user_credentials runs as credo_app: the narrow credential path switches role first.
      async function narrowCredentials(s: (typeof subjects)[number]) {
        const c = await runtime.connect();
        try {
          await c.query("BEGIN");
          await c.query("SELECT set_config('role', $1, true)", [RUNTIME_ROLE]);
          const r = await c.query("SELECT id, password_hash, status FROM credo_user_credentials($1)", [s.email]);
          await c.query("COMMIT");
          if (r.rowCount !== 1) throw new Error("least-privilege bench: no credentials");
        } finally {
          c.release();
        }
      }
      async function broadCredentials(s: (typeof subjects)[number]) {
        const c = await ctx.ownerPool.connect();
        try {
          await c.query("BEGIN");
          await c.query("SELECT set_config('app.tenant_id', '', true)");
          const r = await c.query("SELECT id, password_hash, status FROM users WHERE email = $1", [s.email]);
          await c.query("COMMIT");
          if (r.rowCount !== 1) throw new Error("least-privilege bench: no credentials");
        } finally {
          c.release();
        }
      }

      ctx.log(`least privilege: ${n} requests and ${n} credential lookups per path, interleaved (+${warmup} warmup)`);
      const r = await measureInterleaved(
        {
          narrow: ({ i, warmup: w }) => request(runtime, true, at(i, w)),
          broad: ({ i, warmup: w }) => request(ctx.ownerPool, false, at(i, w)),
          narrowCred: ({ i, warmup: w }) => narrowCredentials(at(i, w)),
          broadCred: ({ i, warmup: w }) => broadCredentials(at(i, w)),
        },
        { n, warmup },
      );
      const added = (a: number, b: number) => `${(a - b >= 0 ? "+" : "")}${((a - b) * 1000).toFixed(0)} µs p50`;
      ctx.detail("least privilege: added cost per request (p50)", [
        `request reads (user, tenant, membership in one tx)  ${added(r.narrow.p50, r.broad.p50)}  (${(r.narrow.p50 / r.broad.p50).toFixed(2)}×)`,
        `sign-in credential lookup                           ${added(r.narrowCred.p50, r.broadCred.p50)}  (${(r.narrowCred.p50 / r.broadCred.p50).toFixed(2)}×)`,
      ]);
      return [
        row(TITLE, "request reads as credo_runtime → credo_app", r.narrow, { baseline: r.broad, note: "role switch, RLS, column grants" }),
        row(TITLE, "request reads as owner (baseline)", r.broad, { isBaseline: true, note: "no role switch, no policies" }),
        row(TITLE, "credentials via credo_user_credentials", r.narrowCred, { baseline: r.broadCred, note: "SECURITY DEFINER, one e-mail" }),
        row(TITLE, "credentials SELECT as owner", r.broadCred, { note: "direct password_hash read" }),
      ];
    } finally {
      await runtime.end();
    }
  },
};
