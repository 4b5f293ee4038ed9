// Tenant deletion on the real PostgreSQL server: the lifecycle (request → pending: surfaces stop →
// cancel: everything back → request → grace elapses on an injected clock → purge by the worker →
// receipt verifies), the tombstone, isolation (two other tenants byte-identical), bulk deletions.
import { createHash } from "node:crypto";
import { signToken } from "../signing-keys/service";
import { verifyTenantToken } from "../signing-keys/verify-token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { tenantExportDir } from "../audit/export/files";
import { Redis } from "ioredis";
import { authenticateApiKey } from "../api-keys/authenticate";
import { inTenant } from "../db/doors";
import { callerFor, makeUser, makeTenant, rejection } from "../testing/fixtures";
import { resolvePublicTenant, TenantNotFoundError } from "../tenancy/context";
import { runWorker } from "../jobs/queue";
import { purgeTenantRedisKeys } from "../jobs/redis-keys";
import { provisionTenant } from "../tenants/provisioning";
import { SYSTEM_ACTOR } from "../audit/record";
import { PURGE_STEPS } from "./plan";
import { runPurge } from "./purge";
import { purgeTenantTask } from "./purge-task";
import { verifyReceipt, type SignedReceipt } from "./receipt";
import { sweepDueDeletions } from "./platform";
import { deletionRow, seedTenant, tenantSnapshot, type Snapshot } from "../testing/deletion";
import { until } from "../testing/wait";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_MIGRATION_URL!, max: 3 });
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
let admin: { id: string };

beforeAll(async () => {
  admin = await makeUser({ platformRole: "security_admin" });
  await redis.connect();
});
afterAll(async () => {
  await pool.end();
  redis.disconnect();
});

const DAY = 86_400_000;

