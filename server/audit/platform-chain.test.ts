// The platform audit stream verifies from genesis, names the first broken event when a row is
// edited, removed or the tail is cut (caught by a signed checkpoint even with the head rewritten),
// and security admins (only) list it with the tenant audit page's filters.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { onPlatform } from "../db/doors";
import { recordPlatformAudit } from "./platform-record";
import { recordPlatformCheckpoint, verifyPlatformChain } from "./platform-chain";
import { callerFor, makeUser, rejection, uniq } from "../testing/fixtures";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../db/generated/client";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 }); // the owner: tampering and inspection
// Tampering needs the owner (the runtime may neither edit the stream nor switch off its trigger).
const ownerPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: inject("databaseUrl"), max: 1 }) });
afterAll(async () => {
  await pool.end();
  await ownerPrisma.$disconnect();
});

async function append(n: number, label = "chain-test") {
  for (let i = 0; i < n; i++) {
    await onPlatform((db) =>
      recordPlatformAudit(db, { type: "user", id: null, label }, { requestId: `r${i}`, ip: "198.51.100.3", userAgent: "t" }, {
        action: "test.chain",
        targetType: "thing",
        targetId: String(i),
        details: { n: i, nested: { b: [1, "x", null], a: true } },
      }),
    );
  }
}

/**
 * Runs `tamper` as the owner with the append-only trigger off, then verification, in ONE
 * transaction that is rolled back: the shared stream is left as it was for the other tests.
 */
async function verifyTampered(tamper: (q: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>) {
  let result: Awaited<ReturnType<typeof verifyPlatformChain>> | null = null;
  await ownerPrisma
    .$transaction(async (db) => {
      await db.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await tamper((sql, params = []) => db.$executeRawUnsafe(sql, ...params));
      result = await verifyPlatformChain(db);
      throw new Error("rollback");
    }, { timeout: 60_000 })
    .catch((e: unknown) => {
      if (!(e instanceof Error && e.message === "rollback")) throw e;
    });
  return result!;
}

describe("platform chain", () => {
  beforeAll(async () => {
    await append(5);
  });

  it("verifies intact, and a checkpoint is recorded only when something new was appended", async () => {
    const v = await onPlatform((db) => verifyPlatformChain(db));
    expect(v).toMatchObject({ intact: true, problem: null });
    const first = await onPlatform((db) => recordPlatformCheckpoint(db));
    expect(first.verification.intact).toBe(true);
    const again = await onPlatform((db) => recordPlatformCheckpoint(db));
    expect(again.created).toBe(false);
    await append(1);
    const third = await onPlatform((db) => recordPlatformCheckpoint(db));
    expect(third.created).toBe(true);
  });

  it("detects an edited event, a removed one, a cut tail and a rewritten head", async () => {
    const head = await onPlatform((db) => db.platformAuditChainHead.findUniqueOrThrow({ where: { id: 1 } }));
    const mid = head.seq - 2n;
    expect(await verifyTampered(async (q) => void (await q(`UPDATE platform_audit_events SET details = '{"n": 999}' WHERE seq = $1`, [mid])))).toMatchObject({
      intact: false,
      problem: "edited",
      firstBrokenSeq: String(mid),
    });
    expect(await verifyTampered(async (q) => void (await q(`DELETE FROM platform_audit_events WHERE seq = $1`, [mid])))).toMatchObject({
      intact: false,
      problem: "missing",
      firstBrokenSeq: String(mid),
    });
    // Tail cut and the head rewritten to match: the signed checkpoint still vouches for the old head.
    expect(
      await verifyTampered(async (q) => {
        const prev = await pool.query(`SELECT hash FROM platform_audit_events WHERE seq = $1`, [head.seq - 1n]);
        await q(`DELETE FROM platform_audit_events WHERE seq = $1`, [head.seq]);
        await q(`UPDATE platform_audit_chain_head SET seq = $1, head_hash = $2 WHERE id = 1`, [head.seq - 1n, prev.rows[0].hash]);
      }),
    ).toMatchObject({ intact: false, problem: "tail_truncated" });
    // A forged checkpoint row.
    expect(await verifyTampered(async (q) => void (await q(`UPDATE platform_audit_checkpoints SET event_count = event_count + 1`)))).toMatchObject({
      intact: false,
      problem: "bad_checkpoint",
    });
    expect((await onPlatform((db) => verifyPlatformChain(db))).intact).toBe(true);
  });
});

describe("platform.audit router", () => {
  it("lists with filters and cursor paging for security admins; others are refused", async () => {
    const label = `${uniq("pa")}@example.test`;
    await append(3, label);
    const admin = await makeUser({ platformRole: "security_admin" });
    const c = callerFor(admin.id);
    const p1 = await c.platform.audit.list({ actor: label, limit: 2 });
    expect(p1.items).toHaveLength(2);
    expect(p1.nextCursor).not.toBeNull();
    const p2 = await c.platform.audit.list({ actor: label, limit: 2, cursor: p1.nextCursor });
    expect(p2.items).toHaveLength(1);
    expect([...p1.items, ...p2.items].map((e) => e.targetId)).toEqual(["2", "1", "0"]);
    expect((await c.platform.audit.list({ actor: label, actionPrefix: "test.", outcome: "failure" })).items).toHaveLength(0);
    expect((await c.platform.audit.list({ text: label.slice(0, 11) })).items.length).toBeGreaterThanOrEqual(3);
    expect((await c.platform.audit.list({ actor: label, from: new Date(Date.now() + 60_000) })).items).toHaveLength(0);
    expect(await c.platform.audit.verify()).toMatchObject({ intact: true });
    expect((await rejection(c.platform.audit.list({ from: new Date(2), to: new Date(1) }))).code).toBe("BAD_REQUEST");

    const owner = await makeUser();
    expect((await rejection(callerFor(owner.id).platform.audit.list({}))).code).toBe("FORBIDDEN");
    expect((await rejection(callerFor(owner.id).platform.audit.verify())).code).toBe("FORBIDDEN");
  });
});
