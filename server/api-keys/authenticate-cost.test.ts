// Issue 12: unknown API key ids answered faster than known ids with a wrong secret (one transaction
// instead of two), telling which ids exist. Both paths must now do the same database work: the same
// transactions, the same statements, the same hash comparison. Counted, not timed (timing is
// reported by `npm run bench`, case apikey-auth).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";

const work = { transactions: 0, statements: [] as string[] };

// Pass-through spies on the real doors (real PostgreSQL underneath): each transaction and each
// statement the function sends is recorded by kind (model.operation or raw).
vi.mock("../db/doors", async (importOriginal) => {
  const real = await importOriginal<typeof import("../db/doors")>();
  const spy = <T extends object>(db: T): T =>
    new Proxy(db, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof prop === "string" && prop.startsWith("$") && typeof v === "function") {
          return (...args: unknown[]) => (work.statements.push(prop), (v as (...a: unknown[]) => unknown).apply(target, args));
        }
        if (typeof prop === "string" && v && typeof v === "object") {
          return new Proxy(v as object, {
            get(model, op) {
              const f = Reflect.get(model, op) as unknown;
              return typeof f === "function" ? (...args: unknown[]) => (work.statements.push(`${prop}.${String(op)}`), (f as (...a: unknown[]) => unknown).apply(model, args)) : f;
            },
          });
        }
        return v;
      },
    });
  return {
    ...real,
    onPlatform: (fn: Parameters<typeof real.onPlatform>[0]) => (work.transactions++, real.onPlatform((db) => fn(spy(db)))),
    inTenant: (id: Parameters<typeof real.inTenant>[0], fn: Parameters<typeof real.inTenant>[1]) =>
      (work.transactions++, real.inTenant(id, (scope) => fn({ tenantId: scope.tenantId, db: spy(scope.db) }))),
  };
});

const { twoTenantWorld } = await import("../testing/fixtures");
const { inTenant } = await import("../db/doors");
const { auditorFor, SYSTEM_ACTOR } = await import("../audit/record");
const { permissionsOf } = await import("../isomorphic/auth/permissions");
const { createApiKey } = await import("./service");
const { authenticateApiKey } = await import("./authenticate");
const { parseApiKey } = await import("./format");
const { invalidationBus } = await import("../cache/invalidation");

let value: string;
beforeAll(async () => {
  const w = await twoTenantWorld();
  const created = await inTenant(w.a.id, (scope) =>
    createApiKey(scope, auditorFor(scope, SYSTEM_ACTOR, null), SYSTEM_ACTOR, permissionsOf("owner"), { name: "cost", scopes: ["audit.read"], expiresInDays: 30 }),
  );
  value = created.value;
  // The caches are used once the bus listens (server/cache/invalidation.ts).
  await invalidationBus().settled();
});

async function measure(key: string) {
  work.transactions = 0;
  work.statements = [];
  const principal = await authenticateApiKey(`Bearer ${key}`);
  return { principal, transactions: work.transactions, statements: [...work.statements] };
}

describe("API-key rejection costs the same whether the id exists or not", () => {
  it("unknown id and known id with a wrong secret: the same one transaction and statements, then both cached", async () => {
    const secret = () => randomBytes(32).toString("base64url");
    const known = `tc_${parseApiKey(value)!.publicId}_${secret()}`;
    const unknown = `tc_zz${randomBytes(5).toString("hex")}_${secret()}`;
    const wrongSecret = await measure(known);
    const unknownId = await measure(unknown);
    expect(wrongSecret.principal).toBeNull();
    expect(unknownId.principal).toBeNull();
    expect(wrongSecret.transactions).toBe(1);
    expect(unknownId.transactions).toBe(wrongSecret.transactions);
    expect(unknownId.statements).toEqual(wrongSecret.statements);
    // Asked again, both are answered from the cache (server/cache/tenant-cache.ts): still alike.
    const wrongAgain = await measure(known);
    const unknownAgain = await measure(unknown);
    expect(wrongAgain.principal).toBeNull();
    expect(unknownAgain.principal).toBeNull();
    expect(wrongAgain.transactions).toBe(0);
    expect(unknownAgain.transactions).toBe(0);
    // The valid key (its row is cached by now): only its first-use last_used_at write.
    const valid = await measure(value);
    expect(valid.principal).not.toBeNull();
    expect(valid.transactions).toBe(1);
    expect(valid.statements).toEqual(["apiKey.updateMany"]);
    // Within LAST_USED_RESOLUTION_MS: no database at all.
    const validAgain = await measure(value);
    expect(validAgain.principal).not.toBeNull();
    expect(validAgain.transactions).toBe(0);
  });
});