describe("tenant deletion lifecycle", () => {
  it("request → pending (surfaces stop) → cancel (all back) → request → grace elapses → purge → receipt", async () => {
    const t = await seedTenant(admin, pool, { graceDays: 10, extraAuditEvents: 2_500 });
    const owner = callerFor(t.owner.id);
    const support = callerFor(t.support.id);

    // The danger zone: counts per kind and the grace period from the tenant's policy.
    const preview = await owner.deletion.preview({ tenant: t.slug });
    expect(preview.graceDays).toBe(10);
    const kinds = Object.fromEntries(preview.counts.map((c) => [c.kind, c.count]));
    expect(kinds).toMatchObject({ oauth_clients: 3, api_keys: 2, signing_keys: 2, workspaces: 1, memberships: 2, tenant_data_keys: 1 });
    expect(kinds.audit_events).toBeGreaterThan(2_500);
    expect(kinds.global_identifiers).toBeGreaterThan(5);

    // Support cannot; the slug must be typed exactly; a reason is required.
    expect((await rejection(support.deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "x" }))).code).toBe("FORBIDDEN");
    expect(await rejection(owner.deletion.request({ tenant: t.slug, confirmSlug: t.slug.toUpperCase(), reason: "closing" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect((await rejection(owner.deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "  " }))).code).toBe("BAD_REQUEST");

    const before = await tenantSnapshot(pool, t.id);
    const t0 = new Date();
    const tokenBefore = await inTenant(t.id, (s) => signToken(s, { aud: "api://orders", sub: "user-1" }));
    const requested = await owner.deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "Closing the account" });
    expect(requested.status).toBe("pending");
    expect(requested.purgeAfter.getTime() - requested.requestedAt.getTime()).toBe(10 * DAY);
    expect(requested.progress).toBeNull(); // progress is for security admins

    // Pending: the console refuses, API keys are 401, public endpoints 404 …
    expect((await rejection(owner.clients.list({ tenant: t.slug }))).code).toBe("PRECONDITION_FAILED");
    expect((await rejection(callerFor(admin.id).clients.list({ tenant: t.slug }))).code).toBe("PRECONDITION_FAILED");
    expect(await authenticateApiKey(`Bearer ${t.apiKey}`)).toBeNull();
    await expect(resolvePublicTenant(t.slug)).rejects.toBeInstanceOf(TenantNotFoundError);
    // … and the token functions refuse, as the JWKS does (404).
    await expect(inTenant(t.id, (s) => signToken(s, { aud: "api://orders", sub: "user-1" }))).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(verifyTenantToken({ tenantId: t.id, slug: t.slug }, tokenBefore, { audience: "api://orders" })).rejects.toMatchObject({ reason: "tenant_unavailable" });
    expect((await rejection(owner.deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "again" }))).code).toBe("PRECONDITION_FAILED");
    // … and every member is told, security admins with progress; support cannot cancel.
    const seen = await support.deletion.status({ tenant: t.slug });
    expect(seen.deletion?.status).toBe("pending");
    expect(seen.canCancel).toBe(false);
    expect((await callerFor(admin.id).deletion.status({ tenant: t.slug })).deletion?.progress?.totalSteps).toBe(PURGE_STEPS.length);
    expect((await rejection(support.deletion.cancel({ tenant: t.slug }))).code).toBe("FORBIDDEN");
    // The purge job waits in the tenant's queue for the end of the grace period.
    const job = await pool.query(`SELECT j.run_at FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE q.queue_name = $1`, [`tenant:${t.id}`]);
    expect(job.rows).toHaveLength(1);
    expect(new Date(job.rows[0].run_at).getTime()).toBe(requested.purgeAfter.getTime());

    // Cancel: everything back, the job gone.
    await owner.deletion.cancel({ tenant: t.slug });
    expect((await owner.clients.list({ tenant: t.slug })).items).toHaveLength(3);
    expect((await authenticateApiKey(`Bearer ${t.apiKey}`))?.tenantId).toBe(t.id);
    await expect(resolvePublicTenant(t.slug)).resolves.toMatchObject({ tenantId: t.id });
    await expect(verifyTenantToken({ tenantId: t.id, slug: t.slug }, tokenBefore, { audience: "api://orders" })).resolves.toMatchObject({ sub: "user-1" });
    const afterCancel = await tenantSnapshot(pool, t.id);
    for (const table of Object.keys(before)) {
      // Only the audit trail grew (requested + cancelled) and the deletion record exists; rows are intact.
      if (["audit_events", "audit_chain_heads", "tenant_deletions", "tenants"].includes(table)) continue;
      // (The API key's successful authentication above stamped its last_used_at.)
      if (table === "api_keys") expect(afterCancel[table]!.n).toBe(before[table]!.n);
      else expect({ table, ...afterCancel[table] }).toEqual({ table, ...before[table] });
    }
    expect((await pool.query(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE q.queue_name = $1`, [`tenant:${t.id}`])).rows[0].n).toBe(0);

    // Rate-limit counters of this tenant (and of another) in Redis.
    const other = await makeTenant();
    await redis.set(`rl:${t.id}:trpc`, "3");
    await redis.set(`rl:${t.id}:trpc:burst`, "1");
    // The sliding-window guard's hash (server/ratelimit/sliding-guard.ts); the calls above may have made it already.
    await redis.hset(`rl:${t.id}:trpc:sw`, "1", "3");
    await redis.set(`rl:${other.id}:trpc`, "7");

    // An export file of this tenant on disk (server/audit/export/files.ts).
    await mkdir(tenantExportDir(t.id), { recursive: true });
    await writeFile(path.join(tenantExportDir(t.id), "old-export.jsonl.gz"), "x");

    // Request again (a security admin), then let the grace elapse on an injected clock.
    const again = await callerFor(admin.id).deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "Requested by the customer" });
    const clock = { now: new Date(t0.getTime() + 9 * DAY) };
    expect(await sweepDueDeletions(clock.now)).toBe(0);
    // Even run directly, the purge refuses before the grace ends.
    expect(await runPurge({ deletionId: again.id, tenantId: t.id, now: () => clock.now })).toMatchObject({ outcome: "not_due" });
    expect((await deletionRow(pool, t.id))!.status).toBe("pending");

    clock.now = new Date(t0.getTime() + 10 * DAY + 60_000);
    expect(await sweepDueDeletions(clock.now)).toBe(1);
    const worker = await runWorker({ tasks: [purgeTenantTask], now: () => clock.now, pollIntervalMs: 100 });
    try {
      await until(async () => (await deletionRow(pool, t.id))?.status === "completed", 60_000, "purge");
    } finally {
      await worker.stop();
    }

    // The tombstone and the sealed chain head survive; nothing else of the tenant.
    const after = await tenantSnapshot(pool, t.id);
    for (const [table, s] of Object.entries(after)) {
      if (["tenants", "audit_chain_heads", "tenant_deletions"].includes(table)) expect({ table, n: s.n }).toEqual({ table, n: table === "tenant_deletions" ? 2 : 1 });
      else expect({ table, n: s.n }).toEqual({ table, n: 0 });
    }
    const tomb = (await pool.query(`SELECT status, name, slug, deleted_at, deletion_requested_at FROM tenants WHERE id = $1`, [t.id])).rows[0];
    expect(tomb).toMatchObject({ status: "deleted", name: t.slug, slug: t.slug });
    // A tombstone is no tenant to open: not in the security admin's tenant list, nor the switcher.
    expect((await callerFor(admin.id).platform.tenants.list({ search: t.slug })).items).toEqual([]);
    expect((await callerFor(admin.id).me.tenants()).map((x) => x.slug)).not.toContain(t.slug);
    expect(tomb.deleted_at).toEqual(clock.now);
    const row = (await deletionRow(pool, t.id))!;
    expect(row.step_index).toBe(PURGE_STEPS.length);
    expect(row.deleted_counts.audit_events).toBeGreaterThan(2_500);
    expect(row.deleted_counts.redis_keys).toBe(3);
    expect(row.deleted_counts.export_files).toBe(1);
    expect(existsSync(tenantExportDir(t.id))).toBe(false);
    expect(await redis.get(`rl:${other.id}:trpc`)).toBe("7");
    expect(await redis.exists(`rl:${t.id}:trpc`, `rl:${t.id}:trpc:burst`, `rl:${t.id}:trpc:sw`)).toBe(0);
    await redis.del(`rl:${other.id}:trpc`);

    // The receipt: signed, verifiable, without personal data, with the sealed chain head.
    const signed = JSON.parse(row.receipt!) as SignedReceipt;
    const { receipt } = await verifyReceipt(signed);
    expect(receipt.tenant).toEqual({ id: t.id, slug: t.slug });
    expect(receipt.requested.byUserId).toBe(admin.id);
    expect(receipt.auditChain.seq).toBe(String(row.chain_seq));
    expect(receipt.auditChain.headHash).toBe(Buffer.from(row.chain_head_hash).toString("hex"));
    const head = (await pool.query(`SELECT seq::text, head_hash FROM audit_chain_heads WHERE tenant_id = $1`, [t.id])).rows[0];
    expect(head.seq).toBe(receipt.auditChain.seq);
    expect(JSON.stringify(receipt)).not.toMatch(/@|Requested by the customer|Closing/);
    // The deletion records keep the requester's user id and a digest of the reason, nothing personal.
    const records = (await pool.query(`SELECT reason, requested_by_id, requested_by_label, cancelled_by_label FROM tenant_deletions WHERE target_tenant_id = $1 ORDER BY requested_at`, [t.id])).rows;
    expect(records).toHaveLength(2);
    const digest = (text: string) => `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
    expect(records.map((r) => r.reason)).toEqual([digest("Closing the account"), digest("Requested by the customer")]);
    expect(records[1]).toMatchObject({ requested_by_id: admin.id, requested_by_label: `user ${admin.id}` });
    expect(JSON.stringify(records)).not.toMatch(/@/);
    expect(receipt.deleted.oauth_clients).toBe(3);
    // A changed receipt does not verify.
    await expect(verifyReceipt({ ...signed, receipt: { ...signed.receipt, deleted: { ...signed.receipt.deleted, oauth_clients: 2 } } })).rejects.toThrow(/does not verify/);
    // Through the platform procedure too.
    expect((await callerFor(admin.id).platform.deletions.receipt({ deletionId: row.id })).signature).toBe(signed.signature);

    // Nobody opens the tombstone; its slug stays reserved; a new tenant inherits nothing.
    expect((await rejection(callerFor(admin.id).tenant.overview({ tenant: t.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(callerFor(admin.id).platform.tenants.create({ slug: t.slug, name: "Again" }))).code).toBe("CONFLICT");
    const fresh = await provisionTenant({ slug: `${t.slug}-new`, name: "Fresh" }, SYSTEM_ACTOR, null);
    // The released identifiers are free again: the old redirect URIs can be claimed by the new tenant.
    await callerFor(admin.id).clients.create({ tenant: fresh.slug, name: "Reclaimed", type: "web", redirectUris: [`https://app0.${t.slug}.example/cb`] });
    const freshSnap = await tenantSnapshot(pool, fresh.id);
    expect(freshSnap.memberships!.n).toBe(0);
    expect(freshSnap.api_keys!.n).toBe(0);
    expect(freshSnap.oauth_clients!.n).toBe(1);
    expect(await redis.exists(`rl:${fresh.id}:trpc`)).toBe(0);
  });

  it("a security admin shortens the grace (audited); owners cannot", async () => {
    const t = await seedTenant(admin, pool, { graceDays: 30 });
    await callerFor(t.owner.id).deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "bye" });
    const confirmed = { slug: t.slug, confirmSlug: t.slug };
    expect((await rejection(callerFor(t.owner.id).platform.deletions.shortenGrace({ ...confirmed, graceDays: 0, purgeNow: true, reason: "now" }))).code).toBe("FORBIDDEN");
    expect((await rejection(callerFor(admin.id).platform.deletions.shortenGrace({ ...confirmed, graceDays: 40, reason: "longer" }))).code).toBe("BAD_REQUEST");
    // Confirmed like the deletion itself: the slug typed exactly; 0 days only as an explicit "purge now".
    expect(await rejection(callerFor(admin.id).platform.deletions.shortenGrace({ slug: t.slug, confirmSlug: t.slug.toUpperCase(), graceDays: 5, reason: "sooner" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await rejection(callerFor(admin.id).platform.deletions.shortenGrace({ ...confirmed, graceDays: 0, reason: "now" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await rejection(callerFor(admin.id).platform.deletions.shortenGrace({ ...confirmed, graceDays: 3, purgeNow: true, reason: "now" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect((await callerFor(admin.id).platform.deletions.list({})).find((d) => d.tenantSlug === t.slug)?.graceDays).toBe(30);
    const sooner = await callerFor(admin.id).platform.deletions.shortenGrace({ ...confirmed, graceDays: 7, reason: "Customer asked for a shorter grace" });
    expect(sooner.graceDays).toBe(7);
    const shortened = await callerFor(admin.id).platform.deletions.shortenGrace({ ...confirmed, graceDays: 0, purgeNow: true, reason: "Customer asked for immediate deletion" });
    expect(shortened.graceDays).toBe(0);
    expect(shortened.purgeAfter.getTime()).toBeLessThanOrEqual(Date.now());
    const events = await inTenant(t.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: t.id, action: { startsWith: "tenant.deletion" } }, orderBy: { seq: "asc" }, select: { action: true, actorId: true } }));
    expect(events.map((e) => e.action)).toEqual(["tenant.deletion_requested", "tenant.deletion_grace_shortened", "tenant.deletion_grace_shortened"]);
    expect(events[2]!.actorId).toBe(admin.id);
    const list = await callerFor(admin.id).platform.deletions.list({});
    expect(list.find((d) => d.tenantSlug === t.slug)?.graceDays).toBe(0);
    // Clean up: cancel (still in grace: nothing ran).
    await callerFor(admin.id).deletion.cancel({ tenant: t.slug });
  });

  it("the purge door refuses live tenants, other tables and callers without a tenant scope", async () => {
    const t = await makeTenant();
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT credo_purge_tenant_rows('audit_events', 10)`)).rejects.toThrow(/not being purged/);
    await pool.query(`UPDATE tenants SET status = 'pending_deletion' WHERE id = $1`, [t.id]);
    await pool.query(
      `INSERT INTO tenant_deletions (target_tenant_id, tenant_slug, status, reason, requested_by_label, requested_at, grace_days, purge_after, requested_counts)
       VALUES ($1, $2, 'purging', 'test', 'test', now(), 0, now(), '{}')`,
      [t.id, t.slug],
    );
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT credo_purge_tenant_rows('tenants', 10)`)).rejects.toThrow(/not a purgeable/);
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT credo_purge_tenant_rows('audit_chain_heads', 10)`)).rejects.toThrow(/not a purgeable/);
    await expect(inTenant(t.id, (s) => s.db.$queryRaw`SELECT credo_purge_tenant_rows('audit_events', 100000)`)).rejects.toThrow(/batch size/);
    const n = await inTenant(t.id, (s) => s.db.$queryRaw<{ n: number }[]>`SELECT credo_purge_tenant_rows('memberships', 10) AS n`);
    expect(n[0]!.n).toBe(0);
    // The runtime role still cannot DELETE audit events itself.
    await expect(inTenant(t.id, (s) => s.db.$executeRaw`DELETE FROM audit_events WHERE tenant_id = ${t.id}::uuid`)).rejects.toThrow(/permission denied/);
  });
});

describe("isolation", () => {
  it("purging one of three tenants leaves the other two byte-identical", async () => {
    const [a, b, c] = [await seedTenant(admin, pool, { extraAuditEvents: 1_200 }), await seedTenant(admin, pool, { extraAuditEvents: 1_200 }), await seedTenant(admin, pool, { extraAuditEvents: 1_200 })];
    await redis.set(`rl:${b.id}:trpc`, "1");
    await redis.set(`rl:${c.id}:apiKey`, "2");
    const beforeB = await tenantSnapshot(pool, b.id);
    const beforeC = await tenantSnapshot(pool, c.id);
    const deletion = await callerFor(a.owner.id).deletion.request({ tenant: a.slug, confirmSlug: a.slug, reason: "isolation test" });
    await callerFor(admin.id).platform.deletions.shortenGrace({ slug: a.slug, confirmSlug: a.slug, graceDays: 0, purgeNow: true, reason: "test" });
    expect(await runPurge({ deletionId: deletion.id, tenantId: a.id, batchSize: 500 })).toEqual({ outcome: "completed" });
    const afterB: Snapshot = await tenantSnapshot(pool, b.id);
    const afterC: Snapshot = await tenantSnapshot(pool, c.id);
    expect(afterB).toEqual(beforeB);
    expect(afterC).toEqual(beforeC);
    expect(beforeB.audit_events!.n).toBeGreaterThan(1_200);
    expect(await redis.get(`rl:${b.id}:trpc`)).toBe("1");
    expect(await redis.get(`rl:${c.id}:apiKey`)).toBe("2");
    await purgeTenantRedisKeys(b.id, redis);
    await purgeTenantRedisKeys(c.id, redis);
    // B and C still work.
    expect((await callerFor(b.owner.id).clients.list({ tenant: b.slug })).items).toHaveLength(3);
    expect((await authenticateApiKey(`Bearer ${c.apiKey}`))?.tenantId).toBe(c.id);
  });
});

describe("bulk entity deletions", () => {
  it("clients.deleteMany and apiKeys.revokeMany take only the tenant's own ids, refusing a mixed list whole", async () => {
    const a = await seedTenant(admin, pool);
    const b = await seedTenant(admin, pool);
    const ownerA = callerFor(a.owner.id);
    const bKeys = (await callerFor(b.owner.id).apiKeys.list({ tenant: b.slug })).items.map((k) => k.id);
    const aKeys = (await ownerA.apiKeys.list({ tenant: a.slug })).items.map((k) => k.id);

    const mixed = await rejection(ownerA.clients.deleteMany({ tenant: a.slug, ids: [a.clientIds[0]!, b.clientIds[0]!] }));
    expect(mixed.code).toBe("NOT_FOUND");
    expect(mixed.message).toMatch(/nothing was deleted/);
    expect((await ownerA.clients.list({ tenant: a.slug })).items).toHaveLength(3);
    expect((await callerFor(b.owner.id).clients.list({ tenant: b.slug })).items).toHaveLength(3);
    expect((await rejection(ownerA.apiKeys.revokeMany({ tenant: a.slug, ids: [...aKeys, bKeys[0]!] }))).code).toBe("NOT_FOUND");
    expect((await ownerA.apiKeys.list({ tenant: a.slug })).items.every((k) => !k.revokedAt)).toBe(true);

    expect(await ownerA.clients.deleteMany({ tenant: a.slug, ids: a.clientIds.slice(0, 2) })).toEqual({ deleted: a.clientIds.slice(0, 2) });
    expect((await ownerA.clients.list({ tenant: a.slug })).items).toHaveLength(1);
    const revoked = await ownerA.apiKeys.revokeMany({ tenant: a.slug, ids: aKeys });
    expect(revoked.revoked.sort()).toEqual([...aKeys].sort());
    expect(await ownerA.apiKeys.revokeMany({ tenant: a.slug, ids: aKeys })).toEqual({ revoked: [], alreadyRevoked: expect.arrayContaining(aKeys) });
    const actions = await inTenant(a.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: a.id, action: { in: ["client.deleted", "api_key.revoked"] } }, select: { action: true } }));
    expect(actions.filter((x) => x.action === "client.deleted")).toHaveLength(2);
    expect(actions.filter((x) => x.action === "api_key.revoked")).toHaveLength(2);
    expect((await rejection(callerFor(a.support.id).clients.deleteMany({ tenant: a.slug, ids: [a.clientIds[2]!] }))).code).toBe("FORBIDDEN");
  });
});
