// Case "purge": the tenant purge (server/deletion/purge.ts: one tenant transaction per batch through
// the door, the purge function, a checkpoint per batch) on a tenant with many audit events plus its
// configuration rows, against a raw batched DELETE of the same rows as the owner (same order, same
// batch size, autocommit) — and another tenant's read p95 (latest 50 audit events, through the
// door) while a purge runs vs idle.
//
//   BENCH_PURGE_EVENTS (200000)  audit events of each purged tenant (the issue's figure is 1M:
//                                 BENCH_PURGE_EVENTS=1000000 takes a few minutes on 2 cores)
//   BENCH_PURGE_BATCH (1000)     rows per batch
import { performance } from "node:perf_hooks";
import { inTenant } from "../../db/doors";
import { listAuditEvents } from "../../audit/repository";
import { provisionTenant } from "../../tenants/provisioning";
import { SYSTEM_ACTOR } from "../../audit/record";
import { PURGE_STEPS } from "../../deletion/plan";
import { runPurge } from "../../deletion/purge";
import type { TenantId } from "../../tenancy/tenant-id";
import { summarize, type Summary } from "../stats";
import { row, type BenchCase, type BenchContext } from "../types";

const TITLE = "tenant purge";

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name] ?? "");
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** A tenant with `events` audit events and some configuration rows (clients, keys, members). */
async function seedTenant(ctx: BenchContext, label: string, events: number): Promise<TenantId> {
  const t = await provisionTenant({ slug: `${ctx.runId}-purge-${label}`, name: `Purge ${label}` }, SYSTEM_ACTOR, null);
  const pool = ctx.ownerPool;
  // Triggers off for the bulk insert (owner = superuser): the per-row regulated stamp and FK checks
  // would dominate seeding; the tenant exists and is not regulated.
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query(
      `INSERT INTO audit_events (tenant_id, actor_type, action, target_type, target_id, after, occurred_at)
       SELECT $1, 'system', 'bench.event', 'bench', g::text, jsonb_build_object('n', g, 'note', repeat('x', 64)), now() - make_interval(secs => g)
         FROM generate_series(1, $2::int) g`,
      [t.id, events],
    );
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  await pool.query(
    `INSERT INTO workspaces (tenant_id, slug, name) SELECT $1, 'ws-' || g, 'Workspace ' || g FROM generate_series(1, 50) g`,
    [t.id],
  );
  await pool.query(
    `INSERT INTO oauth_clients (tenant_id, client_id, name, type, grant_types, redirect_uris, post_logout_redirect_uris, allowed_origins, created_by_label)
     SELECT $1::uuid, substr(md5($1::text || g), 1, 24), 'Client ' || g, 'web', ARRAY['authorization_code'], ARRAY[]::varchar[], ARRAY[]::varchar[], ARRAY[]::varchar[], 'bench'
       FROM generate_series(1, 200) g`,
    [t.id],
  );
  await pool.query(
    `INSERT INTO global_identifiers (kind, value, owner_tenant_id) SELECT 'oauth.client_id', client_id, tenant_id FROM oauth_clients WHERE tenant_id = $1`,
    [t.id],
  );
  await pool.query(`ANALYZE audit_events`);
  return t.id;
}

/** Puts the tenant where the purge starts: pending deletion, grace over. */
async function markDue(ctx: BenchContext, tenantId: string): Promise<string> {
  await ctx.ownerPool.query(`UPDATE tenants SET status = 'pending_deletion', deletion_requested_at = now() WHERE id = $1`, [tenantId]);
  const r = await ctx.ownerPool.query<{ id: string }>(
    `INSERT INTO tenant_deletions (target_tenant_id, tenant_slug, status, reason, requested_by_label, requested_at, grace_days, purge_after, requested_counts)
     SELECT id, slug, 'pending', 'bench', 'bench', now(), 0, now(), '{}' FROM tenants WHERE id = $1 RETURNING id`,
    [tenantId],
  );
  return r.rows[0]!.id;
}

async function timedPurge(
  ctx: BenchContext,
  tenantId: TenantId,
  batch: number,
): Promise<{ totalMs: number; batches: number[]; rows: number; perStep: Map<string, { batches: number; ms: number }> }> {
  const deletionId = await markDue(ctx, tenantId);
  const batches: number[] = [];
  const perStep = new Map<string, { batches: number; ms: number }>();
  let last = performance.now();
  const start = last;
  const outcome = await runPurge({
    deletionId,
    tenantId,
    batchSize: batch,
    hooks: {
      afterBatch: (step) => {
        const now = performance.now();
        batches.push(now - last);
        const s = perStep.get(step.id) ?? { batches: 0, ms: 0 };
        perStep.set(step.id, { batches: s.batches + 1, ms: s.ms + now - last });
        last = now;
      },
    },
  });
  const totalMs = performance.now() - start;
  if (outcome.outcome !== "completed") throw new Error(`bench purge ended ${outcome.outcome}`);
  const d = await ctx.ownerPool.query<{ c: Record<string, number> }>(`SELECT deleted_counts AS c FROM tenant_deletions WHERE id = $1`, [deletionId]);
  const rows = Object.entries(d.rows[0]!.c)
    .filter(([k]) => !["redis_keys", "export_files", "crypto_shredded_data_keys"].includes(k))
    .reduce((s, [, n]) => s + Number(n), 0);
  return { totalMs, batches, rows, perStep };
}

