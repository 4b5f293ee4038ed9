// The platform audit stream: appends form one hash chain (same canonical hashing as tenant chains),
// the runtime role can INSERT and SELECT but never UPDATE or DELETE, and a tenant-scoped
// transaction cannot read it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { inTenant, onPlatform } from "../db/doors";
import { SYSTEM_ACTOR } from "./record";
import { platformEventHash, recordPlatformAudit } from "./platform-record";
import { makeTenant } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";

let pool: pg.Pool;
beforeAll(() => {
  pool = superuserPool();
});
afterAll(async () => {
  await pool.end();
});

const meta = { requestId: "req-1", ip: "198.51.100.9", userAgent: "vitest" };

describe("recordPlatformAudit", () => {
  it("appends linked events whose hashes recompute", async () => {
    for (let i = 0; i < 3; i++) {
      await onPlatform((db) =>
        recordPlatformAudit(db, { type: "user", id: "u1", label: "a@example.test" }, meta, {
          action: "test.platform_event",
          targetType: "user",
          targetId: `t${i}`,
          details: { n: i, password: "hunter2", nested: { z: 1, a: [1, "x"] } },
        }),
      );
    }
    const rows = await onPlatform((db) => db.platformAuditEvent.findMany({ orderBy: { seq: "desc" }, take: 3 }));
    rows.reverse();
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.seq).toBe(rows[i - 1]!.seq + 1n);
      expect(Buffer.from(rows[i]!.prevHash).equals(Buffer.from(rows[i - 1]!.hash))).toBe(true);
    }
    for (const r of rows) {
      expect(Buffer.from(platformEventHash(r.prevHash, r)).equals(Buffer.from(r.hash))).toBe(true);
      expect(JSON.stringify(r.details)).not.toContain("hunter2");
    }
    const head = await onPlatform((db) => db.platformAuditChainHead.findUnique({ where: { id: 1 } }));
    expect(head!.seq).toBe(rows[rows.length - 1]!.seq);
  });

  it("is append-only for the runtime role, and the trigger refuses even the owner", async () => {
    await onPlatform((db) => recordPlatformAudit(db, SYSTEM_ACTOR, null, { action: "test.append_only", targetType: "thing" }));
    await expect(onPlatform((db) => db.$executeRaw`UPDATE platform_audit_events SET action = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(onPlatform((db) => db.$executeRaw`DELETE FROM platform_audit_events`)).rejects.toThrow(/permission denied/);
    await expect(onPlatform((db) => db.$executeRaw`TRUNCATE platform_audit_events`)).rejects.toThrow(/permission denied/);
    await expect(onPlatform((db) => db.$executeRaw`DELETE FROM platform_audit_checkpoints`)).rejects.toThrow(/permission denied/);
    await expect(pool.query(`UPDATE platform_audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM platform_audit_events`)).rejects.toThrow(/append-only/);
  });

  it("can be appended from a tenant transaction but not read there", async () => {
    const t = await makeTenant();
    const seen = await inTenant(t.id, async (s) => {
      await recordPlatformAudit(s.db, SYSTEM_ACTOR, null, { action: "test.from_tenant", targetType: "tenant", targetId: t.id, tenantId: t.id });
      return s.db.platformAuditEvent.count();
    });
    expect(seen).toBe(0);
    const found = await onPlatform((db) => db.platformAuditEvent.count({ where: { action: "test.from_tenant", subjectTenantId: t.id } }));
    expect(found).toBe(1);
  });
});
