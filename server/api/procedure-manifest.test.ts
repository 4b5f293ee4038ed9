// The coverage gate: a procedure added later is covered automatically, or this test fails.
import { describe, expect, it, beforeAll } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "./root";
import { PROCEDURE_MANIFEST, SUPPORT_PERMITTED_MUTATIONS } from "./procedure-manifest";
import type { ProcedureMeta } from "./trpc";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { createCaller } from "./root";
import { createTRPCContext } from "./trpc";
import { authenticateApiKey } from "../api-keys/authenticate";
import { API_KEY_SCOPES, can } from "../isomorphic/auth/permissions";

type AnyProcedure = { _def: { meta?: ProcedureMeta; type: "query" | "mutation" | "subscription" } };
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const paths = Object.keys(procedures).sort();

/** Calls `path` on a caller with the given input and returns the tRPC error code (or "OK"). */
async function codeOf(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<string> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (i: unknown) => Promise<unknown>;
  try {
    await fn(input);
    return "OK";
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
}

let world: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  world = await twoTenantWorld();
});

describe("procedure coverage gate", () => {
  it("the router has procedures", () => {
    expect(paths.length).toBeGreaterThan(5);
  });

  it("every procedure is classified in the manifest, and nothing stale is listed", () => {
    expect(paths.filter((p) => !(p in PROCEDURE_MANIFEST))).toEqual([]);
    expect(Object.keys(PROCEDURE_MANIFEST).filter((p) => !paths.includes(p))).toEqual([]);
  });

  it("each procedure is built the way the manifest classifies it", () => {
    const mismatched = paths.filter((p) => procedures[p]!._def.meta?.kind !== PROCEDURE_MANIFEST[p]);
    expect(mismatched).toEqual([]);
  });

  it("every non-public procedure rejects a caller without a session", async () => {
    const anon = callerFor(null);
    for (const p of paths.filter((p) => PROCEDURE_MANIFEST[p] !== "public")) {
      expect({ p, code: await codeOf(anon, p, { tenant: world.a.slug }) }).toEqual({ p, code: "UNAUTHORIZED" });
    }
  });

  it("every tenant procedure rejects a foreign tenant exactly like a missing one", async () => {
    const ownerA = callerFor(world.ownerA.id);
    const tenantPaths = paths.filter((p) => PROCEDURE_MANIFEST[p] === "tenant");
    expect(tenantPaths.length).toBeGreaterThan(0);
    for (const p of tenantPaths) {
      expect({ p, code: await codeOf(ownerA, p, { tenant: world.b.slug }) }).toEqual({ p, code: "NOT_FOUND" });
      expect({ p, code: await codeOf(ownerA, p, { tenant: "no-such-tenant-zz" }) }).toEqual({ p, code: "NOT_FOUND" });
    }
  });

  it("an API key of tenant A, with every scope a key can have, gets NOT_FOUND from every tenant procedure for B", async () => {
    const { value } = await callerFor(world.admin.id).apiKeys.create({ tenant: world.a.slug, name: "gate", scopes: [...API_KEY_SCOPES], expiresInDays: 1 });
    const principal = await authenticateApiKey(`Bearer ${value}`);
    expect(principal?.tenantId).toBe(world.a.id);
    const keyCaller = createCaller(createTRPCContext({ session: null, apiKey: principal, meta: { requestId: "gate", ip: null, userAgent: null } }));
    for (const p of paths.filter((p) => PROCEDURE_MANIFEST[p] === "tenant")) {
      expect({ p, code: await codeOf(keyCaller, p, { tenant: world.b.slug }) }).toEqual({ p, code: "NOT_FOUND" });
    }
  });

  it("every tenant procedure refuses a tenantId smuggled into the input", async () => {
    const ownerA = callerFor(world.ownerA.id);
    for (const p of paths.filter((p) => PROCEDURE_MANIFEST[p] === "tenant")) {
      expect({ p, code: await codeOf(ownerA, p, { tenant: world.a.slug, tenantId: world.b.id }) }).toEqual({ p, code: "BAD_REQUEST" });
    }
  });

  it("every platform procedure is refused to tenant owners and support", async () => {
    for (const userId of [world.ownerA.id, world.supportA.id]) {
      for (const p of paths.filter((p) => PROCEDURE_MANIFEST[p] === "platform")) {
        expect({ p, code: await codeOf(callerFor(userId), p, {}) }).toEqual({ p, code: "FORBIDDEN" });
      }
    }
  });

  it("every tenant mutation declares a permission support does not have (support is read-only), except the explicit allow-list", async () => {
    const support = callerFor(world.supportA.id);
    const mutations = paths.filter((p) => PROCEDURE_MANIFEST[p] === "tenant" && procedures[p]!._def.type === "mutation");
    for (const p of mutations.filter((p) => !(p in SUPPORT_PERMITTED_MUTATIONS))) {
      expect({ p, code: await codeOf(support, p, { tenant: world.a.slug }) }).toEqual({ p, code: "FORBIDDEN" });
    }
  });

  it("each support-permitted mutation is a tenant mutation whose permission support holds, and says why", async () => {
    const support = callerFor(world.supportA.id);
    const entries = Object.entries(SUPPORT_PERMITTED_MUTATIONS);
    expect(entries.length).toBeLessThanOrEqual(1); // growing this list is a decision: update this bound with it
    for (const [p, why] of entries) {
      expect({ p, kind: PROCEDURE_MANIFEST[p], type: procedures[p]?._def.type }).toEqual({ p, kind: "tenant", type: "mutation" });
      const permission = procedures[p]!._def.meta?.permission;
      expect({ p, supportHasIt: permission !== undefined && can("support", permission) }).toEqual({ p, supportHasIt: true });
      expect(why.length).toBeGreaterThan(20);
      // Not refused for its permission (the input is incomplete, so it stops at validation).
      expect({ p, code: await codeOf(support, p, { tenant: world.a.slug }) }).toEqual({ p, code: "BAD_REQUEST" });
    }
  });
});
