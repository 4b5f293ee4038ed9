// Limits on the requests that send e-mail or check an e-mailed token (password reset, invitation
// accept, invitations), in the style of the sign-in throttle (server/auth/throttle.ts): per
// e-mail + IP and per IP, on Redis when REDIS_URL is set, with an in-memory insurance limiter.
// They keep the public forms from being used to flood someone's mailbox or to guess tokens.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { redisClient } from "../redis";
import { AppError } from "../isomorphic/errors";

const WINDOW_SECONDS = 900;
const PER_ADDRESS = 5; // per e-mail (or token / inviter) and IP, in 15 minutes
const PER_IP = 30;

interface Limiters {
  perKey: RateLimiterAbstract;
  perIp: RateLimiterAbstract;
}

const globalForLimiters = globalThis as unknown as { credoMailLimiters?: Limiters };

function limiter(prefix: string, points: number): RateLimiterAbstract {
  const opts = { points, duration: WINDOW_SECONDS };
  const memory = new RateLimiterMemory({ keyPrefix: `mail:${prefix}`, ...opts });
  const redis = redisClient();
  if (!redis) return memory;
  return new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, keyPrefix: `credo:mail:${prefix}`, ...opts, insuranceLimiter: memory });
}

function limiters(): Limiters {
  return (globalForLimiters.credoMailLimiters ??= { perKey: limiter("key", PER_ADDRESS), perIp: limiter("ip", PER_IP) });
}

/**
 * Counts one request of `kind` for `key` (an e-mail, a token hash) from `from` (the client IP for
 * public requests, the inviter for invitations); throws TOO_MANY_REQUESTS once over the limit.
 * Known and unknown keys count alike (no oracle).
 */
export async function admitMailRequest(kind: string, key: string, from: string | null): Promise<void> {
  const { perKey, perIp } = limiters();
  from ??= "unknown";
  try {
    await Promise.all([perKey.consume(`${kind}|${key.toLowerCase()}|${from}`), perIp.consume(`${kind}|${from}`)]);
  } catch (e) {
    if (e instanceof RateLimiterRes || (e && typeof e === "object" && "msBeforeNext" in e)) {
      const minutes = Math.max(1, Math.ceil(Number((e as RateLimiterRes).msBeforeNext) / 60_000));
      throw new AppError("TOO_MANY_REQUESTS", `Too many requests. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    }
    throw e;
  }
}

/** Tests: forget limiter instances and their counts (Redis keys too). */
export async function resetMailLimiters(): Promise<void> {
  globalForLimiters.credoMailLimiters = undefined;
  const redis = redisClient();
  if (!redis) return;
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
  const keys = await redis.keys("credo:mail:*");
  if (keys.length) await redis.del(...keys);
}
