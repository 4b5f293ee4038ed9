// Liveness and readiness (server/observability/health.ts). Readiness flips to 503 — naming what
// failed — when Redis or PostgreSQL stops answering, and back to 200 when they return:
//   * Redis: a private redis-server this file starts, kills and restarts on its own port;
//   * PostgreSQL: a TCP relay to the real server that this file closes (dropping every connection)
//     and reopens — and an address where nothing listens.
import { execFileSync } from "node:child_process";
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { until } from "../testing/wait";
import { connectRedis } from "../redis";
import { GET as healthGET } from "@/app/api/health/route";
import { GET as readyGET } from "@/app/api/ready/route";
import { checkReadiness, readinessResponse } from "./health";

const REDIS_PORT = 6391;
const PIDFILE = `/tmp/credo-test-redis-${REDIS_PORT}.pid`;

function startRedis(): void {
  execFileSync("redis-server", ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--daemonize", "yes", "--save", "", "--appendonly", "no", "--dir", "/tmp", "--pidfile", PIDFILE, "--logfile", ""]);
}
function stopRedis(): void {
  try {
    execFileSync("redis-cli", ["-p", String(REDIS_PORT), "shutdown", "nosave"], { stdio: "ignore" });
  } catch {
    // already stopped
  }
}

/** A TCP relay to PostgreSQL that can be closed (every connection dropped) and reopened on the same port. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(5432, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", r));
    this.port = (this.server!.address() as AddressInfo).port;
  }
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
    this.server = null;
  }
}

/** A database probe over its own small pool (as the app's would be), pointed at `url`. */
function poolProbe(url: string): { probe: () => Promise<unknown>; end: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1_000 });
  pool.on("error", () => undefined);
  return { probe: () => pool.query("SELECT 1"), end: () => pool.end() };
}

let redis: Redis | null = null;
afterAll(async () => {
  redis?.disconnect();
  stopRedis();
});

describe("GET /api/health", () => {
  it("200 without touching the database", async () => {
    const res = healthGET();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });
});

describe("GET /api/ready", () => {
  it("the route: 200 with the test database and Redis", async () => {
    const res = await readyGET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok", redis: "ok" }, failed: [] });
  });

  it("Redis stopped → 503 naming redis; restarted → 200 again", async () => {
    stopRedis();
    startRedis();
    redis = connectRedis(`redis://127.0.0.1:${REDIS_PORT}`);
    const ready = () => readinessResponse({ redis, timeoutMs: 1_000 });
    await until(async () => (await ready()).status === 200, 15_000, "ready to answer 200");

    stopRedis();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "not_ready", checks: { database: "ok", redis: "unreachable" }, failed: ["redis"] });

    startRedis();
    await until(async () => (await ready()).status === 200, 15_000, "ready to answer 200");
    expect((await checkReadiness({ redis, timeoutMs: 1_000 })).checks.redis).toBe("ok");
  });

  it("PostgreSQL unreachable → 503 naming the database; reachable again → 200", async () => {
    const relay = new Relay();
    await relay.open();
    const db = poolProbe(`postgresql://postgres@127.0.0.1:${relay.port}/postgres`);
    try {
      const ready = () => readinessResponse({ database: db.probe, redis: null, timeoutMs: 1_500 });
      expect((await ready()).status).toBe(200);

      await relay.close();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "not_ready", checks: { database: "unreachable", redis: "not_configured" }, failed: ["database"] });

      await relay.open();
      await until(async () => (await ready()).status === 200, 15_000, "ready to answer 200");
    } finally {
      await db.end().catch(() => undefined);
      await relay.close();
    }
  });

  it("an address where nothing listens → 503 (database)", async () => {
    const db = poolProbe("postgresql://postgres@127.0.0.1:1/postgres");
    try {
      const r = await checkReadiness({ database: db.probe, redis: null, timeoutMs: 1_500 });
      expect(r).toEqual({ status: "not_ready", checks: { database: "unreachable", redis: "not_configured" }, failed: ["database"] });
    } finally {
      await db.end().catch(() => undefined);
    }
  });
});
