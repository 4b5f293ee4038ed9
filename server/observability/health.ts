// Liveness and readiness (app/api/health, app/api/ready).
//
//   GET /api/health  200 while the process serves requests; touches nothing else (no database), so a
//                    database outage never gets healthy instances restarted.
//   GET /api/ready   200 when the database answers `SELECT 1` and, when REDIS_URL is set, Redis answers
//                    PING — each within CHECK_TIMEOUT_MS; otherwise 503 naming what failed:
//                    {"status":"not_ready","checks":{"database":"ok","redis":"unreachable"},"failed":["redis"]}
// Neither needs a session (proxy.ts only handles pages; they are not under /api/trpc). Answers carry no
// error text (host names and ports stay in the log).
import type { Redis } from "ioredis";
import { logger, scrubText } from "./logger";

export const CHECK_TIMEOUT_MS = 2_000;

export type CheckResult = "ok" | "unreachable" | "not_configured";

export interface Readiness {
  status: "ready" | "not_ready";
  checks: { database: CheckResult; redis: CheckResult };
  failed: string[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function check(name: string, probe: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  try {
    await withTimeout(probe(), timeoutMs, name);
    return "ok";
  } catch (e) {
    logger.warn({ check: name, error: scrubText(e instanceof Error ? e.message : String(e)) }, "readiness check failed");
    return "unreachable";
  }
}

export interface ReadinessProbes {
  /** Resolves when the database answers; default: `SELECT 1` on the app's pool through the platform door. */
  database?: () => Promise<unknown>;
  /** The Redis client to PING; null = not configured; default: the app's (REDIS_URL). */
  redis?: Redis | null;
  timeoutMs?: number;
}

async function appDatabase(): Promise<unknown> {
  const { pingDatabase } = await import("../db/ping");
  return pingDatabase();
}

async function appRedis(): Promise<Redis | null> {
  const { redisClient } = await import("../redis");
  return redisClient();
}

/** PING; a client still (re)connecting gets until the timeout to become ready (the app's client connects lazily). */
async function pingRedis(redis: Redis, timeoutMs: number): Promise<unknown> {
  if (redis.status !== "ready" && redis.status !== "end") {
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        redis.off("ready", done);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off("ready", done);
        reject(new Error(`redis not ready (${redis.status})`));
      }, timeoutMs);
      redis.on("ready", done);
    });
  }
  return redis.ping();
}

export async function checkReadiness(probes: ReadinessProbes = {}): Promise<Readiness> {
  const timeoutMs = probes.timeoutMs ?? CHECK_TIMEOUT_MS;
  const redis = probes.redis !== undefined ? probes.redis : await appRedis();
  const [database, redisResult] = await Promise.all([
    check("database", probes.database ?? appDatabase, timeoutMs),
    redis ? check("redis", () => pingRedis(redis, timeoutMs), timeoutMs) : Promise.resolve<CheckResult>("not_configured"),
  ]);
  const checks = { database, redis: redisResult };
  const failed = Object.entries(checks).filter(([, v]) => v === "unreachable").map(([k]) => k);
  return { status: failed.length ? "not_ready" : "ready", checks, failed };
}

const NO_STORE = { "Cache-Control": "no-store" };

export async function readinessResponse(probes?: ReadinessProbes): Promise<Response> {
  const r = await checkReadiness(probes);
  return Response.json(r, { status: r.status === "ready" ? 200 : 503, headers: NO_STORE });
}

export function healthResponse(): Response {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }, { headers: NO_STORE });
}
