// Case "public JWKS": GET /{tenant}/.well-known/jwks.json for a random tenant each time, through the
// route handler (app/api/public/tenants/[tenant]/jwks/route.ts → servePublicDocument → tenantJwks: the slug
// resolved on the platform door, then one tenant transaction with RLS reads the keys; JSON + ETag),
// against a raw-pg baseline reading the same rows by tenant id. Also the conditional request
// (If-None-Match with the current ETag → 304) and the same paths with 16 requests in flight.
import pg from "pg";
import { GET } from "../../../app/api/public/tenants/[tenant]/jwks/route";
import { inTenant } from "../../db/doors";
import { env } from "../../env";
import { auditorFor, SYSTEM_ACTOR } from "../../audit/record";
import { DEFAULT_SIGNING_ALGORITHM } from "../../isomorphic/signing-keys/algorithms";
import { stageNextKey } from "../../signing-keys/service";
import { benchMeta, keyedTenants, type BenchTenant } from "../population";
import { measureConcurrentInterleaved, measureInterleaved, seededRandom, type Iteration } from "../stats";
import { row, type BenchCase, type BenchContext } from "../types";

const TITLE = "public JWKS";
/** Requests in flight in the concurrent variant. */
const CONCURRENCY = 16;
const TITLE_CONCURRENT = `public JWKS, ${CONCURRENCY} in flight`;
/** One tenant in this many gets a staged `next` key (a rotation in progress: two keys published). */
const STAGED_EVERY = 4;

// The rows findPublishedKeys (server/signing-keys/repository.ts) reads: same columns, filter, order, limit.
const RAW_READ = `SELECT "kid", "alg", "state", "public_jwk", "activated_at", "created_at" FROM "public"."signing_keys"
  WHERE "tenant_id" = $1 AND "state" IN ('next', 'current', 'previous') ORDER BY "created_at" DESC, "kid" ASC LIMIT 100`;

const url = (slug: string) => `http://localhost:3000/${slug}/.well-known/jwks.json`;

/** The route as Next calls it; the body is read as a server would send it. */
async function fetchJwks(slug: string, etag?: string): Promise<{ status: number; etag: string | null; body: string }> {
  const req = new Request(url(slug), etag ? { headers: { "if-none-match": etag } } : undefined);
  const res = await GET(req, { params: Promise.resolve({ tenant: slug }) });
  return { status: res.status, etag: res.headers.get("etag"), body: await res.text() };
}

export const jwksCase: BenchCase = {
  name: "jwks",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const tenants = await keyedTenants(ctx);
    await stageSomeNextKeys(ctx, tenants);
    const etags = await sanityCheck(ctx, tenants);

    // The same pseudo-random tenant sequence for every path.
    const rand = seededRandom(0x1ea5e);
    // Sized for the concurrent run too, whose warmup is at least CONCURRENCY iterations.
    const warm = Math.max(warmup, CONCURRENCY);
    const pick = Array.from({ length: warm + n }, () => tenants[Math.floor(rand() * tenants.length)]!);
    const tenantAt = ({ i, warmup: w }: Iteration) => pick[w ? i : warm + i]!;

    const expect = (status: number) => (r: { status: number }) => {
      if (r.status !== status) throw new Error(`jwks: expected ${status}, got ${r.status}`);
    };
    const full = (it: Iteration) => fetchJwks(tenantAt(it).slug).then(expect(200));
    const conditional = (it: Iteration) => {
      const t = tenantAt(it);
      return fetchJwks(t.slug, etags.get(t.slug)!).then(expect(304));
    };
    const sqlOn = (pool: pg.Pool) => (it: Iteration) => pool.query(RAW_READ, [tenantAt(it).id]);

    ctx.log(`JWKS: ${n} requests per path, paths interleaved (+${warmup} warmup each)`);
    const seq = await measureInterleaved({ sql: sqlOn(ctx.ownerPool), full, conditional }, { n, warmup });

    // The app's pool is DATABASE_POOL_MAX connections; the concurrent baseline gets as many.
    const poolMax = env.DATABASE_POOL_MAX;
    const rawPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: poolMax });
    let conc: Awaited<ReturnType<typeof measureConcurrentInterleaved<"sql" | "full" | "conditional">>>;
    try {
      ctx.log(`JWKS: ${n} requests per path with ${CONCURRENCY} in flight (pools of ${poolMax}), 4 rounds`);
      conc = await measureConcurrentInterleaved(
        { sql: sqlOn(rawPool), full, conditional },
        { n, warmup: Math.max(warmup, CONCURRENCY), concurrency: CONCURRENCY, rounds: 4 },
      );
    } finally {
      await rawPool.end();
    }

    const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    ctx.detail("public JWKS: ratios", [
      `sequential p50: full / raw ${x(seq.full.p50, seq.sql.p50)}, 304 / raw ${x(seq.conditional.p50, seq.sql.p50)}, 304 / full ${x(seq.conditional.p50, seq.full.p50)}`,
      `${CONCURRENCY} in flight, ops/s: full ${Math.round(conc.full.opsPerSec)} (${x(conc.full.opsPerSec, seq.full.opsPerSec)} sequential), ` +
        `304 ${Math.round(conc.conditional.opsPerSec)}, raw ${Math.round(conc.sql.opsPerSec)}; full / raw throughput ${x(conc.full.opsPerSec, conc.sql.opsPerSec)}`,
      `app path per request: 2 transactions (onPlatform: slug → tenant; inTenant: keys under RLS), each BEGIN + set_config + SELECT + COMMIT;`,
      `  a 304 still reads the keys: the ETag is a hash of the document, so only the body is saved`,
      `pools: app (Prisma adapter-pg) ${poolMax} connections = DATABASE_POOL_MAX; concurrent raw baseline ${poolMax}; sequential raw baseline: the bench's owner pool`,
    ]);

    return [
      row(TITLE, "GET route (200, JSON + ETag)", seq.full, { baseline: seq.sql, note: "slug → tenant tx + tenant tx (RLS) + JSON + ETag" }),
      row(TITLE, "GET route, If-None-Match (304)", seq.conditional, { baseline: seq.sql, note: "same 2 tx and hash; no body" }),
      row(TITLE, "raw pg (baseline)", seq.sql, { isBaseline: true, note: "SELECT published keys by tenant_id" }),
      row(TITLE_CONCURRENT, "GET route (200)", conc.full, { baseline: conc.sql, note: `closed loop; ops/s ${x(conc.full.opsPerSec, conc.sql.opsPerSec)} raw` }),
      row(TITLE_CONCURRENT, "GET route (304)", conc.conditional, { baseline: conc.sql, note: `ops/s ${x(conc.conditional.opsPerSec, conc.sql.opsPerSec)} raw` }),
      row(TITLE_CONCURRENT, "raw pg (baseline)", conc.sql, { isBaseline: true, note: `own pool of ${poolMax} (= app pool)` }),
    ];
  },
};

