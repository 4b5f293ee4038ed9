// Case "tenant request path" (issue 16): what a signed-in operator's tenant request costs end to
// end, against the raw SQL it logically needs, and how many statements and transactions it sends.
//
//   in process    clients.list, keys.list, apiKeys.list, audit.list (also with the query plan cache
//                 off, server/db/plan-cache.ts: every call compiled), the tenant list (me.tenants) and
//                 the security admins' tenant list (platform.listTenants) through the tRPC caller (server/api/trpc.ts: ONE transaction — credo_request_context
//                 + the procedure's queries — and the rate limiter asked before it opens)
//   raw SQL       per list: one statement for operator ⋈ session ⋈ tenant ⋈ membership, one for the
//                 list (owner connection, no transaction, no RLS)
//   HTTP          the same lists through the tRPC fetch handler (server/api/http.ts) with an Auth.js
//                 session cookie, read and re-made per request as auth() does (the console's
//                 jwt.decode/encode, server/auth/session-jwt.ts), vs raw SQL
//   16 in flight  16 operators (each their own session) listing at once, vs raw SQL at 16 in flight
//   RLS vs app    one transaction of the same shape over raw pg: BEGIN; credo_request_context (role
//                 switch, RLS); list; COMMIT vs BEGIN; the same reads without RLS; list; COMMIT
//
// Statements per request are counted with server/db/statement-log.ts (every pg statement and Redis
// command of the process while one request runs) and printed in the table's notes (target ≤ 5).
import { randomUUID } from "node:crypto";
import superjson from "superjson";
import { encode } from "@auth/core/jwt";
import { decodeSession, encodeSession, SESSION_MAX_AGE_SECONDS } from "../../auth/session-jwt";
import { onPlatform, inTenant } from "../../db/doors";
import { createUser } from "../../accounts/platform-users-repository";
import { upsertMember } from "../../members/repository";
import { createSession } from "../../auth/sessions";
import { readOperatorPolicy } from "../../auth/operator-policy";
import { createCallerFactory, createTRPCContext } from "../../api/trpc";
import { appRouter } from "../../api/root";
import { handleTrpcRequest } from "../../api/http";
import { installStatementLog, recordCalls, summarize as countCalls } from "../../db/statement-log";
import { setPlanCacheEnabled } from "../../db/plan-cache";
import { insertTenantVersion, latestTenantVersion, TENANT_SCOPE_KEY } from "../../policies/repository";
import { invalidateRateLimitConfig } from "../../ratelimit/config";
import { closeRedis } from "../../redis";
import { configureTenantConcurrency } from "../../tenancy/concurrency";
import { keyedTenants, type BenchTenant } from "../population";
import { measureConcurrentInterleaved, measureInterleaved } from "../stats";
import { row, type BenchCase, type BenchContext, type Row } from "../types";

const TITLE = "tenant request path";
const ORIGIN = "http://console.bench";
const OPERATORS = 16;
const SECRET = "bench-only-auth-secret-0123456789abcdef";
const COOKIE = "authjs.session-token";

type ListName = "clients.list" | "keys.list" | "apiKeys.list" | "audit.list";
const LISTS: readonly ListName[] = ["clients.list", "keys.list", "apiKeys.list", "audit.list"];

/** The one raw statement per list (the columns the console shows, the tenant's rows, the same order/limit). */
const RAW_LIST: Record<ListName, string> = {
  "clients.list": `SELECT c.*, (SELECT coalesce(json_agg(s.*), '[]') FROM oauth_client_secrets s WHERE s.tenant_id = c.tenant_id AND s.client_row_id = c.id) AS secrets
                     FROM oauth_clients c WHERE c.tenant_id = $1 ORDER BY c.created_at DESC`,
  "keys.list": `SELECT * FROM signing_keys WHERE tenant_id = $1 ORDER BY created_at DESC`,
  "apiKeys.list": `SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 500`,
  "audit.list": `SELECT * FROM audit_events WHERE tenant_id = $1 ORDER BY id DESC LIMIT 51`,
};
/** What the request needs to know before the list: operator, session, tenant, membership — one statement. */
const RAW_AUTH = `SELECT u.id, u.status, u.platform_role, s.revoked_at, s.last_seen_at, s.second_factor_verified_at, t.id AS tenant_id, t.status AS tenant_status, m.role, m.expires_at
                    FROM users u JOIN operator_sessions s ON s.id = $2 AND s.user_id = u.id
                    JOIN tenants t ON t.slug = $3 LEFT JOIN memberships m ON m.tenant_id = t.id AND m.user_id = u.id
                   WHERE u.id = $1`;
