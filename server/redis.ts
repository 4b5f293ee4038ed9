// Redis connection (rate limits, sign-in throttling). Optional: without REDIS_URL every limiter
// uses its in-process fallback, which is right for one embedded instance and wrong for many.
import { Redis } from "ioredis";
import { env } from "./env";
import { logger, scrubText } from "./observability/logger";

const globalForRedis = globalThis as unknown as { credoRedis?: Redis | null };

/**
 * A client with the options every limiter relies on: commands fail fast instead of queueing while
 * Redis is down (the limiters then use their in-process insurance limiter), and the client keeps
 * reconnecting in the background so they return to Redis by themselves once it is back.
 */
export function connectRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  client.on("error", (e) => logger.warn({ error: scrubText(e.message) }, "redis error"));
  return client;
}

export function redisClient(): Redis | null {
  if (globalForRedis.credoRedis !== undefined) return globalForRedis.credoRedis;
  if (!env.REDIS_URL) return (globalForRedis.credoRedis = null);
  return (globalForRedis.credoRedis = connectRedis(env.REDIS_URL));
}

export async function closeRedis(): Promise<void> {
  const c = globalForRedis.credoRedis;
  globalForRedis.credoRedis = undefined;
  if (c) await c.quit().catch(() => c.disconnect());
}
