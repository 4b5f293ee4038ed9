// Brute-force limit on second-factor codes (TOTP, recovery codes, step-up password): per user, on
// Redis when configured (shared by instances) with an in-memory insurance limiter. A 6-digit code
// has a million values; 5 failures per 15 minutes keep guessing hopeless.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { redisClient } from "../redis";
import { AppError } from "../isomorphic/errors";

const POINTS = 5;
const DURATION_SECONDS = 15 * 60;

const globalForMfa = globalThis as unknown as { credoMfaLimiter?: RateLimiterAbstract };

function limiter(): RateLimiterAbstract {
  if (globalForMfa.credoMfaLimiter) return globalForMfa.credoMfaLimiter;
  const opts = { points: POINTS, duration: DURATION_SECONDS, blockDuration: DURATION_SECONDS };
  const redis = redisClient();
  globalForMfa.credoMfaLimiter = redis
    ? new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, keyPrefix: "credo:mfa", ...opts, insuranceLimiter: new RateLimiterMemory({ keyPrefix: "mfa", ...opts }) })
    : new RateLimiterMemory({ keyPrefix: "mfa", ...opts });
  return globalForMfa.credoMfaLimiter;
}

/** Refuses the attempt while the user is locked out after too many wrong codes. */
export async function assertMfaAttemptAllowed(userId: string): Promise<void> {
  const state = await limiter().get(userId);
  if (state && state.consumedPoints >= POINTS) {
    const minutes = Math.max(1, Math.ceil(state.msBeforeNext / 60_000));
    throw new AppError("FORBIDDEN", `Too many wrong codes. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
  }
}

export async function recordMfaFailure(userId: string): Promise<void> {
  await limiter().consume(userId).catch(() => undefined);
}

export async function clearMfaFailures(userId: string): Promise<void> {
  await limiter().delete(userId).catch(() => undefined);
}
