// Server-side lists (clients, API keys, members): keyset pages that cover every row exactly once,
// search and sort, bad cursors refused, and the tenant boundary: searching in tenant A never
// returns tenant B's rows, even with B's names and a cursor made from B's rows.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, grant, makeUser, rejection, twoTenantWorld } from "../testing/fixtures";
import { encodeCursor } from "./keyset";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
const word = `pg${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  w = await twoTenantWorld();
  const a = callerFor(w.ownerA.id);
  const b = callerFor(w.ownerB.id);
  for (let i = 0; i < 7; i++) {
    await a.clients.create({ tenant: w.a.slug, name: `${word} client ${i}`, type: "m2m" });
    await a.apiKeys.create({ tenant: w.a.slug, name: `${word} key ${i}`, scopes: ["keys.read"], expiresInDays: 1 });
  }
  for (let i = 0; i < 3; i++) {
    await b.clients.create({ tenant: w.b.slug, name: `${word} client B${i}`, type: "m2m" });
    await b.apiKeys.create({ tenant: w.b.slug, name: `${word} key B${i}`, scopes: ["keys.read"], expiresInDays: 1 });
  }
  for (let i = 0; i < 4; i++) await grant(w.a, (await makeUser({ email: `${word}-m${i}@example.test` })).id, "support");
  await grant(w.b, (await makeUser({ email: `${word}-mb@example.test` })).id, "support");
});

type Page<T> = { items: T[]; nextCursor: string | null };
async function all<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<T> = await fetch(cursor);
    rows.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { rows, pages };
}

describe("keyset lists", () => {
  it("clients: pages of 3 cover every match once, in name order, and never B's", async () => {
    const a = callerFor(w.ownerA.id);
    const { rows, pages } = await all((cursor) => a.clients.list({ tenant: w.a.slug, search: word, sort: "name", direction: "asc", limit: 3, cursor }));
    expect(pages).toBe(3);
    expect(rows.map((c) => c.name)).toEqual([...Array(7).keys()].map((i) => `${word} client ${i}`));
    const desc = await all((cursor) => a.clients.list({ tenant: w.a.slug, search: word.toUpperCase(), sort: "name", direction: "desc", limit: 4, cursor }));
    expect(desc.rows.map((c) => c.name)).toEqual(rows.map((c) => c.name).reverse());
  });

  it("API keys: newest first by default, search by name, pages of 2", async () => {
    const a = callerFor(w.ownerA.id);
    const { rows } = await all((cursor) => a.apiKeys.list({ tenant: w.a.slug, search: `${word} key`, limit: 2, cursor }));
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((k) => k.id)).size).toBe(7);
    const times = rows.map((k) => k.createdAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(rows.every((k) => !k.name.includes(" B"))).toBe(true);
  });

  it("API keys: name order both ways in pages of 3, search by public prefix, and % or _ match only themselves", async () => {
    const a = callerFor(w.ownerA.id);
    const asc = await all((cursor) => a.apiKeys.list({ tenant: w.a.slug, search: `${word} KEY`, sort: "name", direction: "asc", limit: 3, cursor }));
    expect(asc.rows.map((k) => k.name)).toEqual([...Array(7).keys()].map((i) => `${word} key ${i}`));
    const desc = await all((cursor) => a.apiKeys.list({ tenant: w.a.slug, search: `${word} key`, sort: "name", direction: "desc", limit: 3, cursor }));
    expect(desc.rows.map((k) => k.name)).toEqual(asc.rows.map((k) => k.name).reverse());
    const one = asc.rows[3]!;
    expect((await a.apiKeys.list({ tenant: w.a.slug, search: one.publicId.slice(0, 8) })).items.map((k) => k.id)).toEqual([one.id]);
    await a.apiKeys.create({ tenant: w.a.slug, name: `${word} 100% ready_1`, scopes: ["keys.read"], expiresInDays: 1 });
    await a.apiKeys.create({ tenant: w.a.slug, name: `${word} 100x readyZ1`, scopes: ["keys.read"], expiresInDays: 1 });
    expect((await a.apiKeys.list({ tenant: w.a.slug, search: `${word} 100%` })).items.map((k) => k.name)).toEqual([`${word} 100% ready_1`]);
    expect((await a.apiKeys.list({ tenant: w.a.slug, search: "ready_1" })).items.map((k) => k.name)).toEqual([`${word} 100% ready_1`]);
  });

  it("clients and members: % and _ in a search match only themselves", async () => {
    const a = callerFor(w.ownerA.id);
    await a.clients.create({ tenant: w.a.slug, name: `${word} 50% off_1`, type: "m2m" });
    await a.clients.create({ tenant: w.a.slug, name: `${word} 50x offZ1`, type: "m2m" });
    expect((await a.clients.list({ tenant: w.a.slug, search: `${word} 50%` })).items.map((c) => c.name)).toEqual([`${word} 50% off_1`]);
    expect((await a.clients.list({ tenant: w.a.slug, search: "off_1" })).items.map((c) => c.name)).toEqual([`${word} 50% off_1`]);
    // Member e-mails: "_" would match any character (the "-" of every other member's address).
    await grant(w.a, (await makeUser({ email: `${word}_x@example.test` })).id, "support");
    expect((await a.members.list({ tenant: w.a.slug, search: `${word}_` })).items.map((m) => m.user.email)).toEqual([`${word}_x@example.test`]);
  });

  it("members: search by e-mail, sorted by role then id, pages of 3", async () => {
    const a = callerFor(w.ownerA.id);
    const { rows } = await all((cursor) => a.members.list({ tenant: w.a.slug, search: `${word}-M`, sort: "role", limit: 3, cursor }));
    expect(rows.map((m) => m.user.email).sort()).toEqual([0, 1, 2, 3].map((i) => `${word}-m${i}@example.test`));
  });

  it("searching in A for B's names finds nothing of B's; a cursor made from B's row shows only A's rows", async () => {
    const a = callerFor(w.ownerA.id);
    expect((await a.clients.list({ tenant: w.a.slug, search: `${word} client B` })).items).toEqual([]);
    expect((await a.apiKeys.list({ tenant: w.a.slug, search: `${word} key B` })).items).toEqual([]);
    expect((await a.members.list({ tenant: w.a.slug, search: `${word}-mb` })).items).toEqual([]);
    const bRow = (await callerFor(w.ownerB.id).clients.list({ tenant: w.b.slug, search: word, sort: "name" })).items[0]!;
    const page = await a.clients.list({ tenant: w.a.slug, sort: "name", cursor: encodeCursor("", bRow.id), limit: 100 });
    const bIds = new Set((await callerFor(w.ownerB.id).clients.list({ tenant: w.b.slug, limit: 100 })).items.map((c) => c.id));
    expect(page.items.some((c) => bIds.has(c.id))).toBe(false);
    expect(page.items.length).toBeGreaterThanOrEqual(7);
  });

  it("refuses a forged cursor, an unknown sort and a limit over 100 with BAD_REQUEST", async () => {
    const a = callerFor(w.ownerA.id);
    expect((await rejection(a.clients.list({ tenant: w.a.slug, cursor: "not-a-cursor" }))).code).toBe("BAD_REQUEST");
    expect((await rejection(a.apiKeys.list({ tenant: w.a.slug, sort: "secretHash" as never }))).code).toBe("BAD_REQUEST");
    expect((await rejection(a.members.list({ tenant: w.a.slug, limit: 101 }))).code).toBe("BAD_REQUEST");
  });
});
