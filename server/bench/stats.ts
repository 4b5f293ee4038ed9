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
