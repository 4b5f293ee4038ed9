// Brute-force throttling of the sign-in form (rate-limiter-flexible): per e-mail+IP and per IP.
// On Redis when REDIS_URL is set (shared by all instances), with an in-memory insurance limiter
// that takes over while Redis is unreachable; in-memory only otherwise.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { env } from "../env";
import { redisClient } from "../redis";

interface Limiters {
  perAccount: RateLimiterAbstract;
  perIp: RateLimiterAbstract;
}

const globalForLimiters = globalThis as unknown as { credoSigninLimiters?: Limiters };

function build(): Limiters {
  const duration = env.SIGNIN_THROTTLE_WINDOW_SECONDS;
  const account = { points: env.SIGNIN_THROTTLE_ATTEMPTS, duration, blockDuration: duration };
  const ip = { points: env.SIGNIN_THROTTLE_ATTEMPTS * 20, duration, blockDuration: duration };
  const redis = redisClient();
  if (!redis) {
    return {
      perAccount: new RateLimiterMemory({ keyPrefix: "signin:acct", ...account }),
      perIp: new RateLimiterMemory({ keyPrefix: "signin:ip", ...ip }),
    };
  }
  return {
    perAccount: new RateLimiterRedis({
      storeClient: redis, useRedisPackage: false, keyPrefix: "credo:signin:acct", ...account,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: "signin:acct", ...account }),
    }),
    perIp: new RateLimiterRedis({
      storeClient: redis, useRedisPackage: false, keyPrefix: "credo:signin:ip", ...ip,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: "signin:ip", ...ip }),
    }),
  };
}

function limiters(): Limiters {
  return (globalForLimiters.credoSigninLimiters ??= build());
}

const accountKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;

/** Seconds until another attempt is allowed, or 0 if the attempt may proceed. */
export async function signInBlockedFor(email: string, ip: string): Promise<number> {
  const { perAccount, perIp } = limiters();
  const [a, i] = await Promise.all([perAccount.get(accountKey(email, ip)), perIp.get(ip)]);
  const blocked = [
    a && a.consumedPoints >= perAccount.points ? a : null,
    i && i.consumedPoints >= perIp.points ? i : null,
  ].filter((r): r is RateLimiterRes => r !== null);
  return blocked.length ? Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000) : 0;
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const { perAccount, perIp } = limiters();
  // consume() rejects once the limit is reached; the rejection is the expected "now blocked" signal.
  await Promise.allSettled([perAccount.consume(accountKey(email, ip)), perIp.consume(ip)]);
}

export async function recordSuccessfulSignIn(email: string, ip: string): Promise<void> {
  await limiters().perAccount.delete(accountKey(email, ip)).catch(() => undefined);
}

/** Tests: forget limiter instances (e.g. after changing REDIS_URL). */
export function resetSignInLimiters(): void {
  globalForLimiters.credoSigninLimiters = undefined;
}
