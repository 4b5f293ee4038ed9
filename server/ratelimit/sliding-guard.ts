// The sliding-window guard: no window of length W — wherever it starts — admits more than
// requestsPerWindow + burst. Fixed windows alone (server/ratelimit/limiter.ts) let a burst through
// at a boundary: the end of one window plus the start of the next (20/10 s + burst 5 admitted 44 in
// 1.1 s). The guard counts ADMITTED requests in SUB_WINDOWS sub-windows of W / SUB_WINDOWS and
// admits a request only if the current sub-window and the SUB_WINDOWS before it hold fewer than
// limit + burst. Why that bounds every window [t, t + W): its last admitted request, at s, saw every
// sub-window from floor(s) − W ≤ t on, i.e. every earlier admission of that window, and was admitted
// only below the cap. (It is conservative: a request can wait up to W + W / SUB_WINDOWS.)
//
// Stores: a Redis hash per key (`rl:<key>:sw`, field = sub-window index, one Lua script per check,
// TTL ≈ 1.1 W), or in process (embedded mode, and the insurance path while Redis is down). Time
// comes from the caller (`now`, injectable for tests); instances' clocks are assumed NTP-close.
import type { Redis } from "ioredis";

export const SUB_WINDOWS = 10;
const MEMORY_KEYS_MAX = 100_000;

export interface GuardDecision {
  readonly allowed: boolean;
  /** Milliseconds until the oldest counted sub-window leaves the guard (when refused). */
  readonly retryMs: number;
}

export interface SlidingGuard {
  /** Counts one admitted request against `key` when below `cap`; refuses otherwise. */
  admit(key: string, cap: number, windowMs: number, now: number): Promise<GuardDecision>;
}

const subMs = (windowMs: number) => Math.max(1, Math.floor(windowMs / SUB_WINDOWS));

/** In process: a map of sub-window counts per key (oldest keys evicted beyond MEMORY_KEYS_MAX). */
export function memoryGuard(): SlidingGuard {
  const keys = new Map<string, Map<number, number>>();
  return {
    async admit(key, cap, windowMs, now) {
      const sub = subMs(windowMs);
      const cur = Math.floor(now / sub);
      let buckets = keys.get(key);
      if (!buckets) {
        if (keys.size >= MEMORY_KEYS_MAX) keys.delete(keys.keys().next().value!);
        keys.set(key, (buckets = new Map()));
      }
      let total = 0;
      let oldest = cur;
      for (const [idx, n] of buckets) {
        if (idx < cur - SUB_WINDOWS) buckets.delete(idx);
        else {
          total += n;
          oldest = Math.min(oldest, idx);
        }
      }
      if (total >= cap) return { allowed: false, retryMs: Math.max(1, (oldest + SUB_WINDOWS + 1) * sub - now) };
      buckets.set(cur, (buckets.get(cur) ?? 0) + 1);
      return { allowed: true, retryMs: 0 };
    },
  };
}

// KEYS[1] hash; ARGV now, sub-window ms, sub-windows, cap. Returns {allowed 0/1, retry ms}.
const SCRIPT = `
local now = tonumber(ARGV[1]); local sub = tonumber(ARGV[2]); local n = tonumber(ARGV[3]); local cap = tonumber(ARGV[4])
local cur = math.floor(now / sub)
local fields = redis.call('HGETALL', KEYS[1])
local total = 0; local oldest = cur
for i = 1, #fields, 2 do
  local idx = tonumber(fields[i])
  if idx < cur - n then redis.call('HDEL', KEYS[1], fields[i])
  else total = total + tonumber(fields[i + 1]); if idx < oldest then oldest = idx end end
end
if total >= cap then return {0, (oldest + n + 1) * sub - now} end
redis.call('HINCRBY', KEYS[1], cur, 1)
redis.call('PEXPIRE', KEYS[1], (n + 2) * sub)
return {1, 0}`;

/** On Redis; a failure or a reply slower than `timeoutMs` falls back to `fallback` (fail open, still limited). */
export function redisGuard(redis: Redis, opts: { prefix: string; timeoutMs: number; fallback: SlidingGuard }): SlidingGuard {
  return {
    async admit(key, cap, windowMs, now) {
      const sub = subMs(windowMs);
      let timer: NodeJS.Timeout | undefined;
      try {
        const reply = (await Promise.race([
          redis.eval(SCRIPT, 1, `${opts.prefix}:${key}:sw`, now, sub, SUB_WINDOWS, cap),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), opts.timeoutMs);
          }),
        ])) as [number, number];
        return { allowed: reply[0] === 1, retryMs: Math.max(reply[0] === 1 ? 0 : 1, reply[1]) };
      } catch {
        return opts.fallback.admit(key, cap, windowMs, now);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
