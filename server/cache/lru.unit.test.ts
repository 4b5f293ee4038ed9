// The bounded map behind the process-local caches (lru.ts): the least recently USED entry goes first.
import { describe, expect, it } from "vitest";
import { Lru } from "./lru";

describe("Lru", () => {
  it("evicts the least recently used entry; a read counts as a use, iteration does not", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // a is now the most recent
    lru.set("c", 3); // evicts b
    expect(lru.get("b")).toBeUndefined();
    expect([...lru]).toEqual([["a", 1], ["c", 3]]);
    lru.set("a", 10); // overwrite: a most recent
    lru.set("d", 4); // evicts c
    expect([...lru].map(([k]) => k)).toEqual(["a", "d"]);
    expect(lru.size).toBe(2);
    lru.delete("a");
    lru.clear();
    expect(lru.size).toBe(0);
    expect(() => new Lru(0)).toThrow();
  });
});