/** The baseline: the same tables in the same order, batched DELETE as the owner, autocommit. */
async function rawPurge(ctx: BenchContext, tenantId: string, batch: number): Promise<{ totalMs: number; batches: number[]; rows: number }> {
  const batches: number[] = [];
  let rows = 0;
  const start = performance.now();
  const tables = PURGE_STEPS.flatMap((s) => (s.table ? [s.table] : []));
  for (const table of tables) {
    const exists = await ctx.ownerPool.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [`public.${table}`]);
    if (!exists.rows[0]!.ok) continue;
    for (;;) {
      const t0 = performance.now();
      const r = await ctx.ownerPool.query(
        `DELETE FROM "${table}" WHERE tenant_id = $1 AND ctid = ANY (ARRAY(SELECT ctid FROM "${table}" WHERE tenant_id = $1 LIMIT $2))`,
        [tenantId, batch],
      );
      batches.push(performance.now() - t0);
      rows += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < batch) break;
    }
  }
  for (;;) {
    const t0 = performance.now();
    const r = await ctx.ownerPool.query(
      `DELETE FROM global_identifiers WHERE (kind, value) IN (SELECT kind, value FROM global_identifiers WHERE owner_tenant_id = $1 LIMIT $2)`,
      [tenantId, batch],
    );
    batches.push(performance.now() - t0);
    rows += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batch) break;
  }
  return { totalMs: performance.now() - start, batches, rows };
}

async function readLoop(reader: TenantId, until: () => boolean, minReads: number): Promise<number[]> {
  const samples: number[] = [];
  while (!until() || samples.length < minReads) {
    const t0 = performance.now();
    await inTenant(reader, (scope) => listAuditEvents(scope, { limit: 50 }));
    samples.push(performance.now() - t0);
    if (samples.length >= 100_000) break;
  }
  return samples;
}

export const purgeCase: BenchCase = {
  name: "purge",
  title: TITLE,
  async run(ctx) {
    const events = envInt("BENCH_PURGE_EVENTS", 200_000);
    const batch = envInt("BENCH_PURGE_BATCH", 1000);
    ctx.log(`purge: seeding 3 tenants × ${events} audit events + configuration rows, and a reader tenant`);
    const viaDoor = await seedTenant(ctx, "door", events);
    const viaRaw = await seedTenant(ctx, "raw", events);
    const underLoad = await seedTenant(ctx, "load", events);
    const reader = await seedTenant(ctx, "reader", 5_000);

    ctx.log("purge: purge through the door vs raw batched DELETE");
    const door = await timedPurge(ctx, viaDoor, batch);
    const raw = await rawPurge(ctx, viaRaw, batch);

    ctx.log("purge: another tenant's reads, idle then during a purge");
    const idleReads = ctx.sizes.reads;
    const idleStart = performance.now();
    const idle: number[] = [];
    for (let i = 0; i < ctx.sizes.warmup; i++) await inTenant(reader, (scope) => listAuditEvents(scope, { limit: 50 }));
    for (let i = 0; i < idleReads; i++) {
      const t0 = performance.now();
      await inTenant(reader, (scope) => listAuditEvents(scope, { limit: 50 }));
      idle.push(performance.now() - t0);
    }
    const idleSummary = summarize(idle, performance.now() - idleStart);
    let purging = true;
    const loadStart = performance.now();
    const [, loaded] = await Promise.all([
      timedPurge(ctx, underLoad, batch).finally(() => (purging = false)),
      readLoop(reader, () => !purging, 50),
    ]);
    const loadSummary = summarize(loaded, performance.now() - loadStart);

    const doorSummary: Summary = summarize(door.batches, door.totalMs);
    const rawSummary: Summary = summarize(raw.batches, raw.totalMs);
    const doorRowsPerSec = door.rows / (door.totalMs / 1000);
    const rawRowsPerSec = raw.rows / (raw.totalMs / 1000);
    ctx.detail("tenant purge: throughput and isolation", [
      `purge (door, checkpointed): ${door.rows} rows in ${(door.totalMs / 1000).toFixed(2)} s = ${doorRowsPerSec.toFixed(0)} rows/s, ${door.batches.length} batches`,
      `raw batched DELETE:          ${raw.rows} rows in ${(raw.totalMs / 1000).toFixed(2)} s = ${rawRowsPerSec.toFixed(0)} rows/s, ${raw.batches.length} batches`,
      `throughput ratio purge/raw:  ${(doorRowsPerSec / rawRowsPerSec).toFixed(2)}× (time ratio ${(door.totalMs / raw.totalMs).toFixed(2)}×)`,
      `other tenant's read p95: idle ${idleSummary.p95.toFixed(2)} ms, during purge ${loadSummary.p95.toFixed(2)} ms → ${(loadSummary.p95 / idleSummary.p95).toFixed(2)}×`,
      `(p50: idle ${idleSummary.p50.toFixed(2)} ms, during purge ${loadSummary.p50.toFixed(2)} ms; ${loaded.length} reads during the purge)`,
      `where the purge's time goes (step: batches, ms; the first batch includes the lease and the start): ${[...door.perStep]
        .map(([id, s]) => `${id} ${s.batches}/${s.ms.toFixed(0)}`)
        .join(", ")}`,
    ]);
    return [
      row(TITLE, `purge batch (door + checkpoint, ${batch} rows)`, doorSummary, { baseline: rawSummary, note: `${doorRowsPerSec.toFixed(0)} rows/s` }),
      row(TITLE, `raw batched DELETE (baseline)`, rawSummary, { isBaseline: true, note: `${rawRowsPerSec.toFixed(0)} rows/s` }),
      row(TITLE, "other tenant read, idle", idleSummary, { isBaseline: true, note: "inTenant + latest 50 audit events" }),
      row(TITLE, "other tenant read, during purge", loadSummary, { baseline: idleSummary, note: `p95 ${(loadSummary.p95 / idleSummary.p95).toFixed(2)}× idle` }),
    ];
  },
};
