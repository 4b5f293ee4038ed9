// Case "audit": the audit viewer and exports at scale.
//
//   viewer   p95 of one filtered page (50 events) through the door (inTenant + listAuditEvents, RLS)
//            against the same SELECT in raw pg, for two filter sets: action prefix + time range
//            (index-friendly) and free text (ILIKE over action/target). Random tenants each call.
//            Each filter also through the read door (readInTenant: BEGIN READ ONLY with the first
//            read, no Prisma transaction, COMMIT not waited for), as the console's own reads open it.
//   export   runAuditExport of one big tenant, CSV and JSONL (keyset pages → csv/jsonl → gzip →
//            SHA-256 → file, manifest signed; through COPY, and CSV also on the paged path) against
//            `COPY (SELECT … ORDER BY id) TO STDOUT` of the same rows as the owner (raw, and piped
//            through gzip); throughput and each run's own RSS growth.
//
// Seeding is raw SQL as the owner (generate_series; chain columns filled with placeholder hashes:
// nothing here verifies the chain), timed and reported. Sizes (environment):
//   BENCH_AUDIT_TENANTS        (100)     tenants sharing the viewer's events
//   BENCH_AUDIT_VIEW_EVENTS    (200000)  events spread round-robin over those tenants
//   BENCH_AUDIT_EXPORT_EVENTS  (100000)  events of the one exported tenant
//   BENCH_AUDIT_VIEW_READS     (400)     measured viewer reads per path (+ BENCH_WARMUP)
//   BENCH_AUDIT_EXPORT_RUNS    (2)       runs of each export path
// The full size: BENCH_AUDIT_TENANTS=1000 BENCH_AUDIT_VIEW_EVENTS=10000000
// BENCH_AUDIT_EXPORT_EVENTS=1000000 (seeding takes minutes: see the "data" detail it prints).
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { to as copyTo } from "pg-copy-streams";
import { inTenant, onPlatform, readInTenant } from "../../db/doors";
import { platformAuditPage } from "../../audit/platform-view";
import { listAuditEvents, type AuditFilters } from "../../audit/repository";
import { runAuditExport } from "../../audit/export/pipeline";
import { exportCompression } from "../../audit/export/compress";
import { exportFilePath, tenantExportDir } from "../../audit/export/files";
import { tenantIdFromDatabase, type TenantId } from "../../tenancy/tenant-id";
import { measureInterleaved, seededRandom, summarize, type Iteration } from "../stats";
import { row, type BenchCase, type BenchContext, type Row } from "../types";

const TITLE_VIEW = "audit viewer (filtered page)";
const TITLE_EXPORT = "audit export";
const PAGE = 50;

function size(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return v;
}

const COLUMNS = [
  "tenant_id", "id", "occurred_at", "actor_type", "actor_id", "actor_label", "action", "target_type",
  "target_id", "outcome", "before", "after", "ip", "user_agent", "request_id", "seq", "hash",
].map((c) => `"${c}"`).join(", ");
/**
 * An export's columns: the viewer's plus prev_hash (the export carries both chain hashes so a
 * segment verifies on its own). The raw COPY baseline exports the same data.
 */
const EXPORT_COLUMNS = COLUMNS.replace(', "hash"', ', "prev_hash", "hash"');

export const auditCase: BenchCase = {
  name: "audit",
  title: "audit viewer and export",
  async run(ctx) {
    const sizes = {
      tenants: size("BENCH_AUDIT_TENANTS", 100),
      viewEvents: size("BENCH_AUDIT_VIEW_EVENTS", 200_000),
      exportEvents: size("BENCH_AUDIT_EXPORT_EVENTS", 100_000),
      reads: size("BENCH_AUDIT_VIEW_READS", 400),
      exportRuns: size("BENCH_AUDIT_EXPORT_RUNS", 2),
    };
    const { viewTenants, exportTenant } = await seed(ctx, sizes);
    return [
      ...(await viewer(ctx, viewTenants, exportTenant, sizes.reads)),
      ...(await platformView(ctx, Math.max(20, Math.round(sizes.reads / 10)))),
      ...(await exports(ctx, exportTenant, sizes.exportEvents, sizes.exportRuns)),
    ];
  },
};

