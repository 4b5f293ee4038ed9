// Per-tenant usage (README "Per-tenant usage"): counters flushed into hourly rows that add up
// across flushes, refusals counted where they happen, storage snapshots matching a direct count,
// and isolation — tenant A's usage never shows B's, a foreign slug looks like a missing tenant,
// support is refused.
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { inTenant } from "../db/doors";
import { runWorker } from "../jobs/queue";
import { admitTenantRequestWith, RateLimitedError } from "../ratelimit/enforce";
import { configureTenantConcurrency, TenantBusyError } from "../tenancy/concurrency";
import { callerFor, rejection, twoTenantWorld, uniq } from "../testing/fixtures";
import { countUsage, flushUsage, hourOf, pendingUsage, resetUsageCounters } from "./counters";
import { storageSnapshotTask, takeStorageSnapshot } from "./storage";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 }); // the owner: direct counts
afterAll(async () => {
  resetUsageCounters();
  await pool.end();
});

const HOUR = 3_600_000;
const T0 = Date.parse("2026-12-06T10:15:00Z");

async function hourly(tenantId: string) {
  const r = await pool.query(
    `SELECT to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24') AS hour, surface, requests::int, rate_limited::int, busy::int
       FROM tenant_usage_hourly WHERE tenant_id = $1 ORDER BY hour, surface`,
    [tenantId],
  );
  return r.rows as Array<{ hour: string; surface: string; requests: number; rate_limited: number; busy: number }>;
}

