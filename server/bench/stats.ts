// Timing and statistics helpers for `npm run bench`. No server imports: safe to load before the
// runner has pointed DATABASE_URL at the bench database.
import { performance } from "node:perf_hooks";

export interface Summary {
  /** Measured iterations (warmup excluded). */
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  /** Sequential throughput: n / wall-clock time of the measured loop. */
  opsPerSec: number;
}

/** Percentile (0–100) of an ASCENDING sorted sample, linear interpolation between closest ranks. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function summarize(samplesMs: readonly number[], totalMs: number): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: n ? sum / n : Number.NaN,
    min: n ? sorted[0]! : Number.NaN,
    max: n ? sorted[n - 1]! : Number.NaN,
    opsPerSec: totalMs > 0 ? n / (totalMs / 1000) : Number.NaN,
  };
}

export interface Iteration {
  /** 0-based index within its phase (warmup and measured phases each start at 0). */
  readonly i: number;
  readonly warmup: boolean;
}

export interface MeasureOptions {
  /** Measured iterations. */
  n: number;
  /** Untimed iterations first (JIT, connection pool, Prisma query plan caches). */
  warmup?: number;
}

/**
 * Runs fn sequentially `warmup` times untimed, then `n` times timing each call.
 * Returns the per-call latencies and the wall-clock total of the measured loop.
 */
export async function measure(
  fn: (it: Iteration) => Promise<unknown>,
  opts: MeasureOptions,
): Promise<Summary & { samples: number[] }> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) await fn({ i, warmup: true });
  const samples = new Array<number>(opts.n);
  const start = performance.now();
  for (let i = 0; i < opts.n; i++) {
    const t0 = performance.now();
    await fn({ i, warmup: false });
    samples[i] = performance.now() - t0;
  }
  const totalMs = performance.now() - start;
  return { ...summarize(samples, totalMs), samples };
}

/**
 * Measures several paths against each other, interleaved: each path gets `warmup` untimed calls,
 * then iteration i runs every path once (in an order rotated by i), timing each call. Drift and
 * background load (other processes on the machine) hit all paths alike instead of whichever ran
 * last. opsPerSec is n / the path's own summed latency (the calls are sequential).
 */
export async function measureInterleaved<K extends string>(
  paths: Record<K, (it: Iteration) => Promise<unknown>>,
  opts: MeasureOptions,
): Promise<Record<K, Summary & { samples: number[] }>> {
  const keys = Object.keys(paths) as K[];
  for (const k of keys) for (let i = 0; i < (opts.warmup ?? 0); i++) await paths[k]({ i, warmup: true });
  const samples = Object.fromEntries(keys.map((k) => [k, new Array<number>(opts.n)])) as Record<K, number[]>;
  for (let i = 0; i < opts.n; i++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length]!;
      const t0 = performance.now();
      await paths[k]({ i, warmup: false });
      samples[k][i] = performance.now() - t0;
    }
  }
  const out = {} as Record<K, Summary & { samples: number[] }>;
  for (const k of keys) {
    const total = samples[k].reduce((s, x) => s + x, 0);
    out[k] = { ...summarize(samples[k], total), samples: samples[k] };
  }
  return out;
}

/** Small deterministic PRNG (mulberry32) so every path of a case sees the same "random" sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ConcurrentOptions extends MeasureOptions {
  /** Calls in flight at once (closed loop: a worker starts its next call when its last one ends). */
  concurrency: number;
  /** The paths take turns this many times (each turn runs n / rounds calls of one path). */
  rounds?: number;
}

/**
 * Closed-loop load: `concurrency` workers call one path until its share of calls is done. The paths
 * take turns in `rounds` rounds (order rotated each round), so drift and background load hit all
 * paths alike. Each path first gets `warmup` untimed calls at the same concurrency (fills the
 * connection pools). A call's latency includes waiting for a pooled connection; opsPerSec is n / the
 * path's summed wall-clock time (its throughput with `concurrency` calls in flight).
 * Iteration i runs 0…n-1 per path in the order the calls START, so paths see the same sequence.
 */
export async function measureConcurrentInterleaved<K extends string>(
  paths: Record<K, (it: Iteration) => Promise<unknown>>,
  opts: ConcurrentOptions,
): Promise<Record<K, Summary & { samples: number[] }>> {
  const keys = Object.keys(paths) as K[];
  const rounds = Math.max(1, Math.min(opts.rounds ?? 4, opts.n));
  const concurrency = Math.max(1, opts.concurrency);

  /** Runs calls [from, to) of a path with `concurrency` workers; returns the wall-clock time. */
  const burst = async (fn: (it: Iteration) => Promise<unknown>, from: number, to: number, warmup: boolean, samples?: number[]) => {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const i = next++;
        const t0 = performance.now();
        await fn({ i, warmup });
        if (samples) samples[i] = performance.now() - t0;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
    return performance.now() - start;
  };

  for (const k of keys) if ((opts.warmup ?? 0) > 0) await burst(paths[k], 0, opts.warmup!, true);
  const samples = Object.fromEntries(keys.map((k) => [k, new Array<number>(opts.n)])) as Record<K, number[]>;
  const wall = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (let r = 0; r < rounds; r++) {
    const from = Math.floor((r * opts.n) / rounds);
    const to = Math.floor(((r + 1) * opts.n) / rounds);
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(r + j) % keys.length]!;
      wall[k] += await burst(paths[k], from, to, false, samples[k]);
    }
  }
  const out = {} as Record<K, Summary & { samples: number[] }>;
  for (const k of keys) out[k] = { ...summarize(samples[k], wall[k]), samples: samples[k] };
  return out;
}
