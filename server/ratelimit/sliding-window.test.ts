// Issue 16: with fixed windows alone a burst across a window boundary was admitted (20/10 s + burst
// 5: 44 requests in 1.1 s). The engine now bounds EVERY window of length W by limit + burst
// (server/ratelimit/sliding-guard.ts), in process (on an injected clock: Date is faked, so the
// fixed windows and the guard see the same time) and in Redis (real time, short windows).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { redisClient } from "../redis";
import type { SurfaceLimit } from "./config";
import { createRateLimitEngine } from "./limiter";

const limit = (requestsPerWindow: number, windowSeconds: number, burst = 0): SurfaceLimit => ({ requestsPerWindow, windowSeconds, burst });

/** The most admissions any window [t, t + windowMs) holds (t = each admission: the worst windows start at one). */
function worstWindow(admitted: readonly number[], windowMs: number): number {
  let worst = 0;
  let j = 0;
  for (let i = 0; i < admitted.length; i++) {
    while (j < admitted.length && admitted[j]! < admitted[i]! + windowMs) j++;
    worst = Math.max(worst, j - i);
  }
  return worst;
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("in process, on an injected clock", () => {
  let clock = 0;
  afterEach(() => vi.useRealTimers());

  /** An engine whose every notion of time (rate-limiter-flexible's Date.now and the guard's) is `clock`. */
  function engineAt(start: number) {
    vi.useFakeTimers({ toFake: ["Date"] });
    clock = start;
    vi.setSystemTime(clock);
    return createRateLimitEngine(null, { now: () => clock });
  }
  const tick = (ms: number) => {
    clock += ms;
    vi.setSystemTime(clock);
  };

  it("the boundary burst of the issue: 20/10 s + burst 5 admits at most 25 in any 10 s (was 44 in 1.1 s)", async () => {
    const l = limit(20, 10, 5);
    const engine = engineAt(1_000_000_000_000);
    const key = `${randomUUID()}:public`;
    const admitted: number[] = [];
    // 9 s into the first window: 30 requests over 1.1 s, straddling the window's end.
    tick(9_000);
    for (let i = 0; i < 60; i++) {
      if ((await engine.consume(key, l)).allowed) admitted.push(clock);
      tick(1_100 / 60);
    }
    expect(admitted.length).toBeLessThanOrEqual(25);
    expect(worstWindow(admitted, 10_000)).toBeLessThanOrEqual(25);
  });

  it("random traffic for 10 minutes: no window of W holds more than limit + burst, and the limit is still reached", async () => {
    for (const [l, seed] of [[limit(20, 10, 5), 1], [limit(5, 1, 0), 2], [limit(100, 60, 40), 3]] as const) {
      const engine = engineAt(1_700_000_000_000 + seed * 7919);
      const key = `${randomUUID()}:apiKey`;
      const rand = random(seed);
      const windowMs = l.windowSeconds * 1000;
      const admitted: number[] = [];
      const end = clock + 600_000;
      // Bursty arrivals: mostly a few ms apart, sometimes a long pause.
      while (clock < end) {
        if ((await engine.consume(key, l)).allowed) admitted.push(clock);
        tick(rand() < 0.02 ? rand() * windowMs : rand() * (windowMs / (l.requestsPerWindow * 4)));
      }
      expect(worstWindow(admitted, windowMs)).toBeLessThanOrEqual(l.requestsPerWindow + l.burst);
      // Not starved: well over half the sustained rate (the guard's span is up to 1.1 W, and the
      // traffic pauses now and then).
      expect(admitted.length).toBeGreaterThanOrEqual((600_000 / windowMs) * l.requestsPerWindow * 0.6);
    }
  });

  it("a refusal by the guard says when to come back", async () => {
    const l = limit(3, 10, 0);
    const engine = engineAt(1_000_000_000_000 + 9_500);
    const key = `${randomUUID()}:trpc`;
    for (let i = 0; i < 3; i++) expect((await engine.consume(key, l)).allowed).toBe(true);
    tick(600); // the next fixed window has begun: its quota is fresh, the guard still counts the 3
    const refused = await engine.consume(key, l);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(11);
    tick(refused.retryAfterSeconds * 1000);
    expect((await engine.consume(key, l)).allowed).toBe(true);
  });
});

describe("in Redis (real time)", () => {
  it("requests every ~10 ms for 2.5 s: no 1 s window holds more than limit + burst", async () => {
    const redis = redisClient()!;
    const until = Date.now() + 5_000;
    while (redis.status !== "ready" && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    const engine = createRateLimitEngine(redis);
    const l = limit(4, 1, 2);
    const key = `${randomUUID()}:public`;
    const admitted: number[] = [];
    const end = Date.now() + 2_500;
    while (Date.now() < end) {
      const d = await engine.consume(key, l);
      expect(d.degraded).toBe(false);
      if (d.allowed) admitted.push(Date.now());
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(worstWindow(admitted, 1_000)).toBeLessThanOrEqual(6);
    expect(admitted.length).toBeGreaterThanOrEqual(6);
    expect(await redis.exists(`rl:${key}:sw`)).toBe(1);
  });
});
