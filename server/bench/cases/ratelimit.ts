// Case "ratelimit": what the rate limiter adds to a request. The engine alone (consume() of one
// request against a random tenant's key: Redis — one Lua round trip —, in-process RateLimiterMemory,
// and disabled), then a whole request through the public JWKS route handler (admitTenantRequest:
// limits from the per-tenant config cache + consume, inside the request's tenant transaction) with
// each engine, so the route's p95 difference is the limiter's overhead per request. Redis is
// REDIS_URL, else redis://127.0.0.1:6379; without a reachable Redis its rows are left out.
import { GET } from "../../../app/api/public/tenants/[tenant]/jwks/route";
import { env } from "../../env";
import { connectRedis } from "../../redis";
import { tenantKey } from "../../ratelimit/enforce";
import { createRateLimitEngine, setRateLimitEngine, type RateLimitEngine } from "../../ratelimit/limiter";
import type { SurfaceLimit } from "../../ratelimit/config";
import { keyedTenants } from "../population";
import { measureInterleaved, seededRandom, type Iteration } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "rate limiter";
const TITLE_ROUTE = "rate limiter, JWKS route";
/** Never reached in the bench: every consume() is admitted, so the admitted path is what is timed. */
const HUGE: SurfaceLimit = { requestsPerWindow: 100_000_000, windowSeconds: 3600, burst: 1000 };

async function jwks(slug: string): Promise<void> {
  const res = await GET(new Request(`http://localhost:3000/${slug}/.well-known/jwks.json`), { params: Promise.resolve({ tenant: slug }) });
  if (res.status !== 200) throw new Error(`ratelimit: JWKS of ${slug} answered ${res.status}`);
  await res.arrayBuffer();
}

export const ratelimitCase: BenchCase = {
  name: "ratelimit",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const tenants = await keyedTenants(ctx);
    const url = env.REDIS_URL ?? "redis://127.0.0.1:6379";
    const redis = connectRedis(url);
    const ready = await new Promise<boolean>((resolve) => {
      if (redis.status === "ready") return resolve(true);
      const t = setTimeout(() => resolve(false), 3000);
      redis.once("ready", () => (clearTimeout(t), resolve(true)));
    });
    if (!ready) ctx.log(`ratelimit: Redis at ${url} is not reachable; measuring in-process and disabled only`);

    const engines: Record<string, RateLimitEngine> = {
      ...(ready ? { redis: createRateLimitEngine(redis) } : {}),
      memory: createRateLimitEngine(null),
      none: createRateLimitEngine("disabled"),
    };

    const rand = seededRandom(0x5a7e11);
    const pick = Array.from({ length: warmup + n }, () => tenants[Math.floor(rand() * tenants.length)]!);
    const at = ({ i, warmup: w }: Iteration) => pick[w ? i : warmup + i]!;
    // Unique per run, so the Redis keys start empty (rl:<tenantId>:bench-<run>…, expiring after the window).
    const surfaceKey = (it: Iteration) => `${tenantKey(at(it).id, "public")}:bench-${ctx.runId}`;

    try {
      ctx.log(`rate limiter: ${n} consume() calls per engine, interleaved (+${warmup} warmup each)`);
      const consume = await measureInterleaved(
        Object.fromEntries(Object.entries(engines).map(([k, e]) => [k, (it: Iteration) => e.consume(surfaceKey(it), HUGE)])),
        { n, warmup },
      );

      ctx.log(`rate limiter: ${n} JWKS route requests per engine, interleaved (+${warmup} warmup each)`);
      // The route reads each tenant's real limits (default public: 3000 / 60 s), far above what one
      // path sends one tenant here; a 429 would fail the run (jwks() checks for 200).
      const route = await measureInterleaved(
        Object.fromEntries(
          Object.entries(engines).map(([k, e]) => [
            k,
            async (it: Iteration) => {
              setRateLimitEngine(e);
              await jwks(at(it).slug);
            },
          ]),
        ),
        { n, warmup },
      );

      const ms = (x: number) => `${x.toFixed(3)} ms`;
      const lines = Object.keys(engines)
        .filter((k) => k !== "none")
        .map(
          (k) =>
            `${k}: consume() p50 ${ms(consume[k]!.p50)}, p95 ${ms(consume[k]!.p95)}; JWKS route p95 ${ms(route[k]!.p95)} vs none ${ms(route.none!.p95)} ` +
            `(+${ms(route[k]!.p95 - route.none!.p95)} p95, +${ms(route[k]!.p50 - route.none!.p50)} p50)`,
        );
      ctx.detail("rate limiter: overhead per request", [
        ...lines,
        `redis: one EVALSHA (SET NX EX + INCRBY + PTTL) per request on ${ready ? url.replace(/\/\/[^@]*@/, "//***@") : "(unreachable)"}; the limits come from a per-tenant in-process cache (5 s)`,
        `memory: RateLimiterMemory, per process (embedded mode, and the insurance limiter while Redis is down)`,
        `none: a disabled engine (admits without counting): the route's cost without rate limiting`,
      ]);

      const rows = [];
      for (const k of Object.keys(engines)) {
        rows.push(row(TITLE, `consume(), ${k}`, consume[k]!, k === "none" ? { isBaseline: true, note: "no limiter" } : { baseline: consume.none!, note: k === "redis" ? "1 Redis round trip" : "in-process" }));
      }
      for (const k of Object.keys(engines)) {
        rows.push(
          row(TITLE_ROUTE, `GET JWKS, ${k}`, route[k]!, k === "none" ? { isBaseline: true, note: "limiter disabled" } : { baseline: route.none!, note: `p95 +${(route[k]!.p95 - route.none!.p95).toFixed(3)} ms vs none` }),
        );
      }
      return rows;
    } finally {
      setRateLimitEngine(undefined);
      redis.disconnect();
    }
  },
};
