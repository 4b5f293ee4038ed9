// `npm run bench`: performance benchmarks of the console's data paths. Not run in CI; prints a table
// and writes bench-results/<timestamp>.json.
//
//   npm run bench                       all cases, on a fresh database (created, migrated, dropped)
//   npm run bench -- --only tenant-read one case (comma-separate several); see server/bench/cases/
//
// Environment:
//   BENCH_DATABASE_URL   run on this database instead (migrated with `prisma migrate deploy`, NOT
//                        dropped; the bench adds tenants/users/events prefixed with the run id). The
//                        role must be a superuser or BYPASSRLS (the no-RLS baselines).
//   BENCH_ADMIN_URL      server to create the fresh database on
//                        (default postgresql://postgres@127.0.0.1:5432/postgres)
//   BENCH_KEEP=1         keep the fresh database (its name is printed)
//   BENCH_RUNTIME_PASSWORD  credo_runtime's password for the least-privilege case (default none)
//   BENCH_TENANTS (250)  BENCH_READS (2000)  BENCH_AUDIT_EVENTS (20000)  BENCH_MEMBERSHIPS (2000)
//   BENCH_USERS (200)    BENCH_WARMUP (25)
//   BENCH_PROFILE=target issue 16's target size (10,007 tenants, ~11M audit events, one tenant with
//                        1M; server/bench/profile.ts); explicit variables still win
//
// server/env.ts reads process.env at import time, so nothing under server/ (other than the bench's
// own stats/types) is imported before DATABASE_URL points at the bench database: those are dynamic
// imports below.
import os from "node:os";
import path from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { BenchCase, BenchContext, Row, Sizes } from "./types";
import { applyBenchProfile } from "./profile";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

const DEFAULT_SIZES: Sizes = { tenants: 250, reads: 2000, auditEvents: 20_000, memberships: 2000, users: 200, warmup: 25 };
const SIZE_VARS: Record<keyof Sizes, string> = {
  tenants: "BENCH_TENANTS",
  reads: "BENCH_READS",
  auditEvents: "BENCH_AUDIT_EVENTS",
  memberships: "BENCH_MEMBERSHIPS",
  users: "BENCH_USERS",
  warmup: "BENCH_WARMUP",
};

function readSizes(): Sizes {
  const sizes = { ...DEFAULT_SIZES };
  for (const key of Object.keys(SIZE_VARS) as (keyof Sizes)[]) {
    const raw = process.env[SIZE_VARS[key]];
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    const min = key === "warmup" ? 0 : 1;
    if (!Number.isInteger(value) || value < min) fail(`${SIZE_VARS[key]} must be an integer ≥ ${min} (got "${raw}")`);
    sizes[key] = value;
  }
  return sizes;
}

function parseArgs(argv: string[]): { only: string[] | null } {
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run bench [-- --only <case>[,<case>…]]  (sizes and target: see server/bench/index.ts)");
      process.exit(0);
    } else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      if (!value) fail("--only needs a case name");
      only = [...(only ?? []), ...value.split(",").map((s) => s.trim()).filter(Boolean)];
    } else {
      fail(`unknown argument "${arg}" (try --help)`);
    }
  }
  return { only };
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** 2026-01-31T12:34:56.789Z → 20260131_123456 */
function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "_");
}

const t0 = performance.now();
function log(message: string): void {
  console.error(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const fmtMs = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(3) : x.toFixed(2)) : "-");
const fmtOps = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "-");