describe("usage counters", () => {
  let now = T0;
  beforeEach(() => {
    now = T0;
    resetUsageCounters(() => now);
  });

  it("flushes per tenant, hour and surface; a second flush adds to the same rows", async () => {
    const w = await twoTenantWorld();
    for (let i = 0; i < 3; i++) countUsage(w.a.id, "trpc", "requests");
    countUsage(w.a.id, "apiKey", "requests", 2);
    countUsage(w.a.id, "apiKey", "rateLimited");
    countUsage(w.b.id, "public", "requests", 7);
    countUsage(w.b.id, "trpc", "busy");
    await flushUsage();
    expect(await hourly(w.a.id)).toEqual([
      { hour: "2026-12-06T10", surface: "apiKey", requests: 2, rate_limited: 1, busy: 0 },
      { hour: "2026-12-06T10", surface: "trpc", requests: 3, rate_limited: 0, busy: 0 },
    ]);
    expect(await hourly(w.b.id)).toEqual([
      { hour: "2026-12-06T10", surface: "public", requests: 7, rate_limited: 0, busy: 0 },
      { hour: "2026-12-06T10", surface: "trpc", requests: 0, rate_limited: 0, busy: 1 },
    ]);
    expect(pendingUsage(w.a.id, 0).size).toBe(0);

    // Same hour again (another flush, as another instance would): added, not overwritten.
    countUsage(w.a.id, "trpc", "requests", 4);
    // The next hour gets its own row.
    now = T0 + HOUR;
    countUsage(w.a.id, "trpc", "requests");
    await flushUsage();
    expect(await hourly(w.a.id)).toEqual([
      { hour: "2026-12-06T10", surface: "apiKey", requests: 2, rate_limited: 1, busy: 0 },
      { hour: "2026-12-06T10", surface: "trpc", requests: 7, rate_limited: 0, busy: 0 },
      { hour: "2026-12-06T11", surface: "trpc", requests: 1, rate_limited: 0, busy: 0 },
    ]);
    expect(hourOf(T0)).toBe("2026-12-06T10:00:00.000Z");
  });

  it("the hourly rows are under RLS: tenant B's scope sees none of A's", async () => {
    const w = await twoTenantWorld();
    countUsage(w.a.id, "trpc", "requests", 5);
    await flushUsage();
    expect(await inTenant(w.a.id, (s) => s.db.tenantUsageHourly.count({ where: { tenantId: w.a.id } }))).toBe(1);
    expect(await inTenant(w.b.id, (s) => s.db.tenantUsageHourly.count({ where: { tenantId: w.a.id } }))).toBe(0);
    expect(await inTenant(w.b.id, (s) => s.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM tenant_usage_hourly`)).toEqual([{ n: 0n }]);
  });

  it("counts procedure calls by surface and rate-limit refusals where they happen", async () => {
    resetUsageCounters();
    const w = await twoTenantWorld();
    await callerFor(w.ownerA.id).tenant.overview({ tenant: w.a.slug });
    await callerFor(w.ownerA.id).tenant.overview({ tenant: w.a.slug });
    const limit = { requestsPerWindow: 1, windowSeconds: 60, burst: 0 };
    await admitTenantRequestWith(w.a.id, "apiKey", limit);
    await expect(admitTenantRequestWith(w.a.id, "apiKey", limit)).rejects.toBeInstanceOf(RateLimitedError);
    const p = pendingUsage(w.a.id, Date.now() - HOUR);
    expect(p.get("trpc")?.requests).toBe(2);
    expect(p.get("apiKey")?.rateLimited).toBe(1);
    expect(pendingUsage(w.b.id, Date.now() - HOUR).size).toBe(0);
  });

  it("counts a transaction refused for the tenant's pool share as busy, once", async () => {
    resetUsageCounters();
    const w = await twoTenantWorld();
    configureTenantConcurrency({ share: 0.1, poolMax: 10, waitMs: 200 }); // 1 slot
    let release = () => {};
    const opened = new Promise<void>((r) => (release = r));
    try {
      const held = inTenant(w.a.id, () => opened);
      const refused = await inTenant(w.a.id, (s) => s.db.$queryRaw`SELECT 1`).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TenantBusyError);
      release();
      await held;
    } finally {
      release();
      configureTenantConcurrency(null);
    }
    // Outside any request: the refusal's surface is "public" (server/usage/counters.ts currentUsageSurface).
    expect(pendingUsage(w.a.id, Date.now() - HOUR).get("public")).toEqual({ requests: 0, rateLimited: 0, busy: 1 });
  });
});

describe("usage.summary", () => {
  it("shows the tenant's own numbers, never another's; a foreign slug looks like a missing one; support is refused", async () => {
    resetUsageCounters();
    const w = await twoTenantWorld();
    countUsage(w.a.id, "apiKey", "requests", 11);
    countUsage(w.b.id, "apiKey", "requests", 1000);
    countUsage(w.b.id, "public", "rateLimited", 50);
    await flushUsage();
    countUsage(w.a.id, "public", "requests", 3); // not flushed yet: still shown (this instance's)

    const s = await callerFor(w.ownerA.id).usage.summary({ tenant: w.a.slug });
    const bySurface = Object.fromEntries(s.day.surfaces.map((x) => [x.surface, x]));
    expect(bySurface.apiKey!.requests).toBe(11);
    expect(bySurface.public!.requests).toBe(3);
    expect(bySurface.public!.rateLimited).toBe(0);
    // The call itself counts once it finishes: the summary saw at most the earlier calls (none).
    expect(bySurface.trpc!.requests).toBe(0);
    expect(s.month.totals.requests).toBe(14);
    // Provisioning wrote audit events for A (and B): A's count is A's own.
    const direct = await pool.query(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND occurred_at >= now() - interval '24 hours'`, [w.a.id]);
    expect(s.day.auditEvents).toBe(direct.rows[0].n);
    expect(s.day.exports).toBe(0);
    expect(s.storage.snapshot).toBeNull();

    const foreign = await rejection(callerFor(w.ownerA.id).usage.summary({ tenant: w.b.slug }));
    const missing = await rejection(callerFor(w.ownerA.id).usage.summary({ tenant: uniq("missing") }));
    expect(foreign.code).toBe("NOT_FOUND");
    expect(foreign).toEqual(missing);
    expect((await rejection(callerFor(w.supportA.id).usage.summary({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
    expect((await rejection(callerFor(w.supportA.id).usage.refreshStorage({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
    // Security admins may read it.
    const admin = await callerFor(w.admin.id).usage.summary({ tenant: w.a.slug });
    expect(admin.day.surfaces.find((x) => x.surface === "apiKey")!.requests).toBe(11);
  });
});

describe("storage snapshots", () => {
  it("the job's numbers match a direct count; a refresh is queued at most once per 10 minutes", async () => {
    resetUsageCounters();
    const w = await twoTenantWorld();
    expect(await takeStorageSnapshot(w.a.id)).toBe(true);
    // Recent enough: the periodic run skips.
    expect(await takeStorageSnapshot(w.a.id, new Date(), { ifOlderThanMs: 3_600_000 })).toBe(false);

    const s = await callerFor(w.ownerA.id).usage.summary({ tenant: w.a.slug });
    const snap = s.storage.snapshot!;
    expect(snap.takenAt).toBeInstanceOf(Date);
    for (const table of ["memberships", "audit_events", "signing_keys"]) {
      const direct = await pool.query(`SELECT count(*)::int AS n, coalesce(sum(pg_column_size(t.*)), 0)::int AS b FROM ${table} t WHERE tenant_id = $1`, [w.a.id]);
      const got = snap.tables.find((t) => t.table === table)!;
      // The snapshot also contains the rows it wrote itself only for its own table; these are stable.
      expect(got.rows, table).toBe(direct.rows[0].n);
      expect(got.bytes, table).toBe(direct.rows[0].b);
    }
    expect(snap.tables.some((t) => t.rows > 0 && t.bytes > 0)).toBe(true);
    expect(snap.totalRows).toBe(snap.tables.reduce((n, t) => n + t.rows, 0));

    // Refresh: queued through the job queue, a second request within 10 minutes is refused.
    const caller = callerFor(w.ownerA.id);
    await caller.usage.refreshStorage({ tenant: w.a.slug });
    const again = await rejection(caller.usage.refreshStorage({ tenant: w.a.slug }));
    expect(again.code).toBe("TOO_MANY_REQUESTS");
    expect(again.message).toMatch(/less than 10 minutes/);
    // The accepted request is in A's audit trail (once: the refused one changed nothing).
    const refreshes = (await caller.audit.list({ tenant: w.a.slug, actionPrefix: "usage." })).items.filter((e) => e.action === "usage.storage_refresh_requested");
    expect(refreshes).toHaveLength(1);
    expect((await caller.usage.summary({ tenant: w.a.slug })).storage.refreshPendingSince).toBeInstanceOf(Date);
    // B is unaffected by A's limit.
    await callerFor(w.ownerB.id).usage.refreshStorage({ tenant: w.b.slug });

    const worker = await runWorker({ concurrency: 1, pollIntervalMs: 100, tasks: [storageSnapshotTask], pausedRecheckMs: 3_600_000 });
    try {
      const end = Date.now() + 30_000;
      for (;;) {
        const r = await caller.usage.summary({ tenant: w.a.slug });
        if (r.storage.refreshPendingSince === null && r.storage.snapshot!.takenAt! > snap.takenAt!) break;
        if (Date.now() > end) throw new Error("refresh did not complete");
        await new Promise((res) => setTimeout(res, 100));
      }
    } finally {
      await worker.stop();
    }
  });
});