/** Stages a `next` key (through the service, as the console does) on one tenant in STAGED_EVERY. */
async function stageSomeNextKeys(ctx: BenchContext, tenants: readonly BenchTenant[]): Promise<void> {
  const { rows } = await ctx.ownerPool.query<{ tenant_id: string }>(
    "SELECT DISTINCT tenant_id FROM signing_keys WHERE tenant_id = ANY($1::uuid[]) AND state = 'next'",
    [tenants.map((t) => t.id)],
  );
  const hasNext = new Set(rows.map((r) => r.tenant_id));
  const todo = tenants.filter((t, i) => i % STAGED_EVERY === STAGED_EVERY - 1 && !hasNext.has(t.id));
  if (!todo.length) return;
  ctx.log(`staging a next ${DEFAULT_SIGNING_ALGORITHM} key on ${todo.length} of ${tenants.length} tenants`);
  for (const [i, t] of todo.entries()) {
    await inTenant(t.id, (scope) =>
      stageNextKey(scope, auditorFor(scope, SYSTEM_ACTOR, benchMeta(`bench-stage-${i}`)), SYSTEM_ACTOR, { alg: DEFAULT_SIGNING_ALGORITHM }),
    );
  }
}

/**
 * Every tenant's document must hold exactly the kids the baseline reads (or the comparison is
 * meaningless), and its ETag must give a 304. Returns the ETag per slug.
 */
async function sanityCheck(ctx: BenchContext, tenants: readonly BenchTenant[]): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  const perDoc = new Map<number, number>();
  let minBytes = Infinity;
  let maxBytes = 0;
  for (const t of tenants) {
    const res = await fetchJwks(t.slug);
    const doc = JSON.parse(res.body) as { keys: { kid: string; d?: unknown }[] };
    const { rows } = await ctx.ownerPool.query<{ kid: string }>(RAW_READ, [t.id]);
    const appKids = doc.keys.map((k) => k.kid).sort();
    const sqlKids = rows.map((r) => r.kid).sort();
    if (res.status !== 200 || !res.etag || appKids.length === 0 || appKids.join() !== sqlKids.join() || doc.keys.some((k) => "d" in k)) {
      throw new Error(`jwks sanity check failed for ${t.slug}: status ${res.status}, app kids [${appKids}], raw kids [${sqlKids}]`);
    }
    const again = await fetchJwks(t.slug, res.etag);
    if (again.status !== 304 || again.body !== "") throw new Error(`jwks sanity check failed for ${t.slug}: If-None-Match gave ${again.status}`);
    etags.set(t.slug, res.etag);
    perDoc.set(appKids.length, (perDoc.get(appKids.length) ?? 0) + 1);
    minBytes = Math.min(minBytes, res.body.length);
    maxBytes = Math.max(maxBytes, res.body.length);
  }
  ctx.detail("public JWKS: data", [
    `tenants requested: ${tenants.length} (random each request); keys per document: ` +
      [...perDoc].sort(([a], [b]) => a - b).map(([k, c]) => `${k} key${k === 1 ? "" : "s"} × ${c}`).join(", "),
    `document size ${minBytes}–${maxBytes} bytes; every document = the raw baseline's kids, no private members, ETag → 304`,
  ]);
  return etags;
}
