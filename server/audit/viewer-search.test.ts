// The viewer's action prefix and free text after issue 16 (migration 20261207106000): the prefix is
// sent as a code-point range on the "C"-collated action column — exactly the actions that start
// with it, nothing past its last character — and the free text (trigram-indexed) still finds
// matches case-insensitively, only ever in the caller's tenant. Free text picks its page through
// audit_text_search() (migration 20261208100000), running as credo_audit_search so the planner may
// use the trigram index; the tenant comes from the transaction's scope, never from an argument.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { asUser, inTenant } from "../db/doors";
import { prefixUpperBound } from "./repository";
import { appendChained, bareTenant } from "../testing/audit";
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

describe("free text with the other filters and paging", () => {
  it("combines with the action prefix, target type, outcome and actor, and pages by cursor", async () => {
    const a = callerFor(w.ownerA.id);
    const all = await a.audit.list({ tenant: w.a.slug, text: "alpha-item", limit: 200 });
    const byPrefix = await a.audit.list({ tenant: w.a.slug, text: "alpha-item", actionPrefix: "gadget.", limit: 200 });
    expect(byPrefix.items.map((e) => e.action).sort()).toEqual(ACTIONS.filter((x) => x.startsWith("gadget.")).sort());
    expect((await a.audit.list({ tenant: w.a.slug, text: "alpha-item", targetType: "gizmo", limit: 200 })).items).toHaveLength(0);
    expect((await a.audit.list({ tenant: w.a.slug, text: "alpha-item", outcome: "failure", limit: 200 })).items).toHaveLength(0);
    expect((await a.audit.list({ tenant: w.a.slug, text: "alpha-item", actor: "SEARCH.tester", limit: 200 })).items).toHaveLength(ACTIONS.length);
    expect((await a.audit.list({ tenant: w.a.slug, text: "alpha-item", actor: "someone-else", limit: 200 })).items).toHaveLength(0);
    const from = all.items[all.items.length - 1]!.occurredAt;
    expect((await a.audit.list({ tenant: w.a.slug, text: "alpha-item", from, limit: 200 })).items.length).toBeGreaterThan(0);
    expect((await a.audit.list({ tenant: w.a.slug, text: "alpha-item", to: from, limit: 200 })).items).toHaveLength(0);

    const seen: bigint[] = [];
    let cursor: bigint | null = null;
    do {
      const page: Awaited<ReturnType<typeof a.audit.list>> = await a.audit.list({ tenant: w.a.slug, text: "alpha-item", limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.items.map((e) => e.id));
  });
});

describe("audit_text_search, the SQL door", () => {
  const runtime = new pg.Pool({ connectionString: inject("runtimeDatabaseUrl"), max: 1 });
  const owner = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
  afterAll(async () => {
    await runtime.end();
    await owner.end();
  });
  const call = (db: Parameters<Parameters<typeof asUser>[1]>[0], pattern: string) =>
    db.$queryRaw<{ id: bigint }[]>`SELECT id FROM audit_text_search(${pattern}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 200) AS id`;

  it("refuses without a tenant scope, and inside one returns that tenant's ids only", async () => {
    await expect(asUser(w.ownerA.id, (db) => call(db, "%item%"))).rejects.toThrow(/needs a tenant scope/);
    const inA = await inTenant(w.a.id, (s) => call(s.db, "%beta-item%"));
    expect(inA).toEqual([]);
    const inB = await inTenant(w.b.id, (s) => call(s.db, "%beta-item%"));
    expect(inB).toHaveLength(ACTIONS.length);
  });

  it("the runtime login role can neither become credo_audit_search nor read through its policy", async () => {
    const c = await runtime.connect();
    try {
      await expect(c.query("SET ROLE credo_audit_search")).rejects.toThrow(/permission denied/);
      await c.query("BEGIN; SET LOCAL ROLE credo_app");
      expect((await c.query("SELECT count(*)::int AS n FROM audit_events")).rows[0].n).toBe(0);
    } finally {
      await c.query("ROLLBACK");
      c.release();
    }
  });

  it("gives the planner the trigram index, which row level security withholds from credo_app", async () => {
    const plan = async (role: string) => {
      const c = await owner.connect();
      try {
        await c.query("BEGIN");
        // Bitmap scans only, and no tenant condition in the query (the function has one; the test
        // table is too small for the planner to prefer the trigram index over the tenant's): is the
        // ILIKE allowed to be an index condition at all?
        await c.query("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off");
        await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [w.a.id]);
        await c.query(`SET LOCAL ROLE ${role}`);
        const r = await c.query(`EXPLAIN SELECT id FROM audit_events WHERE action ILIKE '%zapped%'`);
        return r.rows.map((x: { "QUERY PLAN": string }) => x["QUERY PLAN"]).join("\n");
      } finally {
        await c.query("ROLLBACK");
        c.release();
      }
    };
    expect(await plan("credo_audit_search")).toMatch(/Index Cond: .*~~\*/);
    expect(await plan("credo_app")).not.toMatch(/Index Cond: .*~~\*/);
  });
});

describe("free text on a big tenant (migration 20261211100000)", () => {
  // audit_text_search() walks small tenants and terms common among the newest events; on a tenant
  // past 10,000 events a rare term goes through the trigram index by its rarest piece, and the
  // whole term is checked on what it finds. Whichever way it goes, the ids must be exactly those of
  // the plain ILIKE. The tenant is made "big" by its chain head (the size the function reads).
  const owner = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
  afterAll(() => owner.end());
  const TARGETS = ["target-4242", "target-42420", "target-424200", "target-1", "target-42", "Order 77-A9f", "Order 78-A9f", "node:ZQ9x/path", "100%_done\\x", "x"];

  it("finds exactly what the plain ILIKE finds, rare and common terms, pieces and wildcards typed literally", async () => {
    const t = await bareTenant();
    // Common ("target-…") among the newest events, the rare ones further back.
    await appendChained(t.id, [...TARGETS, ...Array.from({ length: 12 }, (_, i) => `target-9${i}`)].map((targetId) => ({ targetId, targetType: "widget", action: "widget.touched" })));
    const plain = async (pattern: string) =>
      (
        await owner.query<{ id: string }>(
          `SELECT id FROM audit_events WHERE tenant_id = $1 AND (action ILIKE $2 OR target_type ILIKE $2 OR target_id ILIKE $2) ORDER BY id DESC LIMIT 200`,
          [t.id, pattern],
        )
      ).rows.map((r) => BigInt(r.id));
    const search = (pattern: string) =>
      inTenant(t.id, (s) => s.db.$queryRaw<{ id: bigint }[]>`SELECT id FROM audit_text_search(${pattern}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 200) AS id`).then((r) =>
        r.map((x) => x.id),
      );
    const patterns = ["%target-4242%", "%4242%", "%target-42%", "%order 77-a9f%", "%77-a9%", "%zq9x/pa%", "%100\\%\\_done\\\\x%", "%zzz%", "%widget%", "%x%", "%-42420%"];
    for (const size of [null, 50_000]) {
      if (size) await owner.query("UPDATE audit_chain_heads SET seq = $2 WHERE tenant_id = $1", [t.id, size]);
      for (const pattern of patterns) {
        const expected = await plain(pattern);
        expect(await search(pattern), `${pattern} (${size ?? "small"})`).toEqual(expected);
      }
    }
    expect(await plain("%target-4242%")).toHaveLength(3);
    expect(await plain("%100\\%\\_done\\\\x%")).toHaveLength(1);
  });
});
