// The global-only "operators" section: defaults, read from the newest global version, and never
// settable (or honoured) at tenant or workspace level.
import { describe, expect, it } from "vitest";
import { onPlatform } from "../db/doors";
import { readOperatorPolicy } from "./operator-policy";
import { validateOverrides } from "../isomorphic/policies/document";
import { resolvePolicy, valuesOf } from "../policies/resolve";
import { policyState, savePolicy } from "../policies/service";
import { globalPolicyLevel } from "../policies/platform";
import { SYSTEM_ACTOR } from "../audit/record";

describe("operators policy section", () => {
  it("has the documented defaults", () => {
    expect(valuesOf(resolvePolicy({})).operators).toEqual({
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      invitationExpiryHours: 72,
      mfaForTenantRoles: "off",
      stepUpMinutes: 10,
    });
  });

  it("cannot be overridden per tenant or workspace", () => {
    const doc = { operators: { sessionIdleMinutes: 999 } };
    for (const level of ["tenant", "workspace"] as const) {
      const r = validateOverrides(doc, level);
      expect(r.ok).toBe(false);
    }
    const resolved = resolvePolicy({ global: { operators: { sessionIdleMinutes: 20 } }, tenant: doc, workspace: doc });
    expect(valuesOf(resolved).operators.sessionIdleMinutes).toBe(20);
    expect(resolved.problems.map((p) => p.id)).toEqual(expect.arrayContaining(["ignored:tenant:operators", "ignored:workspace:operators"]));
    expect(validateOverrides({ operators: { mfaForTenantRoles: "sometimes" } }, "global").ok).toBe(false);
  });

  it("readOperatorPolicy follows the newest global version", async () => {
    const state = await policyState(globalPolicyLevel(SYSTEM_ACTOR));
    await savePolicy(globalPolicyLevel(SYSTEM_ACTOR), {
      document: { ...state.overrides, operators: { sessionIdleMinutes: 45, mfaForTenantRoles: "required" } },
      expectedVersion: state.latest?.version ?? 0,
      comment: "operators",
    });
    const p = await onPlatform(readOperatorPolicy);
    expect(p).toMatchObject({ sessionIdleMinutes: 45, mfaForTenantRoles: "required", sessionAbsoluteHours: 12 });
    const again = await onPlatform(readOperatorPolicy);
    expect(again).toEqual(p);
  });
});
