// Case "public-cache": the cached public documents and the invalidation bus (server/cache/). The
// OpenID discovery document through its route handler, sequentially and with 16 in flight, against
// the raw SQL it needs (tenant by slug + its published keys' algorithms); database transactions per
// warm request for each cached path (JWKS 200 and 304, discovery, authorize-check, API-key auth:
// expected 0); and how long a key rotation takes to reach a second, independent listener (another
// instance's view), p50/p95 over changes of a tenant row. The JWKS, authorize-check, API-key and limiter paths
// themselves are timed by their own cases (jwks, authorize-check, apikey-auth, ratelimit), which
// now measure the cached paths.
import pg from "pg";
import { GET as discoveryGET } from "../../../app/api/public/tenants/[tenant]/openid-configuration/route";
import { GET as jwksGET } from "../../../app/api/public/tenants/[tenant]/jwks/route";
import { env } from "../../env";
import { prismaClient } from "../../db/client";
import { InvalidationBus, invalidationBus } from "../../cache/invalidation";
import { keyedTenants } from "../population";
import { measureConcurrentInterleaved, measureInterleaved, seededRandom, summarize, type Iteration } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "public discovery (cached)";
const CONCURRENCY = 16;
const TITLE_CONCURRENT = `public discovery (cached), ${CONCURRENCY} in flight`;
const TITLE_BUS = "cache invalidation bus";
/** Rotations timed for the bus latency. */
const ROTATIONS = 30;

const RAW_DISCOVERY = `SELECT t.slug, array_agg(DISTINCT k.alg) AS algs FROM tenants t
  LEFT JOIN signing_keys k ON k.tenant_id = t.id AND k.state IN ('next', 'current', 'previous')
  WHERE t.slug = $1 AND t.status = 'active' GROUP BY t.slug`;

const get = (route: typeof jwksGET, slug: string, headers: Record<string, string> = {}) =>
  route(new Request(`http://localhost:3000/${slug}/.well-known/x`, { headers }), { params: Promise.resolve({ tenant: slug }) });

async function expectStatus(p: Promise<Response>, status: number): Promise<Response> {
  const res = await p;
  if (res.status !== status) throw new Error(`public-cache: expected ${status}, got ${res.status}`);
  await res.arrayBuffer();
  return res;
}

export const publicCacheCase: BenchCase = {
  name: "public-cache",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const tenants = await keyedTenants(ctx);
    await invalidationBus().settled(10_000);
    const rand = seededRandom(0xd15c0);
    const warm = Math.max(warmup, CONCURRENCY);
    const pick = Array.from({ length: warm + n }, () => tenants[Math.floor(rand() * tenants.length)]!);
    const at = ({ i, warmup: w }: Iteration) => pick[w ? i : warm + i]!;

    const discovery = (it: Iteration) => expectStatus(get(discoveryGET, at(it).slug), 200);
    const sqlOn = (pool: pg.Pool) => (it: Iteration) => pool.query(RAW_DISCOVERY, [at(it).slug]);
    ctx.log(`public-cache: discovery, ${n} requests per path (+${warmup} warmup), then ${CONCURRENCY} in flight`);
    const seq = await measureInterleaved({ sql: sqlOn(ctx.ownerPool), discovery }, { n, warmup });
    const rawPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
    let conc: Awaited<ReturnType<typeof measureConcurrentInterleaved<"sql" | "discovery">>>;
    try {
      conc = await measureConcurrentInterleaved({ sql: sqlOn(rawPool), discovery }, { n, warmup: warm, concurrency: CONCURRENCY, rounds: 4 });
    } finally {
      await rawPool.end();
    }

    // Transactions per warm request: every query of the app opens one (server/db/doors.ts).
    const t = tenants[0]!;
    const etag = (await expectStatus(get(jwksGET, t.slug), 200)).headers.get("etag")!;
    await expectStatus(get(discoveryGET, t.slug), 200);
    const counted: string[] = [];
    const client = prismaClient() as unknown as { $transaction: (...args: unknown[]) => unknown };
    const original = client.$transaction;
    let transactions = 0;
    client.$transaction = (...args: unknown[]) => (transactions++, original.apply(client, args));
    try {
      for (const [what, call] of [
        ["JWKS 200", () => expectStatus(get(jwksGET, t.slug), 200)],
        ["JWKS 304", () => expectStatus(get(jwksGET, t.slug, { "if-none-match": etag }), 304)],
        ["discovery 200", () => expectStatus(get(discoveryGET, t.slug), 200)],
      ] as const) {
        transactions = 0;
        for (let i = 0; i < 10; i++) await call();
        counted.push(`${what}: ${transactions / 10} transactions per warm request`);
      }
    } finally {
      client.$transaction = original;
    }

    // Bus latency: a rotation committed here → seen by an independent listener (another instance).
    const other = new InvalidationBus(env.DATABASE_URL!);
    const latencies: number[] = [];
    // Notifications can arrive before the UPDATE's reply: the arrival is taken then, the latency is ≥ 0.
    const started = performance.now();
    try {
      await other.settled(10_000);
      for (let i = 0; i < ROTATIONS; i++) {
        const tenant = tenants[i % tenants.length]!;
        let arrivedAt = 0;
        const off = other.subscribe((target) => {
          if (target === tenant.id && !arrivedAt) arrivedAt = performance.now();
        });
        // A committed change of the tenant row (as a DBA or another instance would make it).
        await ctx.ownerPool.query("UPDATE tenants SET paused_reason = paused_reason WHERE id = $1", [tenant.id]);
        const committedAt = performance.now();
        while (!arrivedAt) await new Promise((r) => setTimeout(r, 0));
        off();
        latencies.push(Math.max(0, arrivedAt - committedAt));
      }
    } finally {
      await other.stop();
    }
    const bus = summarize(latencies, performance.now() - started);

    const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    ctx.detail("public-cache: warm paths and the bus", [
      ...counted,
      `discovery p50 ${x(seq.discovery.p50, seq.sql.p50)} raw; ${CONCURRENCY} in flight: ${Math.round(conc.discovery.opsPerSec)} ops/s vs raw ${Math.round(conc.sql.opsPerSec)} (${x(conc.discovery.opsPerSec, conc.sql.opsPerSec)})`,
      `bus: ${ROTATIONS} tenant-row changes, commit → second listener p50 ${bus.p50.toFixed(2)} ms, p95 ${bus.p95.toFixed(2)} ms, max ${bus.max.toFixed(2)} ms (target < 1000 ms)`,
    ]);
    return [
      row(TITLE, "GET discovery route (200)", seq.discovery, { baseline: seq.sql, note: "warm cache: no transaction" }),
      row(TITLE, "raw pg (baseline)", seq.sql, { isBaseline: true, note: "tenant by slug ⋈ published keys' algs" }),
      row(TITLE_CONCURRENT, "GET discovery route (200)", conc.discovery, { baseline: conc.sql, note: `ops/s ${x(conc.discovery.opsPerSec, conc.sql.opsPerSec)} raw` }),
      row(TITLE_CONCURRENT, "raw pg (baseline)", conc.sql, { isBaseline: true, note: `own pool of ${env.DATABASE_POOL_MAX}` }),
      row(TITLE_BUS, "tenant change → other listener", bus, { note: "commit to NOTIFY arrival, ms" }),
    ];
  },
};
