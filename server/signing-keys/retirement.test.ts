// Previous signing keys retire (issue 12): promotion queues "keys.retire-previous" for when the
// key's retention (policy keyRotation.previousKeyRetentionHours, at least the longest token
// lifetime) has passed; the queue then revokes it and it leaves the JWKS. A JWKS never silently
// drops keys: staging is refused at the cap, and a key set over the cap is an error, not a cut.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTenant } from "../db/doors";
import { callerFor, grant, makeTenant, makeUser, rejection } from "../testing/fixtures";
import { runWorker } from "../jobs/queue";
import { MAX_PUBLISHED_KEYS } from "./repository";
import { tenantJwks } from "./public-documents";
import { publicJwks } from "./service";
import { retirePreviousKeysTask } from "./retirement";
import { auditMaintenanceTask } from "../audit/tasks";
import { enqueueTenantJob } from "../jobs/queue";
import { superuserPool } from "../testing/signing-keys";

const pool = superuserPool();
afterAll(() => pool.end());
let owner: { id: string };
beforeAll(async () => {
  owner = await makeUser();
});

async function tenant() {
  const t = await makeTenant();
  await grant(t, owner.id, "owner");
  return t;
}

async function retireJob(tenantId: string) {
  const r = await pool.query(
    `SELECT j.id, j.run_at FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
      WHERE q.queue_name = $1 AND j.key = 'tenant:' || $2 || ':retire-previous-keys'`,
    [`tenant:${tenantId}`, tenantId],
  );
  return r.rows as { id: string; run_at: Date }[];
}

describe("previous signing keys", () => {
  it("are revoked by the queue once their retention has passed, and leave the JWKS", async () => {
    const t = await tenant();
    const o = callerFor(owner.id);
    const state = await o.policies.state({ tenant: t.slug });
    await o.policies.save({ tenant: t.slug, document: { ...state.overrides, keyRotation: { previousKeyRetentionHours: 48 } }, expectedVersion: state.latest?.version ?? 0, comment: "two days" });
    const [first] = (await tenantJwks(t.slug)).keys;
    await o.keys.stage({ tenant: t.slug, alg: "ES256" });
    const promoted = await o.keys.promote({ tenant: t.slug });
    const previous = (await o.keys.list({ tenant: t.slug })).keys.find((k) => k.state === "previous")!;
    expect(previous.kid).toBe(first!.kid);

    // Queued for retiredAt + 48 h.
    const jobs = await retireJob(t.id);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0]!.run_at).getTime()).toBe(previous.retiredAt!.getTime() + 48 * 3_600_000);
    expect((await tenantJwks(t.slug)).keys.map((k) => k.kid)).toContain(previous.kid);

    // The job comes due (moved to now); the worker's clock says 49 hours later.
    await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE id = $1`, [jobs[0]!.id]);
    const later = new Date(previous.retiredAt!.getTime() + 49 * 3_600_000);
    const worker = await runWorker({ tasks: [retirePreviousKeysTask], now: () => later, pollIntervalMs: 100 });
    try {
      const end = Date.now() + 20_000;
      while ((await o.keys.list({ tenant: t.slug })).keys.find((k) => k.id === previous.id)!.state !== "revoked") {
        if (Date.now() > end) throw new Error("not retired");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    expect((await tenantJwks(t.slug)).keys.map((k) => k.kid)).toEqual([promoted.kid]);
    const events = await inTenant(t.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: t.id, targetId: previous.id, action: "signing_key.revoked" }, select: { actorType: true, after: true } }));
    expect(events).toEqual([{ actorType: "system", after: { kid: previous.kid, alg: "ES256", state: "revoked", reason: "retention", retentionHours: 48 } }]);
    // Nothing left to retire: no new job.
    expect(await retireJob(t.id)).toEqual([]);
  });

  it("stay published at least 24 hours (the longest token lifetime): a shorter retention is refused", async () => {
    const t = await tenant();
    const r = await rejection(callerFor(owner.id).policies.save({ tenant: t.slug, document: { keyRotation: { previousKeyRetentionHours: 1 } }, expectedVersion: 0, comment: "too short" }));
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toMatch(/previousKeyRetentionHours/);
  });

  it("cap the JWKS: staging is refused at the cap, and a key set over it is an error, never a cut list", async () => {
    const t = await tenant();
    const fill = async (n: number, tag: string) =>
      pool.query(
        `INSERT INTO signing_keys (tenant_id, kid, alg, state, public_jwk, private_key_iv, private_key_tag, private_key_ciphertext, data_key_id, created_at, activated_at, retired_at)
         SELECT tenant_id, translate(substr(encode(sha256(convert_to(kid || '${tag}' || g, 'UTF8')), 'base64'), 1, 43), '+/', '-_'), alg, 'previous', public_jwk, private_key_iv, private_key_tag, private_key_ciphertext, data_key_id, created_at, activated_at, now()
           FROM signing_keys, generate_series(1, $2::int) g WHERE tenant_id = $1 AND state = 'current'`,
        [t.id, n],
      );
    await fill(MAX_PUBLISHED_KEYS - 1, "a");
    expect((await tenantJwks(t.slug)).keys).toHaveLength(MAX_PUBLISHED_KEYS);
    const refused = await rejection(callerFor(owner.id).keys.stage({ tenant: t.slug, alg: "ES256" }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/already publishes 100 signing keys/);
    await fill(1, "b");
    await expect(inTenant(t.id, publicJwks)).rejects.toThrow(/more than 100 signing keys/);
  });

  it("without a pending retirement job (keys from before it existed), audit upkeep schedules one", async () => {
    const t = await tenant();
    const o = callerFor(owner.id);
    await o.keys.stage({ tenant: t.slug, alg: "ES256" });
    await o.keys.promote({ tenant: t.slug });
    await pool.query(`DELETE FROM graphile_worker._private_jobs WHERE key = $1`, [`tenant:${t.id}:retire-previous-keys`]);
    expect(await retireJob(t.id)).toEqual([]);
    await enqueueTenantJob(t.id, auditMaintenanceTask, {}, { jobKey: "audit-maintenance" });
    const worker = await runWorker({ tasks: [auditMaintenanceTask], pollIntervalMs: 100 });
    try {
      const end = Date.now() + 20_000;
      while ((await retireJob(t.id)).length === 0) {
        if (Date.now() > end) throw new Error("not scheduled");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
    const previous = (await o.keys.list({ tenant: t.slug })).keys.find((k) => k.state === "previous")!;
    expect(new Date((await retireJob(t.id))[0]!.run_at).getTime()).toBe(previous.retiredAt!.getTime() + 168 * 3_600_000);
  });
});