async function seed(ctx: BenchContext, s: { tenants: number; viewEvents: number; exportEvents: number }) {
  const { runId } = ctx;
  const t0 = performance.now();
  const { rows: tenantRows } = await ctx.ownerPool.query<{ id: string }>(
    `INSERT INTO tenants (slug, name) SELECT $1 || '-audit-' || g, 'Bench audit tenant ' || g FROM generate_series(0, $2::int) g RETURNING id`,
    [runId, s.tenants],
  );
  const ids = tenantRows.map((r) => r.id);
  const exportTenant = ids[0]!;
  const viewIds = ids.slice(1);
  // One INSERT per chunk, so progress shows and no statement holds the whole table.
  const CHUNK = 250_000;
  // Triggers off while seeding (session_replication_role = replica, owner = superuser): the regulated
  // stamp (one policy lookup per row) and the foreign-key checks cost more than the insert itself;
  // these tenants are not regulated (the column's default) and every tenant id exists.
  const insert = async (label: string, total: number, sql: string, params: (chunkFrom: number, chunkTo: number) => unknown[]) => {
    for (let from = 1; from <= total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK - 1);
      const client = await ctx.ownerPool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SET LOCAL session_replication_role = replica");
        await client.query(sql, params(from, to));
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
      ctx.log(`seeded ${label}: ${to.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
    }
  };
  // Viewer tenants: round-robin, so ids of one tenant interleave with the others' (as in real use);
  // seq = position in its own tenant's chain.
  await insert(
    "viewer events",
    s.viewEvents,
    `INSERT INTO audit_events (tenant_id, seq, prev_hash, hash, occurred_at, actor_type, actor_id, actor_label, action, target_type,
                               target_id, before, after, ip, user_agent, request_id)
     SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])], 1 + g / cardinality($1::uuid[]),
            decode(md5('p' || g) || md5('q' || g), 'hex'), decode(md5('h' || g) || md5('i' || g), 'hex'),
            now() - make_interval(secs => ($2::int - g) * 30),
            'user', gen_random_uuid()::text, 'operator' || (g % 97) || '@bench.invalid',
            (ARRAY['member.added', 'member.removed', 'client.created', 'client.updated', 'signing_key.rotated', 'policy.saved'])[1 + g % 6],
            (ARRAY['membership', 'membership', 'oauth_client', 'oauth_client', 'signing_key', 'policy'])[1 + g % 6], 'target-' || (g % 5000),
            CASE WHEN g % 3 = 0 THEN jsonb_build_object('role', 'owner', 'name', 'Before ' || g) END,
            jsonb_build_object('role', 'support', 'name', 'After ' || g, 'expiresAt', now() + interval '30 days'),
            '10.0.' || (g % 250) || '.' || (g % 200), 'Mozilla/5.0 (bench)', 'req-' || g
       FROM generate_series($3::int, $4::int) g`,
    (from, to) => [viewIds, s.viewEvents, from, to],
  );
  await insert(
    "export tenant events",
    s.exportEvents,
    `INSERT INTO audit_events (tenant_id, seq, prev_hash, hash, occurred_at, actor_type, actor_id, actor_label, action, target_type,
                               target_id, before, after, ip, user_agent, request_id)
     SELECT $1::uuid, g, decode(md5('p' || g) || md5('q' || g), 'hex'), decode(md5('h' || g) || md5('i' || g), 'hex'),
            now() - make_interval(secs => ($2::int - g) * 5),
            'user', gen_random_uuid()::text, 'operator' || (g % 97) || '@bench.invalid',
            (ARRAY['member.added', 'client.updated', 'signing_key.rotated', 'policy.saved'])[1 + g % 4], 'thing', 'target-' || g,
            CASE WHEN g % 3 = 0 THEN jsonb_build_object('role', 'owner', 'name', 'Before ' || g) END,
            jsonb_build_object('role', 'support', 'name', 'After, "quoted" ' || g, 'n', g),
            '10.0.' || (g % 250) || '.' || (g % 200), 'Mozilla/5.0 (bench)', 'req-' || g
       FROM generate_series($3::int, $4::int) g`,
    (from, to) => [exportTenant, s.exportEvents, from, to],
  );
  await ctx.ownerPool.query(
    `INSERT INTO audit_chain_heads (tenant_id, seq, head_hash)
     SELECT tenant_id, max(seq), decode(repeat('00', 32), 'hex') FROM audit_events WHERE tenant_id = ANY($1::uuid[]) GROUP BY tenant_id
     ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq`,
    [ids],
  );
  await ctx.ownerPool.query("ANALYZE tenants, audit_events, audit_chain_heads");
  const seconds = (performance.now() - t0) / 1000;
  const total = s.viewEvents + s.exportEvents;
  ctx.detail("audit: data", [
    `seeded ${total.toLocaleString("en-US")} events in ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString("en-US")} rows/s, raw SQL generate_series in ${CHUNK.toLocaleString("en-US")}-row statements, + ANALYZE)`,
    `viewer: ${viewIds.length} tenants × ~${Math.round(s.viewEvents / viewIds.length).toLocaleString("en-US")} events; export: 1 tenant × ${s.exportEvents.toLocaleString("en-US")} events`,
  ]);
  return { viewTenants: viewIds.map(tenantIdFromDatabase), exportTenant: tenantIdFromDatabase(exportTenant) };
}

/** Prisma's SQL for the same filters, written out for pg (LIKE/ILIKE patterns as Prisma escapes them). */
const RAW = {
  prefixRange: `SELECT ${COLUMNS} FROM audit_events WHERE tenant_id = $1 AND occurred_at >= $2 AND action LIKE $3 ORDER BY id DESC LIMIT ${PAGE + 1}`,
  text: `SELECT ${COLUMNS} FROM audit_events WHERE tenant_id = $1 AND (action ILIKE $2 OR target_type ILIKE $2 OR target_id ILIKE $2) ORDER BY id DESC LIMIT ${PAGE + 1}`,
};

async function viewer(ctx: BenchContext, tenants: TenantId[], bigTenant: TenantId, n: number): Promise<Row[]> {
  const warmup = ctx.sizes.warmup;
  const rand = seededRandom(0xa0d17);
  const pick = Array.from({ length: warmup + n }, () => tenants[Math.floor(rand() * tenants.length)]!);
  const at = (i: number, w: boolean) => pick[w ? i : warmup + i]!;
  const since = new Date(Date.now() - 7 * 86_400_000);
  const filterSets: { key: "prefixRange" | "text"; label: string; filters: AuditFilters; params: (t: TenantId) => unknown[]; only?: TenantId }[] = [
    { key: "prefixRange", label: "action prefix + last 7 days", filters: { actionPrefix: "client.", from: since }, params: (t) => [t, since, "client.%"] },
    { key: "text", label: "free text", filters: { text: "target-42" }, params: (t) => [t, "%target-42%"] },
    // The hard case: a rare term in the one big tenant (the export tenant's events), where
    // a walk of the tenant's history finds few matches and the trigram index must do the work.
    { key: "text", label: "free text, big tenant, rare term", filters: { text: "target-4242" }, params: (t) => [t, "%target-4242%"], only: bigTenant },
  ];
  const rows: Row[] = [];
  const lines: string[] = [];
  for (const f of filterSets) {
    const door = (t: TenantId) => inTenant(f.only ?? t, (scope) => listAuditEvents(scope, { ...f.filters, limit: PAGE }));
    const read = (t: TenantId) => readInTenant(f.only ?? t, (scope) => listAuditEvents(scope, { ...f.filters, limit: PAGE }));
    const sql = (t: TenantId) => ctx.ownerPool.query(RAW[f.key], f.params(f.only ?? t));
    // Same events both ways, or the comparison means nothing.
    const a = (await door(at(0, false))).items.map((e) => String(e.id));
    const b = (await sql(at(0, false))).rows.slice(0, PAGE).map((r: { id: string }) => String(r.id));
    if (a.join() !== b.join()) throw new Error(`audit viewer sanity check failed (${f.label}): door ${a.length} rows, sql ${b.length}`);
    ctx.log(`viewer (${f.label}): ${n} reads per path, interleaved (+${warmup} warmup)`);
    const c = (await read(at(0, false))).items.map((e) => String(e.id));
    if (c.join() !== b.join()) throw new Error(`audit viewer sanity check failed (${f.label}): read door ${c.length} rows, sql ${b.length}`);
    const paths: Record<string, (it: Iteration) => Promise<unknown>> = {
      door: ({ i, warmup: w }) => door(at(i, w)),
      read: ({ i, warmup: w }) => read(at(i, w)),
      sql: ({ i, warmup: w }) => sql(at(i, w)),
    };
    const measured = await measureInterleaved(paths, { n, warmup });
    const r = { door: measured.door!, read: measured.read!, sql: measured.sql! };
    rows.push(row(TITLE_VIEW, `${f.label}: inTenant + listAuditEvents`, r.door, { baseline: r.sql, note: `p95 ratio ${(r.door.p95 / r.sql.p95).toFixed(2)}×` }));
    rows.push(row(TITLE_VIEW, `${f.label}: readInTenant + listAuditEvents`, r.read, { baseline: r.sql, note: `p95 ratio ${(r.read.p95 / r.sql.p95).toFixed(2)}×` }));
    rows.push(row(TITLE_VIEW, `${f.label}: raw pg (baseline)`, r.sql, { isBaseline: true, note: `same WHERE … LIMIT ${PAGE + 1}` }));
    lines.push(`${f.label}: p95 door ${r.door.p95.toFixed(2)} ms vs raw ${r.sql.p95.toFixed(2)} ms → ${(r.door.p95 / r.sql.p95).toFixed(2)}× (p50 ${(r.door.p50 / r.sql.p50).toFixed(2)}×)`);
    lines.push(`${f.label}, read door: p95 ${r.read.p95.toFixed(2)} ms → ${(r.read.p95 / r.sql.p95).toFixed(2)}× (p50 ${(r.read.p50 / r.sql.p50).toFixed(2)}×)`);
  }
  ctx.detail("audit viewer: p95 ratios (door / raw SQL)", lines);
  return rows;
}

/**
 * The security admins' cross-tenant page (platform_audit_feed: audit_events_id_idx backwards, regulated
 * and deleted tenants skipped, plus the regulated totals) against the plain global query as the
 * owner on the same index.
 */
async function platformView(ctx: BenchContext, n: number): Promise<Row[]> {
  const { rows: t } = await ctx.ownerPool.query<{ n: number }>("SELECT count(*)::int AS n FROM tenants");
  const door = () => onPlatform((db) => platformAuditPage(db, { limit: PAGE }));
  const sql = () => ctx.ownerPool.query(`SELECT ${COLUMNS} FROM audit_events ORDER BY id DESC LIMIT ${PAGE + 1}`);
  ctx.log(`platform view: ${n} first pages per path across ${t[0]!.n} tenants`);
  const r = await measureInterleaved({ door: () => door(), sql: () => sql() }, { n, warmup: Math.min(ctx.sizes.warmup, 5) });
  ctx.detail("audit platform view", [
    `${t[0]!.n} tenants: p95 platform_audit_feed ${r.door.p95.toFixed(1)} ms vs global ORDER BY id (no RLS) ${r.sql.p95.toFixed(1)} ms`,
  ]);
  return [
    row("audit platform view (first page)", "platform.audit.tenantEvents (one indexed query as credo_audit_feed, regulated skipped)", r.door, { baseline: r.sql, note: `${t[0]!.n} tenants` }),
    row("audit platform view (first page)", "raw pg global ORDER BY id (baseline, no RLS)", r.sql, { isBaseline: true, note: "owner, audit_events_id_idx" }),
  ];
}

/** Samples the process's RSS every 20 ms while fn runs; returns fn's result and the peak. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number; before: number }> {
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peak, before };
  } finally {
    clearInterval(timer);
  }
}

const MiB = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

async function exports(ctx: BenchContext, tenant: TenantId, events: number, runs: number): Promise<Row[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "credo-bench-copy-"));
  const copySql = `COPY (SELECT ${EXPORT_COLUMNS} FROM audit_events WHERE tenant_id = '${tenant}' ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`;
  const copy = async (gzip: boolean) => {
    const client = await ctx.ownerPool.connect();
    try {
      const source = client.query(copyTo(copySql));
      let bytes = 0;
      if (gzip) {
        const file = path.join(dir, "copy.csv.gz");
        await pipeline([source, ...exportCompression(), createWriteStream(file)]);
        bytes = (await stat(file)).size;
      } else {
        await pipeline(source, new Writable({ write: (chunk: Buffer, _e, done) => ((bytes += chunk.length), done()) }));
      }
      return bytes;
    } finally {
      client.release();
    }
  };
  const exportOnce = async (format: "csv" | "jsonl", via: "copy" | "pages") => {
    const { rows } = await ctx.ownerPool.query<{ id: string }>(
      `INSERT INTO audit_exports (tenant_id, status, format, filters, requested_by_type, requested_by_label, expires_at)
       VALUES ($1, 'queued', $2, '{"from":null,"to":null,"actor":null,"actionPrefix":null,"targetType":null,"targetId":null,"outcome":null,"text":null}', 'system', 'bench', now() + interval '1 day')
       RETURNING id`,
      [tenant, format],
    );
    const id = rows[0]!.id;
    const r = await runAuditExport(tenant, id, { via });
    // (Each export appends one audit.export_completed event to the tenant: later runs see a few more.)
    if (r.outcome !== "done" || r.rows < events) throw new Error(`audit export bench: ${r.outcome}, ${r.rows} rows (expected ${events})`);
    await rm(exportFilePath(tenant, id, format), { force: true });
    return r.bytes;
  };

  type Path = { key: string; label: string; run: () => Promise<number>; baseline?: boolean };
  const paths: Path[] = [
    { key: "copy", label: "COPY … TO STDOUT (csv, baseline)", run: () => copy(false), baseline: true },
    { key: "copyGzip", label: "COPY … TO STDOUT | gzip → file", run: () => copy(true) },
    { key: "csv", label: "runAuditExport csv (COPY as credo_app under RLS → CRLF → gzip → sha256 → file, signed)", run: () => exportOnce("csv", "copy") },
    { key: "jsonl", label: "runAuditExport jsonl (COPY)", run: () => exportOnce("jsonl", "copy") },
    { key: "csvPages", label: "runAuditExport csv, paged path (embedded PGlite, field filters)", run: () => exportOnce("csv", "pages") },
  ];
  const samples: Record<string, number[]> = {};
  const bytes: Record<string, number> = {};
  const peaks: Record<string, number> = {};
  let baseRss = Infinity;
  for (let r = 0; r < runs; r++) {
    // Rotate the order each run so caches and background load hit every path alike.
    for (let j = 0; j < paths.length; j++) {
      const p = paths[(r + j) % paths.length]!;
      ctx.log(`export (${events.toLocaleString("en-US")} events), run ${r + 1}/${runs}: ${p.label}`);
      const t0 = performance.now();
      const m = await withPeakRss(p.run);
      (samples[p.key] ??= []).push(performance.now() - t0);
      bytes[p.key] = m.value;
      // The path's own growth over the RSS it started from (not the whole process's peak).
      peaks[p.key] = Math.max(peaks[p.key] ?? 0, m.peak - m.before);
      baseRss = Math.min(baseRss, m.before);
    }
  }
  await rm(dir, { recursive: true, force: true });
  await rm(tenantExportDir(tenant), { recursive: true, force: true });
  const summary = Object.fromEntries(paths.map((p) => [p.key, summarize(samples[p.key]!, samples[p.key]!.reduce((s, x) => s + x, 0))]));
  const rowsPerSec = (k: string) => events / (summary[k]!.p50 / 1000);
  const base = summary.copy!;
  const lines = paths.map(
    (p) =>
      `${p.label}: ${Math.round(rowsPerSec(p.key)).toLocaleString("en-US")} rows/s (p50 ${(summary[p.key]!.p50 / 1000).toFixed(2)} s, ` +
      `${(bytes[p.key]! / 1024 / 1024).toFixed(1)} MiB out), RSS growth ${MiB(peaks[p.key]!)}`,
  );
  lines.push(
    `throughput export / COPY: csv ${(base.p50 / summary.csv!.p50).toFixed(2)}×, jsonl ${(base.p50 / summary.jsonl!.p50).toFixed(2)}×, ` +
      `paged csv ${(base.p50 / summary.csvPages!.p50).toFixed(2)}×; csv vs COPY | gzip: ${(summary.copyGzip!.p50 / summary.csv!.p50).toFixed(2)}×`,
  );
  lines.push(`process RSS before the export runs: ${MiB(baseRss)}; "RSS growth" = peak during a run − RSS at its start`);
  ctx.detail(`audit export: ${events.toLocaleString("en-US")} events`, lines);
  return paths.map((p) =>
    row(TITLE_EXPORT, p.label, summary[p.key]!, {
      ...(p.baseline ? { isBaseline: true } : { baseline: base }),
      note: `${Math.round(rowsPerSec(p.key)).toLocaleString("en-US")} rows/s, RSS +${MiB(peaks[p.key]!)}`,
    }),
  );
}
