// Concurrent lifecycle calls for one tenant: the per-tenant key lock serialises them, so whatever
// order they run in, the tenant ends with exactly one current key and at most one next key, and
// every refusal is a clean CONFLICT / PRECONDITION_FAILED (never a 500 from a lost race).
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, grant, makeTenant, makeUser } from "../testing/fixtures";
import { auditEvents, inState, keysOf, rejection } from "../testing/signing-keys";
import { TRPCError } from "@trpc/server";

let owner: ReturnType<typeof callerFor>;
let ownerId: string;
beforeAll(async () => {
  ownerId = (await makeUser()).id;
  owner = callerFor(ownerId);
});

async function tenantOfOwner() {
  const t = await makeTenant();
  await grant(t, ownerId, "owner");
  return t;
}

/** Codes of the rejected results; anything but a TRPCError fails the test. */
function rejectedCodes(results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r) => {
    if (r.status === "fulfilled") return [];
    if (!(r.reason instanceof TRPCError)) throw r.reason;
    return [r.reason.code];
  });
}

describe("concurrent lifecycle calls for one tenant", () => {
  it("stage and promote ×6 in parallel: one current, at most one next, counts add up", async () => {
    const t = await tenantOfOwner();
    await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    const kinds = ["promote", "stage", "promote", "stage", "promote", "stage", "promote", "stage", "promote", "stage", "promote", "stage"] as const;
    const results = await Promise.allSettled(
      kinds.map((k) => (k === "stage" ? owner.keys.stage({ tenant: t.slug, alg: "ES256" }) : owner.keys.promote({ tenant: t.slug }))),
    );
    const outcome = (k: (typeof kinds)[number]) => results.filter((_, i) => kinds[i] === k);
    const staged = outcome("stage").filter((r) => r.status === "fulfilled").length;
    const promoted = outcome("promote").filter((r) => r.status === "fulfilled").length;
    // Refusals are the documented ones only.
    expect(rejectedCodes(outcome("stage")).filter((c) => c !== "CONFLICT")).toEqual([]);
    expect(rejectedCodes(outcome("promote")).filter((c) => c !== "PRECONDITION_FAILED")).toEqual([]);
    expect(promoted).toBeGreaterThan(0);

    const keys = await keysOf(t.id);
    expect(inState(keys, "current")).toHaveLength(1);
    expect(inState(keys, "next").length).toBeLessThanOrEqual(1);
    // 1 provisioned + 1 staged before + the successful stages; every promotion retired one current key.
    expect(keys).toHaveLength(2 + staged);
    expect(inState(keys, "previous")).toHaveLength(promoted);
    expect(inState(keys, "next")).toHaveLength(1 + staged - promoted);
    // The audit trail tells the same story (rolled-back attempts left nothing).
    const actions = (await auditEvents(t.id)).map((e) => e.action);
    expect(actions.filter((a) => a === "signing_key.staged")).toHaveLength(1 + staged);
    expect(actions.filter((a) => a === "signing_key.promoted")).toHaveLength(promoted);
    expect(actions.filter((a) => a === "signing_key.retired")).toHaveLength(promoted);
  });

  it("stage+promote pairs ×6 in parallel: every pair's promote succeeds or is refused cleanly", async () => {
    const t = await tenantOfOwner();
    const pairs = await Promise.allSettled(
      Array.from({ length: 6 }, async () => {
        await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
        await owner.keys.promote({ tenant: t.slug });
      }),
    );
    expect(rejectedCodes(pairs).filter((c) => c !== "CONFLICT" && c !== "PRECONDITION_FAILED")).toEqual([]);
    const keys = await keysOf(t.id);
    expect(inState(keys, "current")).toHaveLength(1);
    expect(inState(keys, "next").length).toBeLessThanOrEqual(1);
    expect(pairs.some((p) => p.status === "fulfilled")).toBe(true);
  });

  it("rotate-and-revoke ×4 in parallel: all succeed in turn, one current, the rest revoked", async () => {
    const t = await tenantOfOwner();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => owner.keys.rotateAndRevoke({ tenant: t.slug })));
    expect(rejectedCodes(results)).toEqual([]);
    const keys = await keysOf(t.id);
    const current = inState(keys, "current");
    expect(current).toHaveLength(1);
    expect(inState(keys, "revoked")).toHaveLength(4);
    expect(keys).toHaveLength(5);
    // The one left current is one of the four new keys.
    const created = results.map((r) => (r.status === "fulfilled" ? r.value.id : null));
    expect(created).toContain(current[0]!.id);
  });

  it("mixed rotate-and-revoke, stage and promote in parallel keep the invariants", async () => {
    const t = await tenantOfOwner();
    const calls = [
      () => owner.keys.rotateAndRevoke({ tenant: t.slug }),
      () => owner.keys.stage({ tenant: t.slug, alg: "EdDSA" }),
      () => owner.keys.promote({ tenant: t.slug }),
      () => owner.keys.rotateAndRevoke({ tenant: t.slug }),
      () => owner.keys.stage({ tenant: t.slug, alg: "ES256" }),
      () => owner.keys.promote({ tenant: t.slug }),
    ];
    const results = await Promise.allSettled(calls.map((c) => c()));
    expect(rejectedCodes(results).filter((c) => c !== "CONFLICT" && c !== "PRECONDITION_FAILED")).toEqual([]);
    const keys = await keysOf(t.id);
    expect(inState(keys, "current")).toHaveLength(1);
    expect(inState(keys, "next").length).toBeLessThanOrEqual(1);
    // A later call still works normally.
    const promote = inState(keys, "next").length === 1 ? owner.keys.promote({ tenant: t.slug }) : owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    await expect(promote).resolves.toBeTruthy();
    expect((await rejection(owner.keys.revoke({ tenant: t.slug, keyId: inState(await keysOf(t.id), "current")[0]!.id }))).code).toBe(
      "PRECONDITION_FAILED",
    );
  });
});
