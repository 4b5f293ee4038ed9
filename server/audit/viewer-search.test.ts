// The viewer's action prefix and free text after issue 16 (migration 20261207106000): the prefix is
// sent as a code-point range on the "C"-collated action column — exactly the actions that start
// with it, nothing past its last character — and the free text (trigram-indexed) still finds
// matches case-insensitively, only ever in the caller's tenant.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { inTenant } from "../db/doors";
import { prefixUpperBound } from "./repository";
import { auditorFor } from "./record";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
const actor = { type: "user" as const, id: "00000000-0000-4000-8000-000000000002", label: "search.tester@example.test" };
// Around the bounds: "/" follows "." and "{" follows "z"; "é" and "😀" are multi-byte.
const ACTIONS = ["gadget.made", "gadget.zapped", "gadget/next", "gadgetz", "gadget", "gadgé.made", "gadget.😀", "gadget.\u{10FFFF}x"];

beforeAll(async () => {
  w = await twoTenantWorld();
  for (const t of [w.a, w.b]) {
    for (const [i, action] of ACTIONS.entries()) {
      await inTenant(t.id, (s) =>
        auditorFor(s, actor, { requestId: `search-${i}`, ip: null, userAgent: null }).record({
          action,
          targetType: "gadget",
          targetId: `${t === w.a ? "Alpha" : "Beta"}-Item-${i}`,
        }),
      );
    }
  }
});

describe("prefixUpperBound", () => {
  it("is the next string in code point order after every extension of the prefix", () => {
    expect(prefixUpperBound("client.")).toBe("client/");
    expect(prefixUpperBound("az")).toBe("a{");
    expect(prefixUpperBound("a\u{D7FF}")).toBe("a\u{E000}");
    expect(prefixUpperBound("a😀")).toBe("a😁");
    expect(prefixUpperBound("a\u{10FFFF}")).toBe("b");
    expect(prefixUpperBound("\u{10FFFF}")).toBeNull();
  });
});

describe("audit viewer search", () => {
  const actions = async (filters: { actionPrefix?: string; text?: string }) => {
    const page = await callerFor(w.ownerA.id).audit.list({ tenant: w.a.slug, ...filters, limit: 200 });
    expect(page.items.every((e) => e.tenantId === w.a.id)).toBe(true);
    return page.items.map((e) => e.action).sort();
  };

  it("an action prefix matches exactly the actions that start with it", async () => {
    for (const prefix of ["gadget.", "gadget", "gadget.z", "gadgé", "gadget.😀", "gadget.\u{10FFFF}", "gadget/"]) {
      expect(await actions({ actionPrefix: prefix }), prefix).toEqual(ACTIONS.filter((a) => a.startsWith(prefix)).sort());
    }
  });

  it("free text finds matches in any case, and only the caller's tenant's events", async () => {
    const page = await callerFor(w.ownerA.id).audit.list({ tenant: w.a.slug, text: "aLPHA-item-", limit: 200 });
    expect(page.items).toHaveLength(ACTIONS.length);
    expect(page.items.every((e) => e.tenantId === w.a.id && e.targetId!.startsWith("Alpha-"))).toBe(true);
    // B's target ids exist, but never show in A's viewer.
    expect((await callerFor(w.ownerA.id).audit.list({ tenant: w.a.slug, text: "beta-item", limit: 200 })).items).toHaveLength(0);
    const b = await callerFor(w.ownerB.id).audit.list({ tenant: w.b.slug, text: "BETA-ITEM-3", limit: 200 });
    expect(b.items.map((e) => [e.tenantId, e.targetId])).toEqual([[w.b.id, "Beta-Item-3"]]);
    // Shorter than a trigram: still found (the planner walks the tenant's events instead).
    expect(await actions({ text: "Z" })).toEqual(["gadget.zapped", "gadgetz"]);
  });
});
