// The record of a tenant deletion outlives the purge: request, grace change, cancellation, purge
// start and completion (with the receipt's digest) are in the platform audit stream; the purged
// tenant's chain verifies as "sealed", and a rewritten sealed head is still reported as broken.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { inTenant, onPlatform } from "../db/doors";
import { callerFor, makeUser } from "../testing/fixtures";
import { canonical } from "../audit/canonical";
import { verifyTenantChain } from "../audit/sealed-chain";
import { runPurge } from "./purge";
import type { SignedReceipt } from "./receipt";
import { deletionRow, seedTenant } from "../testing/deletion";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 }); // the owner: tampering and inspection
let admin: { id: string };
beforeAll(async () => {
  admin = await makeUser({ platformRole: "security_admin" });
});
afterAll(async () => {
  await pool.end();
});

const trail = (tenantId: string) =>
  onPlatform((db) => db.platformAuditEvent.findMany({ where: { subjectTenantId: tenantId }, orderBy: { seq: "asc" }, select: { action: true, actorId: true, details: true } }));

describe("tenant deletion in the platform stream", () => {
  it("request → cancel → request → shorten → purge: every step recorded, receipt digest kept, chain sealed", async () => {
    const t = await seedTenant(admin, pool, { graceDays: 30 });
    const owner = callerFor(t.owner.id);
    await owner.deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "Closing the account" });
    await owner.deletion.cancel({ tenant: t.slug });
    const again = await owner.deletion.request({ tenant: t.slug, confirmSlug: t.slug, reason: "Closing for real" });
    await callerFor(admin.id).platform.deletions.shortenGrace({ slug: t.slug, confirmSlug: t.slug, graceDays: 0, purgeNow: true, reason: "Customer asked" });
    expect(await runPurge({ deletionId: again.id, tenantId: t.id, batchSize: 500 })).toEqual({ outcome: "completed" });

    const events = await trail(t.id);
    expect(events.map((e) => e.action)).toEqual([
      "tenant.deletion_requested",
      "tenant.deletion_cancelled",
      "tenant.deletion_requested",
      "tenant.deletion_grace_shortened",
      "tenant.purge_started",
      "tenant.purge_completed",
    ]);
    expect(events[0]!.actorId).toBe(t.owner.id);
    expect(events[3]!.actorId).toBe(admin.id);
    expect(JSON.stringify(events[0]!.details)).not.toContain("Closing");
    const row = (await deletionRow(pool, t.id))!;
    const signed = JSON.parse(row.receipt!) as SignedReceipt;
    const digest = createHash("sha256").update(canonical(signed.receipt), "utf8").digest("hex");
    expect(events[5]!.details).toMatchObject({ deletionId: again.id, receiptDigest: digest, sealedChain: { seq: signed.receipt.auditChain.seq, head: signed.receipt.auditChain.headHash } });

    // The tenant's own trail is gone; its chain verifies as sealed, not broken.
    const v = await inTenant(t.id, verifyTenantChain);
    expect(v).toMatchObject({ intact: true, sealed: true, headSeq: signed.receipt.auditChain.seq });
    expect(v.message).toMatch(/^Sealed/);

    // A rewritten sealed head is a real break.
    await pool.query(`UPDATE audit_chain_heads SET seq = seq + 1 WHERE tenant_id = $1`, [t.id]);
    try {
      const broken = await inTenant(t.id, verifyTenantChain);
      expect(broken).toMatchObject({ intact: false, sealed: false, problem: "head_mismatch" });
    } finally {
      await pool.query(`UPDATE audit_chain_heads SET seq = seq - 1 WHERE tenant_id = $1`, [t.id]);
    }
    expect((await inTenant(t.id, verifyTenantChain)).intact).toBe(true);
  });
});
