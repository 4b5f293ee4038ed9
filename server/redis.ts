// Redis connection (rate limits, sign-in throttling). Optional: without REDIS_URL every limiter
// uses its in-process fallback, which is right for one embedded instance and wrong for many.
import { Redis } from "ioredis";
import { env } from "./env";

const globalForRedis = globalThis as unknown as { credoRedis?: Redis | null };

export function redisClient(): Redis | null {
  if (globalForRedis.credoRedis !== undefined) return globalForRedis.credoRedis;
  if (!env.REDIS_URL) return (globalForRedis.credoRedis = null);
  const client = new Redis(env.REDIS_URL, {
    // Fail fast instead of queueing when Redis is down: limiters then use their insurance limiter.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  client.on("error", (e) => console.error(JSON.stringify({ level: "warn", msg: "redis error", error: e.message })));
  return (globalForRedis.credoRedis = client);
}

export async function closeRedis(): Promise<void> {
  const c = globalForRedis.credoRedis;
  globalForRedis.credoRedis = undefined;
  if (c) await c.quit().catch(() => c.disconnect());
}
