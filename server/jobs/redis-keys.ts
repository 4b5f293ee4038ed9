// Removes every Redis key of one tenant (tenant deletion, server/deletion/purge.ts). Tenant-scoped
// keys carry the tenant's id as a ':'-separated segment — rate limits use rl:<tenantId>:<surface>,
// rl:<tenantId>:<surface>:burst and rl:<tenantId>:<surface>:sw (server/ratelimit/limiter.ts) — so SCAN for keys containing
// the id finds them all; a tenant id is a random UUID, so nothing else matches. Any new Redis key
// that belongs to a tenant must contain its tenant id the same way (and never its slug).
//
// Without REDIS_URL the limiters count in each process's memory: those counters are keyed by the
// tenant id too, die with the process, and can never be inherited (a re-created tenant gets a new id).
import type { Redis } from "ioredis";
import { redisClient } from "../redis";
import type { TenantId } from "../tenancy/tenant-id";
import { isCanonicalUuid } from "../isomorphic/uuid";

/** Deletes the tenant's keys; returns how many were removed. Throws when Redis is unreachable. */
export async function purgeTenantRedisKeys(tenantId: TenantId, redis: Redis | null = redisClient()): Promise<number> {
  if (!isCanonicalUuid(tenantId)) throw new Error("purgeTenantRedisKeys needs a tenant id");
  if (!redis) return 0;
  await ready(redis);
  let cursor = "0";
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `*${tenantId}*`, "COUNT", 500);
    cursor = next;
    if (keys.length) removed += await redis.unlink(...keys);
  } while (cursor !== "0");
  return removed;
}

/** The shared client fails fast while not connected (enableOfflineQueue: false): wait for it, briefly. */
async function ready(redis: Redis, ms = 5_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error(`Redis is not reachable (status ${redis.status}): the tenant's Redis keys cannot be removed yet.`));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
}
