// Case "tenant-fairness": one tenant's slow requests must not starve another (server/tenancy/
// concurrency.ts). Tenant A runs slow transactions (pg_sleep 50 ms each) from 2 × pool-size workers
// at once, a closed loop that never lets up; meanwhile tenant B's ordinary read (one tenant
// transaction, an RLS-filtered count) is timed. Side by side in one run, B's read is measured
//   idle                         nobody else working (the baseline)
//   A flooding, share 0.5        the default: A holds at most half the pool, its excess waits / is refused
//   A flooding, no share (1.0)   the limit off: what B would see without it
// Target: B's p95 with the share ≤ 2 × idle. Then the cost of observability per request: a no-op
// procedure bare, with metrics only (observeRequest) and fully observed (log context, metrics, a log
// line to a discarding sink; tracing off) — server/observability/request.ts.
import { inTenant } from "../../db/doors";
import { appPoolMax } from "../../db/client";
import { configureTenantConcurrency, TenantBusyError } from "../../tenancy/concurrency";
import { observeProcedure } from "../../observability/request";
import { observeRequest } from "../../observability/metrics";
import { startLogCapture } from "../../observability/logger";
import { keyedTenants } from "../population";
import { measure, measureInterleaved, type Summary } from "../stats";
import { row, type BenchCase, type Row } from "../types";

const TITLE = "tenant fairness (B's read)";
const TITLE_OBS = "observability per request";
const SLOW_MS = 50;

export const tenantFairnessCase: BenchCase = {
  name: "tenant-fairness",
  title: TITLE,
  async run(ctx) {
    const [a, b] = await keyedTenants(ctx);
    if (!a || !b) throw new Error("tenant-fairness: needs two tenants");
    const n = Math.max(50, Math.min(ctx.sizes.reads, 400));
    const poolMax = appPoolMax();
    const readB = () => inTenant(b.id, (s) => s.db.$queryRaw`SELECT count(*) FROM audit_events`);

    /** A's flood: 2 × pool workers, each running slow transactions back to back until stopped. */
    const flood = () => {
      let running = true;
      const counts = { done: 0, refused: 0 };
      const worker = async () => {
        while (running) {
          try {
            await inTenant(a.id, (s) => s.db.$queryRaw`SELECT pg_sleep(${SLOW_MS / 1000})::text`);
            counts.done++;
          } catch (e) {
            if (!(e instanceof TenantBusyError)) throw e;
            counts.refused++;
          }
        }
      };
      const workers = Array.from({ length: poolMax * 2 }, worker);
      return {
        counts,
        stop: async () => {
          running = false;
          await Promise.all(workers);
        },
      };
    };

    const measureB = async (label: string, share: number | null): Promise<{ s: Summary; note: string }> => {
      ctx.log(`tenant-fairness: ${n} reads of B, ${label}`);
      if (share === null) {
        return { s: await measure(readB, { n, warmup: ctx.sizes.warmup }), note: "nobody else working" };
      }
      configureTenantConcurrency({ share, poolMax });
      const f = flood();
      try {
        await new Promise((r) => setTimeout(r, 200)); // the flood fills the pool first
        const s = await measure(readB, { n, warmup: Math.min(ctx.sizes.warmup, 20) });
        return { s, note: `A: ${2 * poolMax} workers × ${SLOW_MS} ms transactions; ${f.counts.done} done, ${f.counts.refused} refused (busy)` };
      } finally {
        await f.stop();
        configureTenantConcurrency(null);
      }
    };

    const idle = await measureB("idle", null);
    const shared = await measureB("A flooding, share 0.5", 0.5);
    const unlimited = await measureB("A flooding, share 1.0 (limit off)", 1);
    const ratio = shared.s.p95 / idle.s.p95;
    const rows: Row[] = [
      row(TITLE, "B idle (baseline)", idle.s, { isBaseline: true, note: idle.note }),
      row(TITLE, "B while A floods, share 0.5", shared.s, { baseline: idle.s, note: shared.note }),
      row(TITLE, "B while A floods, no share", unlimited.s, { baseline: idle.s, note: unlimited.note }),
    ];
    ctx.detail("tenant fairness", [
      `pool ${poolMax}, tenant share 0.5 → ${Math.max(1, Math.floor(poolMax / 2))} slots per tenant`,
      `B p95: idle ${idle.s.p95.toFixed(2)} ms, A flooding with share ${shared.s.p95.toFixed(2)} ms (${ratio.toFixed(2)}× idle: ${ratio <= 2 ? "within" : "OVER"} the 2× target), without share ${unlimited.s.p95.toFixed(2)} ms`,
    ]);

    ctx.log(`observability: ${n * 10} no-op procedure calls per variant, interleaved`);
    const capture = startLogCapture("info"); // the log line is produced and written, to a discarding sink
    let obs;
    try {
      const noop = async () => ({ ok: true });
      obs = await measureInterleaved(
        {
          bare: () => noop(),
          metrics: async () => {
            const t0 = performance.now();
            const r = await noop();
            observeRequest({ procedure: "bench.noop", outcome: "ok", seconds: (performance.now() - t0) / 1000, tenantId: a.id });
            return r;
          },
          observed: () => observeProcedure({ requestId: "bench", actor: "user:bench", path: "bench.noop", type: "query" }, noop),
        },
        { n: n * 10, warmup: ctx.sizes.warmup },
      );
    } finally {
      capture.stop();
    }
    rows.push(
      row(TITLE_OBS, "no-op procedure, bare (baseline)", obs.bare, { isBaseline: true }),
      row(TITLE_OBS, "+ metrics (observeRequest)", obs.metrics, { baseline: obs.bare, note: `+${((obs.metrics.p50 - obs.bare.p50) * 1000).toFixed(1)} µs p50` }),
      row(TITLE_OBS, "+ log context, metrics, log line", obs.observed, { baseline: obs.bare, note: `+${((obs.observed.p50 - obs.bare.p50) * 1000).toFixed(1)} µs p50; tracing off` }),
    );
    return rows;
  },
};