const RAW_TENANT_LIST = `SELECT t.slug, t.name, t.status, m.role, m.expires_at FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                          WHERE m.user_id = $1 AND (m.expires_at IS NULL OR m.expires_at > now()) ORDER BY t.slug LIMIT 500`;
/** A platform procedure's operator check (no tenant): operator ⋈ session — one statement. */
const RAW_OPERATOR = `SELECT u.id, u.status, u.platform_role, s.revoked_at, s.last_seen_at, s.second_factor_verified_at
                       FROM users u JOIN operator_sessions s ON s.id = $2 AND s.user_id = u.id WHERE u.id = $1`;
const RAW_PLATFORM_TENANTS = `SELECT id, slug, name, status, created_at, paused_at FROM tenants WHERE status <> 'deleted' ORDER BY slug LIMIT 51`;
/** The same reads as credo_request_context, as one plain statement (app-only scoping: no role switch, no RLS). */
const APP_ONLY_CONTEXT = `SELECT u.id, u.email, u.name, u.platform_role, u.status, s.id AS s_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
                                 s.second_factor_verified_at, s.last_verified_at, g.version, g.document, t.id AS t_id, t.slug, t.name AS t_name, t.status AS t_status,
                                 t.paused_at, t.paused_reason, m.role, m.expires_at AS m_expires_at, pv.version AS lt_version, pv.document AS lt_document
                            FROM users u
                            LEFT JOIN operator_sessions s ON s.id = $2 AND s.user_id = u.id
                            LEFT JOIN LATERAL (SELECT version, document FROM global_policy_versions ORDER BY version DESC LIMIT 1) g ON true
                            LEFT JOIN tenants t ON t.slug = $3
                            LEFT JOIN memberships m ON m.tenant_id = t.id AND m.user_id = u.id
                            LEFT JOIN LATERAL (SELECT version, document FROM policy_versions p WHERE p.tenant_id = t.id AND p.scope = 'tenant' ORDER BY version DESC LIMIT 1) pv ON true
                           WHERE u.id = $1`;

interface Operator {
  readonly id: string;
  readonly sid: string;
  readonly cookie: string;
}

