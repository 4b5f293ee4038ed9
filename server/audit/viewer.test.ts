// The audit viewer's filters and paging: every filter narrows within the tenant (B's events never
// appear), paging is stable while events are added, and bad filters get a message.
import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { inTenant } from "../db/doors";
import { auditorFor } from "./record";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
const actor = { type: "user" as const, id: "00000000-0000-4000-8000-000000000001", label: "filter.tester@example.test" };

beforeAll(async () => {
  w = await twoTenantWorld();
  for (const t of [w.a, w.b]) {
    for (let i = 0; i < 12; i++) {
      await inTenant(t.id, (s) =>
        auditorFor(s, actor, { requestId: `req-${i}`, ip: null, userAgent: null }).record({
          action: i % 2 ? "widget.created" : "widget.deleted",
          targetType: "widget",
          targetId: `w_100%_${i}`,
        }),
      );
    }
  }
});

async function code(p: Promise<unknown>) {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}

describe("audit viewer filters", () => {
  it("action prefix, actor, target, free text (with literal % and _) stay inside the tenant", async () => {
    const a = callerFor(w.ownerA.id);
    const created = await a.audit.list({ tenant: w.a.slug, actionPrefix: "widget.created", limit: 200 });
    expect(created.items).toHaveLength(6);
    expect(created.items.every((e) => e.tenantId === w.a.id && e.action === "widget.created")).toBe(true);

    expect((await a.audit.list({ tenant: w.a.slug, actor: "FILTER.tester", limit: 200 })).items).toHaveLength(12);
    expect((await a.audit.list({ tenant: w.a.slug, actor: actor.id, limit: 200 })).items).toHaveLength(12);
    expect((await a.audit.list({ tenant: w.a.slug, targetType: "widget", targetId: "w_100%_3" })).items.map((e) => e.requestId)).toEqual(["req-3"]);
    expect((await a.audit.list({ tenant: w.a.slug, text: "100%_1", limit: 200 })).items.map((e) => e.targetId).sort()).toEqual(["w_100%_1", "w_100%_10", "w_100%_11"]);
    // "%" is literal, not a wildcard.
    expect((await a.audit.list({ tenant: w.a.slug, text: "w%1", limit: 200 })).items).toHaveLength(0);
  });

  it("time range, keyset paging stable under inserts, chain position and hash on every event", async () => {
    const a = callerFor(w.ownerA.id);
    const all = await a.audit.list({ tenant: w.a.slug, actionPrefix: "widget.", limit: 200 });
    const newest = all.items[0]!;
    expect(newest.seq).toBeTypeOf("bigint");
    expect(newest.hash).toMatch(/^[0-9a-f]{64}$/);
    const windowed = await a.audit.list({ tenant: w.a.slug, actionPrefix: "widget.", from: newest.occurredAt, to: new Date(newest.occurredAt.getTime() + 1), limit: 200 });
    expect(windowed.items.map((e) => e.id)).toContain(newest.id);
    expect(windowed.items.every((e) => e.occurredAt.getTime() === newest.occurredAt.getTime())).toBe(true);

    const page1 = await a.audit.list({ tenant: w.a.slug, actionPrefix: "widget.", limit: 5 });
    await inTenant(w.a.id, (s) => auditorFor(s, actor, null).record({ action: "widget.created", targetType: "widget", targetId: "late" }));
    const page2 = await a.audit.list({ tenant: w.a.slug, actionPrefix: "widget.", limit: 5, cursor: page1.nextCursor });
    expect(page2.items[0]!.id).toBeLessThan(page1.items[4]!.id);
    expect(page2.items.map((e) => e.targetId)).not.toContain("late");
  });

  it("bad filters are refused with a message; support with a live grant may filter too", async () => {
    const a = callerFor(w.ownerA.id);
    expect(await code(a.audit.list({ tenant: w.a.slug, from: new Date("2030-01-01"), to: new Date("2020-01-01") }))).toBe("BAD_REQUEST");
    expect(await code(a.audit.list({ tenant: w.a.slug, text: "x".repeat(500) }))).toBe("BAD_REQUEST");
    expect(await code(a.audit.list({ tenant: w.a.slug, outcome: "maybe" as never }))).toBe("BAD_REQUEST");
    const support = callerFor(w.supportA.id);
    expect((await support.audit.list({ tenant: w.a.slug, actionPrefix: "widget.", limit: 200 })).items.length).toBe(13);
    expect(await code(support.audit.list({ tenant: w.b.slug }))).toBe("NOT_FOUND");
  });
});