function table(rows: readonly Row[]): string {
  const header = ["case", "n", "p50 ms", "p95 ms", "ops/s", "ratio vs baseline", "note"];
  const right = [false, true, true, true, true, true, false];
  const body = rows.map((r) => [
    `${r.case}: ${r.variant}`,
    String(r.summary.n),
    fmtMs(r.summary.p50),
    fmtMs(r.summary.p95),
    fmtOps(r.summary.opsPerSec),
    r.baseline ? "baseline" : r.ratio === null ? "-" : `${r.ratio.toFixed(2)}×`,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const sep = `|${widths.map((w, i) => (right[i] ? `${"-".repeat(w + 1)}:` : `:${"-".repeat(w + 1)}`)).join("|")}|`;
  return [line(header), sep, ...body.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
// perf-data: BENCH_PROFILE=target (server/bench/profile.ts) sets the cases' size variables.
try {
  applyBenchProfile(process.env.BENCH_PROFILE);
} catch (e) {
  fail((e as Error).message);
}
const sizes = readSizes();
const startedAt = new Date();
const runStamp = stamp(startedAt);
const runId = `b${startedAt.getTime().toString(36)}`; // slug-safe, unique per run

const givenUrl = process.env.BENCH_DATABASE_URL || undefined;
const adminUrl = process.env.BENCH_ADMIN_URL || DEFAULT_ADMIN_URL;
const databaseName = givenUrl ? decodeURIComponent(new URL(givenUrl).pathname.slice(1)) : `credo_bench_${runStamp}`;
const databaseUrl = givenUrl ?? withDatabase(adminUrl, databaseName);
const createDatabase = !givenUrl;
const keep = process.env.BENCH_KEEP === "1";

// Before ANY server module is imported (server/env.ts snapshots process.env).
process.env.DATABASE_URL = databaseUrl;

const { CASES } = await import("./cases/index");
let selected: readonly BenchCase[] = CASES;
if (args.only) {
  const unknown = args.only.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown.length) fail(`unknown case ${unknown.join(", ")}; cases: ${CASES.map((c) => c.name).join(", ")}`);
  selected = CASES.filter((c) => args.only!.includes(c.name));
}

let ownerPool: pg.Pool | null = null;
let created = false;
let cleaning: Promise<void> | null = null;
let interrupted = false;

/**
 * Idempotent: closes everything the cases may have opened — the cache invalidation
 * bus's LISTEN connection, the export's COPY pool, the Redis client, Prisma's and the owner's pools — so that the process
 * ends by itself; then drops the fresh database (unless BENCH_KEEP=1).
 */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const { invalidationBus } = await import("../cache/invalidation");
    await invalidationBus().stop().catch((e: unknown) => console.error("bench: invalidation bus stop failed:", e));
    const { closeCopyDoor } = await import("../db/copy-door");
    await closeCopyDoor().catch((e: unknown) => console.error("bench: copy pool close failed:", e));
    const { closeRedis } = await import("../redis");
    await closeRedis().catch((e: unknown) => console.error("bench: redis close failed:", e));
    const { disconnectPrisma } = await import("../db/client");
    await disconnectPrisma().catch((e: unknown) => console.error("bench: prisma disconnect failed:", e));
    await ownerPool?.end().catch((e: unknown) => console.error("bench: pool close failed:", e));
    if (!created) return;
    if (keep) {
      console.error(`bench: kept database ${databaseName} (BENCH_KEEP=1): ${redact(databaseUrl)}`);
      return;
    }
    const admin = new pg.Client({ connectionString: adminUrl });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      log(`dropped database ${databaseName}`);
    } catch (e) {
      console.error(`bench: could not drop database ${databaseName}:`, e);
    } finally {
      await admin.end().catch(() => {});
    }
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\nbench: ${signal}, cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  if (createDatabase) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${databaseName}"`);
      created = true;
    } finally {
      await admin.end();
    }
    log(`created database ${databaseName}`);
  }
  const { migrateDatabase } = await import("../db/migrate");
  await migrateDatabase(databaseUrl);
  log("migrated (prisma migrate deploy)");

  ownerPool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // pool.end() resolves once its clients are told to close, not once they have: the cleanup's
  // DROP DATABASE … WITH (FORCE) can reach a backend still closing, whose FATAL then arrives as an
  // idle client's error. Without a listener that would end the process before the drop is logged.
  ownerPool.on("error", () => undefined);
  const { rows: info } = await ownerPool.query<{ version: string; server_version: string; who: string }>(
    "SELECT version() AS version, current_setting('server_version') AS server_version, current_user AS who",
  );
  const db = info[0]!;

  const cpus = os.cpus();
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    /** 1-minute load average at the start: above the CPU count, other work skews the numbers. */
    loadAverage: Number(os.loadavg()[0]!.toFixed(2)),
  };
  const header = [
    `Credo Console bench — ${startedAt.toISOString()} (run ${runId})`,
    `machine   node ${machine.node} · ${machine.platform} · ${machine.cpus} CPUs (${machine.cpuModel}) · ${machine.memoryGiB} GiB · load ${machine.loadAverage}`,
    `database  PostgreSQL ${db.server_version} · ${databaseName} as ${db.who} · ` +
      (createDatabase ? (keep ? "fresh, kept (BENCH_KEEP=1)" : "fresh, dropped at the end") : "BENCH_DATABASE_URL, not dropped"),
    `sizes     ${(Object.keys(SIZE_VARS) as (keyof Sizes)[]).map((k) => `${SIZE_VARS[k]}=${sizes[k]}`).join(" ")}`,
    `cases     ${selected.map((c) => c.name).join(", ")} (sequential calls; the paths of a case interleaved; ratio = p50 / baseline p50)`,
  ];

  const rows: Row[] = [];
  const details: { title: string; lines: string[] }[] = [];
  const ctx: BenchContext = {
    sizes,
    runId,
    ownerPool,
    log,
    detail: (title, lines) => details.push({ title, lines }),
  };
  const timings: Record<string, number> = {};
  for (const c of selected) {
    log(`case ${c.name}`);
    const start = performance.now();
    rows.push(...(await c.run(ctx)));
    timings[c.name] = Math.round(performance.now() - start);
  }

  console.log("");
  console.log(header.join("\n"));
  console.log("");
  console.log(table(rows));
  for (const d of details) {
    console.log(`\n${d.title}`);
    for (const l of d.lines) console.log(`  ${l}`);
  }

  const finishedAt = new Date();
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    runId,
    machine,
    database: {
      serverVersion: db.server_version,
      version: db.version,
      name: databaseName,
      url: redact(databaseUrl),
      user: db.who,
      fresh: createDatabase,
      kept: createDatabase ? keep : true,
    },
    sizes,
    cases: selected.map((c) => ({ name: c.name, title: c.title, durationMs: timings[c.name] })),
    rows: rows.map((r) => ({
      case: r.case,
      variant: r.variant,
      baseline: r.baseline,
      ratio: r.ratio,
      note: r.note,
      n: r.summary.n,
      p50Ms: r.summary.p50,
      p95Ms: r.summary.p95,
      p99Ms: r.summary.p99,
      meanMs: r.summary.mean,
      minMs: r.summary.min,
      maxMs: r.summary.max,
      opsPerSec: r.summary.opsPerSec,
    })),
    details,
  };
  const outDir = path.join(REPO_ROOT, "bench-results");
  await mkdir(outDir, { recursive: true });
  const outFile = path.join(outDir, `${runStamp}.json`);
  await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(process.cwd(), outFile)} (${((performance.now() - t0) / 1000).toFixed(1)} s total)`);
} catch (e) {
  // After a signal the in-flight query fails because cleanup closed its pool: not worth a trace.
  if (!interrupted) console.error("bench failed:", e);
  process.exitCode = 1;
} finally {
  await cleanup();
  reportLingering();
}

/**
 * After cleanup nothing should keep the event loop alive. If something still does (a case that
 * opened a connection or timer of its own), name it and end the process anyway, so that
 * `npm run bench` always returns.
 */
function reportLingering(): void {
  const watchdog = setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((r) => r !== "Timeout");
    console.error(`bench: still open after cleanup (${open.join(", ") || "timers"}); exiting`);
    process.exit(process.exitCode ?? 0);
  }, 5_000);
  watchdog.unref();
}