export const requestPathCase: BenchCase = {
  name: "request-path",
  title: TITLE,
  async run(ctx) {
    installStatementLog();
    process.env.AUTH_SECRET ??= SECRET;
    const n = Math.max(50, Math.floor(ctx.sizes.reads / 4));
    const warmup = ctx.sizes.warmup;
    const [tenant] = await keyedTenants(ctx);
    if (!tenant) throw new Error("request-path: no tenant");
    const ops = await seed(ctx, tenant);
    const op = ops[0]!;
    const createCaller = createCallerFactory(appRouter);
    const callerOf = (o: Operator) =>
      createCaller(createTRPCContext({ session: { user: { id: o.id }, sid: o.sid }, meta: { requestId: randomUUID(), ip: "127.0.0.1", userAgent: "credo-bench" } }));
    const inProcess = (o: Operator, list: ListName): Promise<unknown> => {
      const c = callerOf(o);
      const input = { tenant: tenant.slug };
      switch (list) {
        case "clients.list": return c.clients.list(input);
        case "keys.list": return c.keys.list(input);
        case "apiKeys.list": return c.apiKeys.list(input);
        case "audit.list": return c.audit.list(input);
      }
    };
    const raw = async (o: Operator, list: ListName) => {
      await ctx.ownerPool.query(RAW_AUTH, [o.id, o.sid, tenant.slug]);
      await ctx.ownerPool.query(RAW_LIST[list], [tenant.id]);
    };
    // What auth() does with the cookie (Auth.js session action, JWT strategy): decode it, and make
    // the sliding-expiry cookie that goes back to the browser.
    const getSession = (cookie: string) => async () => {
      const token = await decodeSession({ token: cookie, secret: process.env.AUTH_SECRET!, salt: COOKIE });
      if (!token) return null;
      await encodeSession({ token, secret: process.env.AUTH_SECRET!, salt: COOKIE, maxAge: SESSION_MAX_AGE_SECONDS });
      return { user: { id: String(token.uid) }, sid: String(token.sid) };
    };
    const http = async (o: Operator, list: ListName) => {
      const input = encodeURIComponent(JSON.stringify(superjson.serialize({ tenant: tenant.slug })));
      const res = await handleTrpcRequest(
        new Request(`${ORIGIN}/api/trpc/${list}?input=${input}`, { headers: { host: "console.bench", cookie: `${COOKIE}=${o.cookie}` } }),
        getSession(o.cookie),
      );
      if (res.status !== 200) throw new Error(`request-path: ${list} over HTTP answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    };

    // Statements per request (the session's hint is learned by the first call).
    const counts: string[] = [];
    const stmts: Record<string, string> = {};
    for (const list of LISTS) {
      await inProcess(op, list);
      const { calls } = await recordCalls(() => inProcess(op, list));
      const c = countCalls(calls);
      stmts[list] = `${c.statements} stmts, ${c.transactions} tx, ${c.redis} redis`;
      counts.push(`${list.padEnd(13)} ${stmts[list]}: ${calls.filter((x) => x.kind === "sql").map((x) => x.text.replace(/\s+/g, " ").slice(0, 48)).join(" | ")}`);
    }
    // User and platform procedures: the operator check and the procedure in one transaction too.
    const admin = await seedSecurityAdmin(ctx);
    const signedIn: [string, () => Promise<unknown>][] = [
      ["me.tenants", () => callerOf(op).me.tenants()],
      ["sessions.mine", () => callerOf(op).sessions.mine()],
      ["account.profile", () => callerOf(op).account.profile()],
      ["platform.listTenants", () => callerOf(admin).platform.tenants.list({ limit: 50 })],
      ["platformAudit.list", () => callerOf(admin).platform.audit.list({})],
      ["platformUsers.list", () => callerOf(admin).platform.users.list({})],
    ];
    const userStmts: Record<string, string> = {};
    for (const [name, call] of signedIn) {
      await call();
      const { calls } = await recordCalls(call);
      const c = countCalls(calls);
      userStmts[name] = `${c.statements} stmts, ${c.transactions} tx, ${c.redis} redis`;
      counts.push(`${name.padEnd(13)} ${userStmts[name]}: ${calls.filter((x) => x.kind === "sql").map((x) => x.text.replace(/\s+/g, " ").slice(0, 48)).join(" | ")}`);
    }
    ctx.detail("request path: statements per request (target ≤ 5 for a list; one transaction each)", counts);

    const rows: Row[] = [];
    for (const list of LISTS) {
      ctx.log(`${list}: in process, HTTP and raw SQL, ${n} calls each`);
      const compiled = async () => {
        setPlanCacheEnabled(false);
        try {
          return await inProcess(op, list);
        } finally {
          setPlanCacheEnabled(true);
        }
      };
      const r = await measureInterleaved(
        { sql: () => raw(op, list), proc: () => inProcess(op, list), compiled, http: () => http(op, list) },
        { n, warmup },
      );
      rows.push(
        row(TITLE, `${list} in process`, r.proc, { baseline: r.sql, note: stmts[list]! }),
        row(TITLE, `${list} in process, every call compiled (plan cache off)`, r.compiled, { baseline: r.sql, note: "a first or one-off read" }),
        row(TITLE, `${list} over HTTP (cookie)`, r.http, { baseline: r.sql, note: "fetch handler + JWE session" }),
        row(TITLE, `${list} raw SQL (baseline)`, r.sql, { isBaseline: true, note: "2 statements, owner" }),
      );
    }

    ctx.log(`tenant list (me.tenants): ${n} calls`);
    const t = await measureInterleaved(
      { sql: () => ctx.ownerPool.query(RAW_TENANT_LIST, [op.id]), proc: () => callerOf(op).me.tenants() },
      { n, warmup },
    );
    rows.push(
      row(TITLE, "tenant list (me.tenants) in process", t.proc, { baseline: t.sql, note: userStmts["me.tenants"]! }),
      row(TITLE, "tenant list raw SQL (baseline)", t.sql, { isBaseline: true, note: "1 statement" }),
    );

    ctx.log(`platform tenant list (platform.listTenants, security admin): ${n} calls`);
    const pt = await measureInterleaved(
      {
        sql: async () => {
          await ctx.ownerPool.query(RAW_OPERATOR, [admin.id, admin.sid]);
          await ctx.ownerPool.query(RAW_PLATFORM_TENANTS);
        },
        proc: () => callerOf(admin).platform.tenants.list({ limit: 50 }),
      },
      { n, warmup },
    );
    rows.push(
      row(TITLE, "platform tenant list (platform.listTenants) in process", pt.proc, { baseline: pt.sql, note: userStmts["platform.listTenants"]! }),
      row(TITLE, "platform tenant list raw SQL (baseline)", pt.sql, { isBaseline: true, note: "2 statements, owner" }),
    );

    ctx.log(`list pages with ${OPERATORS} operators in flight: ${n * 4} calls per path`);
    const at = (i: number) => ops[i % ops.length]!;
    const listAt = (i: number) => LISTS[Math.floor(i / ops.length) % LISTS.length]!;
    // 16 operators of ONE tenant: its share of the pool (server/tenancy/concurrency.ts) would queue
    // them and, on a loaded machine, refuse some after its wait; this measures the request path, so
    // the tenant may use the whole pool here and waits instead of being refused.
    configureTenantConcurrency({ share: 1, waitMs: 60_000 });
    const c = await measureConcurrentInterleaved(
      { sql: ({ i }) => raw(at(i), listAt(i)), proc: ({ i }) => inProcess(at(i), listAt(i)) },
      { n: n * 4, warmup: Math.max(warmup, OPERATORS * LISTS.length), concurrency: OPERATORS },
    ).finally(() => configureTenantConcurrency(null));
    rows.push(
      row(TITLE, `4 lists, ${OPERATORS} operators in flight`, c.proc, { baseline: c.sql, note: `${Math.round(c.proc.opsPerSec)} vs ${Math.round(c.sql.opsPerSec)} req/s raw` }),
      row(TITLE, `4 lists raw SQL, ${OPERATORS} in flight (baseline)`, c.sql, { isBaseline: true, note: "" }),
    );

    rows.push(...(await rlsVsAppOnly(ctx, tenant, op, n, warmup)));
    // The limiter's Redis connection would keep the process alive after the run (reopened on next use).
    await closeRedis();
    return rows;
  },
};

/** 16 owners of the tenant, each with a live session (second factor verified) and a session cookie. */
async function seed(ctx: BenchContext, tenant: BenchTenant): Promise<Operator[]> {
  ctx.log(`request-path: ${OPERATORS} owners with sessions; clients and API keys in ${tenant.slug}`);
  const ops: Operator[] = [];
  for (let i = 0; i < OPERATORS; i++) {
    const { id, sid } = await onPlatform(async (db) => {
      const u = await createUser(db, { email: `${ctx.runId}-rp${i}@bench.test`, name: `rp ${i}`, passwordHash: null });
      const s = await createSession(db, { userId: u.id, authMethod: "password", ip: null, userAgent: "bench", secondFactorVerified: true }, await readOperatorPolicy(db));
      return { id: u.id, sid: s.id };
    });
    await inTenant(tenant.id, (scope) => upsertMember(scope, { userId: id, role: "owner", expiresAt: null, createdBy: null }));
    const cookie = await encode({ token: { uid: id, sid, sub: id }, secret: process.env.AUTH_SECRET!, salt: COOKIE });
    ops.push({ id, sid, cookie });
  }
  // The bench measures the request path, not the limiter: a console limit far above what it sends
  // (the limiter is still asked on every request).
  await inTenant(tenant.id, async (scope) => {
    const latest = await latestTenantVersion(scope, TENANT_SCOPE_KEY);
    const document = { ...(latest?.document ?? {}), rateLimits: { trpc: { requestsPerWindow: 100_000, windowSeconds: 1, burst: 0 } } };
    await insertTenantVersion(scope, TENANT_SCOPE_KEY, null, { version: (latest?.version ?? 0) + 1, document, authorId: null, authorLabel: "bench", comment: "bench: no console limit in the way", createdAt: new Date() });
  });
  invalidateRateLimitConfig(tenant.id);
  const o = ops[0]!;
  const caller = createCallerFactory(appRouter)(createTRPCContext({ session: { user: { id: o.id }, sid: o.sid }, meta: { requestId: "bench-seed", ip: "127.0.0.1", userAgent: "credo-bench" } }));
  for (let i = 0; i < 10; i++) {
    await caller.clients.create({ tenant: tenant.slug, name: `bench client ${i}`, type: i % 2 ? "web" : "m2m", redirectUris: i % 2 ? [`https://app${i}.bench.test/callback`] : [], postLogoutRedirectUris: [], allowedOrigins: [] });
    await caller.apiKeys.create({ tenant: tenant.slug, name: `bench key ${i}`, scopes: ["audit.read"], expiresInDays: 30 });
  }
  return ops;
}

/** A security admin with a live session (second factor verified), for the platform procedures. */
async function seedSecurityAdmin(ctx: BenchContext): Promise<Operator> {
  const { id, sid } = await onPlatform(async (db) => {
    const u = await createUser(db, { email: `${ctx.runId}-rp-admin@bench.test`, name: "rp admin", passwordHash: null });
    const s = await createSession(db, { userId: u.id, authMethod: "password", ip: null, userAgent: "bench", secondFactorVerified: true }, await readOperatorPolicy(db));
    return { id: u.id, sid: s.id };
  });
  // The platform role is granted by a security admin in the console; the bench (owner) sets it.
  await ctx.ownerPool.query("UPDATE users SET platform_role = 'security_admin' WHERE id = $1", [id]);
  return { id, sid, cookie: "" };
}

/** The same transaction shape over raw pg, with RLS (the request-context function) and without. */
async function rlsVsAppOnly(ctx: BenchContext, tenant: BenchTenant, op: Operator, n: number, warmup: number): Promise<Row[]> {
  ctx.log(`RLS one-tx vs app-only scoping (raw pg, same shape): ${n} calls each`);
  const client = await ctx.ownerPool.connect();
  try {
    const tx = async (first: string, params: unknown[]) => {
      await client.query("BEGIN");
      await client.query(first, params);
      await client.query(RAW_LIST["clients.list"], [tenant.id]);
      await client.query("COMMIT");
    };
    const r = await measureInterleaved(
      {
        app: () => tx(APP_ONLY_CONTEXT, [op.id, op.sid, tenant.slug]),
        rls: () => tx("SELECT * FROM credo_request_context($1::uuid, $2::uuid, $3::text, -1)", [op.id, op.sid, tenant.slug]),
      },
      { n, warmup },
    );
    return [
      row(TITLE, "one tx with RLS (request context + clients)", r.rls, { baseline: r.app, note: "target ≤ 1.15×" }),
      row(TITLE, "one tx, app-only scoping (baseline)", r.app, { isBaseline: true, note: "same reads, owner, no RLS" }),
    ];
  } finally {
    client.release();
  }
}
